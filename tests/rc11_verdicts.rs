//! The rc11 world's verdicts on the weak-memory lessons, at their proof sizes: the broken
//! ones fail with the failing execution shown, the fixes are proved (no false alarm), the
//! racy ones are DATA RACEs, and what the world does not model is refused.

use race_lab::experiment::Params;
use race_lab::explore::{explore, ExploreConfig, ExploreReport, World};
use race_lab::Cancel;

fn rc11(name: &str) -> race_lab::error::Result<ExploreReport> {
    let exp = race_lab::experiments::find(name).expect("a catalogue experiment");
    explore(&ExploreConfig {
        exp,
        params: Params::new(exp.proof.threads, exp.proof.iters),
        world: World::Rc11,
        preemptions: None,
        max_seconds: 3600.0,
        max_seconds_given: false,
        max_executions: Some(5_000_000),
        spurious_wakeups: false,
        first_failure: false,
        show: 1,
        cancel: Cancel::new(),
    })
}

#[test]
fn broken_lessons_fail_with_the_execution_shown() {
    for name in [
        "peterson",
        "peterson-fence",
        "flag-lock",
        "publish-relaxed",
        "racy-atomic",
    ] {
        let r = rc11(name).expect("explores");
        assert!(r.complete, "{name}: {:?}", r.stopped);
        assert!(r.failing_executions > 0, "{name}: {}", r.verdict);
        let shown = &r.failing[0];
        assert!(
            !shown.events.is_empty() && shown.timeline.contains("T1"),
            "{name}"
        );
        assert!(
            r.verdict.contains("RC11-consistent execution graphs"),
            "{}",
            r.verdict
        );
    }
}

#[test]
fn fixes_are_proved() {
    for name in [
        "peterson-seqcst",
        "peterson-swap",
        "publish-release",
        "spin-lock",
        "ticket-lock",
        "atomic",
        "lazy-init-cas",
    ] {
        let r = rc11(name).expect("explores");
        assert!(r.complete, "{name}: {:?}", r.stopped);
        assert_eq!(r.failing_executions, 0, "{name}: {}", r.verdict);
        assert!(
            r.verdict.contains("proved for this size under RC11"),
            "{}",
            r.verdict
        );
    }
}

#[test]
fn plain_accesses_without_happens_before_are_data_races() {
    for name in ["unsynced", "spin-relaxed"] {
        let r = rc11(name).expect("explores");
        let race = r.race.expect("a data race");
        assert!(race.summary.contains("data race"), "{}", race.summary);
        assert!(r.verdict.contains("DATA RACE"), "{}", r.verdict);
    }
}

#[test]
fn what_the_world_does_not_model_is_refused_with_the_reason() {
    let e = rc11("mutex").expect_err("refused");
    assert!(e.to_string().contains("does not model"), "{e}");
}
