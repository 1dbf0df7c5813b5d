//! The JSON contract: every command's real `--json` output validates against its hand-written
//! schema in `docs/schema/<command>.schema.json` and against the shared envelope
//! (`docs/schema/envelope.schema.json`), and each schema rejects plausibly wrong documents
//! (the envelope's `machine` missing, an unknown top-level key, an old schema version, a
//! grade that is not a grade), so the check can fail. Every run is small and deterministic:
//! nothing here depends on timing or on a race showing up.

mod common;
use common::json;
use race_lab::experiments;
use race_lab::refused::REFUSED;
use serde_json::{json, Value};

/// The schema file of `name` (a command, or `envelope`).
fn schema(name: &str) -> Value {
    let path = format!(
        "{}/docs/schema/{name}.schema.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let s: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(
        jsonschema::meta::is_valid(&s),
        "{path} is not a valid JSON Schema"
    );
    s
}

/// The errors of `doc` against `schema`, one line each.
fn errors(schema: &Value, doc: &Value) -> Vec<String> {
    let v = jsonschema::validator_for(schema).expect("the schema compiles");
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// `doc` passes its command's schema and the envelope's; the envelope's keys come first.
fn valid(command: &str, doc: &Value) {
    assert_eq!(doc["schema"], format!("race-lab.{command}/2"));
    assert_eq!(doc["command"], command);
    for name in [command, "envelope"] {
        let errs = errors(&schema(name), doc);
        assert!(
            errs.is_empty(),
            "{command} --json does not match {name}.schema.json:\n{}\n{doc:#}",
            errs.join("\n")
        );
    }
}

/// `doc` is rejected by `command`'s schema.
fn rejected(command: &str, doc: &Value, why: &str) {
    assert!(
        !jsonschema::validator_for(&schema(command))
            .expect("the schema compiles")
            .is_valid(doc),
        "{command}.schema.json accepts a document with {why}"
    );
}

/// `doc` with `f` applied.
fn with(doc: &Value, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut d = doc.clone();
    f(d.as_object_mut().expect("an object"));
    d
}

/// Valid as it is; rejected once broken in the ways every schema must catch.
fn valid_and_strict(command: &str, doc: &Value) {
    valid(command, doc);
    rejected(
        command,
        &with(doc, |m| {
            m.remove("machine");
        }),
        "no `machine`",
    );
    rejected(
        command,
        &with(doc, |m| {
            m.remove("verdict");
        }),
        "no `verdict`",
    );
    rejected(
        command,
        &with(doc, |m| {
            m.insert("cpus".into(), json!(2));
        }),
        "an unknown top-level key (`cpus`, now under `machine`)",
    );
    rejected(
        command,
        &with(doc, |m| {
            m.insert("schema".into(), json!(format!("race-lab.{command}/1")));
        }),
        "the old schema version",
    );
    rejected(
        command,
        &with(doc, |m| {
            m["machine"].as_object_mut().unwrap().remove("warnings");
        }),
        "no `machine.warnings`",
    );
    rejected(
        command,
        &with(doc, |m| {
            m.insert(
                "outcomes".into(),
                json!([{"outcome": {"value": 1}, "label": "1", "count": 1,
                        "grade": "OK", "meaning": "?"}]),
            );
        }),
        "a grade that is not ACCEPTABLE, INTERESTING or FORBIDDEN",
    );
    rejected(
        command,
        &with(doc, |m| {
            m.insert("verdict".into(), json!("two\nlines"));
        }),
        "a verdict of two lines",
    );
}

#[test]
fn every_schema_carries_the_same_envelope() {
    let env = schema("envelope");
    for command in [
        "list", "explain", "run", "explore", "replay", "hunt", "compare", "litmus", "claims",
        "verify", "play",
    ] {
        let s = schema(command);
        for def in [
            "verdict", "record", "grade", "machine", "outcome", "outcomes",
        ] {
            assert_eq!(
                s["$defs"][def], env["$defs"][def],
                "{command}.schema.json's $defs.{def} differs from envelope.schema.json's"
            );
        }
        let required: Vec<&str> = s["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for key in race_lab::report::envelope::KEYS {
            assert!(required.contains(&key), "{command} does not require {key}");
        }
        assert_eq!(s["additionalProperties"], false, "{command}: not strict");
    }
}

#[test]
fn list_matches_its_schema_and_the_catalogue() {
    let doc = json(&["list", "--json"]);
    valid_and_strict("list", &doc);
    let names: Vec<&str> = doc["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    let expected: Vec<&str> = experiments::all()
        .map(|e| e.name)
        .chain(experiments::PROCESS.iter().map(|e| e.name))
        .chain(REFUSED.iter().map(|r| r.name))
        .collect();
    assert_eq!(names, expected);
    let mut without_code = doc["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "refused")
        .expect("a refused lesson")
        .clone();
    without_code.as_object_mut().unwrap().remove("error_code");
    rejected(
        "list",
        &with(&doc, |m| {
            m.insert("experiments".into(), json!([without_code]));
        }),
        "a refused lesson without its error code",
    );
}

#[test]
fn explain_matches_its_schema_for_every_experiment() {
    let thread = experiments::all().map(|e| e.name);
    let process = experiments::PROCESS.iter().map(|e| e.name);
    let litmus = experiments::LITMUS.iter().map(|t| t.name);
    let refused = REFUSED.iter().map(|r| r.name);
    for name in thread.chain(process).chain(litmus).chain(refused) {
        let doc = json(&["explain", name, "--json"]);
        valid("explain", &doc);
        assert_eq!(doc["name"], name);
    }
    let doc = json(&["explain", "racy-atomic", "--json"]);
    valid_and_strict("explain", &doc);
    assert_eq!(doc["witnessed"], true);
    // An experiment newer than the witness table: no row, said in words.
    let unwitnessed = with(&doc, |m| {
        m.insert("witnessed".into(), json!(false));
        m.insert("witnesses".into(), Value::Null);
        m.insert(
            "witness_summary".into(),
            json!("witnesses (produced 2026-11-26): racy-atomic is not yet witnessed (run …)"),
        );
    });
    valid("explain", &unwitnessed);
    rejected(
        "explain",
        &with(&unwitnessed, |m| {
            m.insert("witnesses".into(), doc["witnesses"].clone());
        }),
        "witnessed false and a witnesses row",
    );
    rejected(
        "explain",
        &with(&doc, |m| {
            m.remove("witnesses");
        }),
        "a thread experiment without its witnesses",
    );
    // A lesson the compiler refuses carries the compiler's error and the rewrite.
    let doc = json(&["explain", REFUSED[0].name, "--json"]);
    valid_and_strict("explain", &doc);
    for key in ["compiler_error", "fixed"] {
        rejected(
            "explain",
            &with(&doc, |m| {
                m.remove(key);
            }),
            &format!("a refused lesson without `{key}`"),
        );
    }
}

#[test]
fn run_matches_its_schema_for_threads_and_processes() {
    let doc = json(&[
        "run",
        "atomic",
        "--threads",
        "2",
        "--iters",
        "1000",
        "--trials",
        "3",
        "--json",
    ]);
    valid_and_strict("run", &doc);
    assert_eq!(doc["kind"], "thread");
    let counted: u64 = doc["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, 3, "every trial is in one outcome row");
    assert_eq!(doc["outcomes"][0]["outcome"], json!({"value": 2000}));
    rejected(
        "run",
        &with(&doc, |m| {
            m.insert(
                "params".into(),
                json!({"experiment": "atomic", "procs": 2, "iters": 1, "trials": 1,
                       "sync": "atomic", "pool": 1, "tasks": 1}),
            );
        }),
        "a thread run with a process experiment's params",
    );

    let doc = json(&[
        "run",
        "process-shm",
        "--procs",
        "2",
        "--iters",
        "1000",
        "--trials",
        "2",
        "--json",
    ]);
    valid_and_strict("run", &doc);
    assert_eq!(doc["kind"], "process");
    assert_eq!(
        doc["outcomes"],
        json!([{"outcome": {"value": 2000}, "label": "2000", "count": 2,
                "grade": "ACCEPTABLE", "meaning": "exact: no update lost"}])
    );
    rejected(
        "run",
        &with(&doc, |m| {
            m.remove("measures");
        }),
        "a process run without its measures",
    );

    // A one-shot check: one outcome with no record.
    let doc = json(&[
        "run",
        "process-isolated",
        "--procs",
        "2",
        "--iters",
        "1000",
        "--json",
    ]);
    valid("run", &doc);
    assert_eq!(doc["outcomes"].as_array().unwrap().len(), 1, "{doc:#}");
    assert!(doc["outcomes"][0]["outcome"].is_null());
    assert_eq!(doc["outcomes"][0]["grade"], "ACCEPTABLE");
}

#[test]
fn explore_matches_its_schema() {
    let doc = json(&[
        "explore",
        "racy-atomic",
        "--threads",
        "2",
        "--iters",
        "2",
        "--json",
    ]);
    valid_and_strict("explore", &doc);
    assert_eq!(doc["complete"], true);
    let counted: u64 = doc["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["count"].as_u64().unwrap())
        .sum();
    assert_eq!(json!(counted), doc["executions"]);
    // A data race and a deadlock fill the engine's own parts.
    let race = json(&[
        "explore", "unsynced", "-t", "2", "-i", "1", "--world", "loom", "--json",
    ]);
    valid("explore", &race);
    assert!(race["race"].is_object(), "{race:#}");
    let rc11_race = json(&[
        "explore",
        "spin-relaxed",
        "-t",
        "2",
        "-i",
        "1",
        "--world",
        "rc11",
        "--json",
    ]);
    valid("explore", &rc11_race);
    assert!(rc11_race["race"].is_object(), "{rc11_race:#}");
    let deadlock = json(&["explore", "deadlock", "--world", "loom", "--json"]);
    valid("explore", &deadlock);
    assert!(deadlock["deadlock"].is_object(), "{deadlock:#}");
    assert_eq!(deadlock["world"], "loom");
    // With no flags: what was chosen, and why.
    let chosen = json(&["explore", "deadlock", "--json"]);
    valid_and_strict("explore", &chosen);
    assert!(chosen["chosen"]
        .as_str()
        .unwrap()
        .contains("no --world or size"));
    // The scheduled world's report has the same shape, and says which world it is.
    for (args, world) in [
        (
            &["explore", "sharded", "-t", "70", "-i", "1", "--json"][..],
            "scheduled",
        ),
        (
            &[
                "explore",
                "deadlock",
                "-t",
                "3",
                "-i",
                "1",
                "--world",
                "scheduled",
                "--json",
            ][..],
            "scheduled",
        ),
        (
            &[
                "explore", "peterson", "-t", "2", "-i", "1", "--world", "rc11", "--json",
            ][..],
            "rc11",
        ),
        (
            &[
                "explore", "deadlock", "-t", "2", "-i", "1", "--world", "rc11", "--json",
            ][..],
            "rc11",
        ),
    ] {
        let doc = json(args);
        valid_and_strict("explore", &doc);
        assert_eq!(doc["world"], world, "{doc:#}");
        // The rc11 world draws its execution graph, and its reads name their sources.
        if world == "rc11" {
            assert!(doc["graph"]["svg"].as_str().unwrap().starts_with("<svg"));
            assert!(doc["graph"]["dot"].as_str().unwrap().starts_with("digraph"));
            let mut broken = doc.clone();
            broken["graph"].as_object_mut().unwrap().remove("svg");
            assert!(
                !errors(&schema("explore"), &broken).is_empty(),
                "a graph without its svg passes"
            );
        } else {
            assert!(doc.get("graph").is_none(), "{doc:#}");
        }
        if let Some(events) = doc["failing"][0]["events"].as_array() {
            let named = events.iter().filter(|e| e.get("source").is_some()).count();
            assert_eq!(named > 0, world == "rc11", "{doc:#}");
        }
        let counted: u64 = doc["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["count"].as_u64().unwrap())
            .sum();
        assert_eq!(json!(counted), doc["executions"]);
    }
}

#[test]
fn replay_and_hunt_match_their_schemas() {
    let doc = json(&["replay", "racy-atomic", "--schedule", "0,1", "--json"]);
    valid_and_strict("replay", &doc);
    assert_eq!(doc["outcomes"][0]["outcome"], json!({"value": 1}));
    assert_eq!(doc["outcomes"][0]["grade"], "INTERESTING");
    rejected(
        "replay",
        &with(&doc, |m| {
            m.insert("outcomes".into(), json!([]));
        }),
        "no outcome",
    );

    let found = json(&[
        "hunt",
        "racy-atomic",
        "--threads",
        "2",
        "--iters",
        "1",
        "--json",
    ]);
    valid_and_strict("hunt", &found);
    assert_eq!(found["found"], true);
    let none = json(&[
        "hunt",
        "mutex",
        "--threads",
        "2",
        "--iters",
        "1",
        "--cases",
        "20",
        "--json",
    ]);
    valid_and_strict("hunt", &none);
    assert_eq!(none["found"], false);
    rejected(
        "hunt",
        &with(&found, |m| {
            m.insert("minimal".into(), Value::Null);
        }),
        "found true but no minimal schedule",
    );
}

#[test]
fn compare_litmus_and_claims_match_their_schemas() {
    let doc = json(&[
        "compare",
        "atomic",
        "--threads",
        "1",
        "--iters",
        "1000",
        "--trials",
        "1",
        "--json",
    ]);
    valid_and_strict("compare", &doc);
    assert_eq!(doc["params"]["experiments"], json!(["atomic"]));
    rejected(
        "compare",
        &with(&doc, |m| {
            m["rows"][0]
                .as_object_mut()
                .unwrap()
                .insert("colour".into(), json!("red"));
        }),
        "a row with a column the CSV does not have",
    );

    let doc = json(&["litmus", "SB", "--iters", "1000", "--json"]);
    valid_and_strict("litmus", &doc);
    let seen: u64 = doc["tests"][0]["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["count"].as_u64().unwrap())
        .sum();
    assert_eq!(seen, 1000);
    rejected(
        "litmus",
        &with(&doc, |m| {
            m["tests"][0]
                .as_object_mut()
                .unwrap()
                .insert("rows".into(), json!([]));
            m["tests"][0].as_object_mut().unwrap().remove("outcomes");
        }),
        "a test's old `rows` instead of `outcomes`",
    );

    let doc = json(&["claims", "C13", "--json"]);
    valid_and_strict("claims", &doc);
    assert_eq!(doc["params"]["ids"], json!(["C13"]));
    assert_eq!(doc["claims"].as_array().unwrap().len(), 1);
}

#[test]
fn verify_matches_its_schema() {
    let doc = json(&["verify", "atomic", "racy-atomic", "SB", "--json"]);
    valid_and_strict("verify", &doc);
    assert_eq!(
        doc["params"]["experiments"],
        json!(["atomic", "racy-atomic", "SB"])
    );
    // atomic and racy-atomic in three worlds each, SB under three orderings in two.
    assert_eq!(doc["summary"]["checks"], 12);
    assert_eq!(doc["summary"]["failed"], 0);
    assert_eq!(
        doc["summary"]["known_gaps"], 1,
        "SB seqcst: loom's false alarm"
    );
    rejected(
        "verify",
        &with(&doc, |m| {
            m["checks"][0]
                .as_object_mut()
                .unwrap()
                .insert("status".into(), json!("ok"));
        }),
        "a status that is not pass, fail or known-gap",
    );
}

#[test]
fn play_matches_its_schema() {
    // Won: T0 and T1 both load 0, then each finishes its increments.
    let won = json(&[
        "play",
        "racy-atomic",
        "--moves",
        "0,1,0,0,0,1,1,1",
        "--json",
    ]);
    valid_and_strict("play", &won);
    assert_eq!(won["won"], true);
    assert_eq!(won["outcomes"][0]["outcome"], json!({"value": 2}));
    assert_eq!(won["outcomes"][0]["grade"], "INTERESTING");
    assert_eq!(won["schedule"], "0,1,0,0,0");
    rejected(
        "play",
        &with(&won, |m| {
            m.insert("replay".into(), Value::Null);
        }),
        "a won game without its replay command",
    );
    // In progress: no outcome yet, no replay line.
    let going = json(&["play", "mutex", "--moves", "0", "--json"]);
    valid_and_strict("play", &going);
    assert_eq!(going["won"], false);
    assert_eq!(going["outcomes"], json!([]));
    assert_eq!(going["level"], "fix");
    assert_eq!(going["failing_classes"], 0);
    rejected(
        "play",
        &with(&going, |m| {
            m["threads"][0]
                .as_object_mut()
                .unwrap()
                .insert("status".into(), json!("sleepy"));
        }),
        "a thread status that is not ready, blocked or finished",
    );
}
