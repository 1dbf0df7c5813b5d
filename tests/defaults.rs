//! First contact: `race-lab explore <exp>` with no flags answers for every thread
//! experiment. It explores at the experiment's declared proof size, in the world that
//! decides it there (`explore::decider`), within the default work budget, and the answer is
//! a COMPLETE proof for a fix or a found failure for a bug — never a lowered size, never an
//! INCOMPLETE search with nothing found. `cargo bench --bench defaults` prints the times.

mod common;

use race_lab::experiment::Class;
use race_lab::explore::{budget, decider};

#[test]
fn explore_with_no_flags_decides_every_experiment() {
    for exp in race_lab::experiments::all() {
        let out = common::lab(&["explore", exp.name, "--json"]);
        let err = String::from_utf8_lossy(&out.stderr);
        let r: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: {e}: {err}", exp.name));
        let (world, _) = decider(exp);
        let size = exp.proof;
        let name = exp.name;
        assert_eq!(r["world"], world.name(), "{name}");
        assert_eq!(r["params"]["threads"], size.threads, "{name}");
        assert_eq!(r["params"]["iters"], size.iters, "{name}");
        assert!(
            r["chosen"].as_str().unwrap().contains("no --world or size"),
            "{name}: {r}"
        );
        assert!(
            r["executions"].as_u64().unwrap() <= budget(world),
            "{name}: past the work budget"
        );
        let verdict = r["verdict"].as_str().unwrap();
        let found = r["failing_executions"].as_u64().unwrap() > 0
            || !r["race"].is_null()
            || !r["deadlock"].is_null();
        if exp.class == Class::Fixed {
            assert_eq!(out.status.code(), Some(0), "{name}: {err}");
            assert_eq!(r["complete"], true, "{name}: {verdict}");
            assert!(!found, "{name}: {verdict}");
            assert!(
                verdict.contains("proved for this size"),
                "{name}: {verdict}"
            );
        } else {
            assert!(found, "{name}: the bug did not show: {verdict}");
            assert!(!verdict.contains("INCOMPLETE"), "{name}: {verdict}");
        }
    }
}
