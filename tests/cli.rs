//! The command line as a user meets it: every bad input is one line on stderr and exit 2,
//! never a panic; good input produces the reports (checked through `--json`).

mod common;
use common::{json, lab, refused};

#[test]
fn bad_input_is_one_line_and_exit_2() {
    refused(&["run", "unsynched"], "did you mean 'unsynced'");
    refused(&["run", "mutx"], "did you mean 'mutex'");
    refused(&["run", "zzzzzzzzzz"], "race-lab list");
    refused(&["run", "atomic", "--threads", "0"], "at least 1");
    refused(&["run", "atomic", "--threads", "100000"], "limit of 1024");
    refused(
        &["run", "atomic", "--iters", "0"],
        "--iters must be at least 1",
    );
    refused(
        &[
            "run",
            "atomic",
            "--threads",
            "2",
            "--iters",
            "18446744073709551615",
        ],
        "overflows",
    );
    refused(&["run", "atomic", "--iters", "100000000000"], "limit");
    refused(&["run", "atomic", "--ordering", "sloppy"], "sloppy");
    refused(
        &["run", "atomic", "--batch", "4"],
        "--batch does not apply to atomic",
    );
    refused(
        &["run", "mutex", "--window", "4"],
        "--window does not apply to mutex",
    );
    refused(
        &["run", "channel", "--batch", "0"],
        "--batch must be at least 1",
    );
    refused(&["run", "atomic", "--pin", "4096"], "does not exist");
    refused(&["run", "atomic", "--pin", "x"], "bad --pin");
    refused(&["run", "atomic", "--trials", "0"], "--trials");
    refused(&["run", "deadlock", "--threads", "1"], "at least 2 threads");
    refused(
        &["explore", "atomic", "--threads", "5"],
        "at most 4 worker threads",
    );
    refused(&["explore", "atomic", "--iters", "5000"], "lower --iters");
    refused(
        &["replay", "racy-atomic", "--schedule", "0,x"],
        "malformed schedule",
    );
    refused(
        &["replay", "racy-atomic", "--schedule", "0,2"],
        "only 2 workers",
    );
    refused(&["hunt", "racy-atomic", "--cases", "0"], "--cases");
    refused(&["frobnicate"], "frobnicate");
}

#[test]
fn fixed_experiments_are_exact_on_real_threads() {
    for exp in [
        "atomic",
        "cas",
        "mutex",
        "parking-lot",
        "channel",
        "sharded",
        "sharded-unpadded",
        "local",
    ] {
        for threads in ["1", "2", "4", "8"] {
            let r = json(&[
                "run",
                exp,
                "--threads",
                threads,
                "--iters",
                "20000",
                "--trials",
                "3",
                "--json",
            ]);
            assert_eq!(r["schema"], "race-lab.run/1");
            assert_eq!(r["forbidden"], false, "{exp}");
            for t in r["trials"].as_array().unwrap() {
                assert_eq!(t["value"], r["expected"], "{exp} x{threads}");
            }
        }
    }
}

#[test]
fn racy_runs_stay_within_the_theory() {
    // Whether updates are lost depends on timing; the bounds do not.
    let r = json(&[
        "run",
        "unsynced",
        "--threads",
        "4",
        "--iters",
        "10000",
        "--trials",
        "3",
        "--json",
    ]);
    let expected = r["expected"].as_u64().unwrap();
    for t in r["trials"].as_array().unwrap() {
        let v = t["value"].as_u64().unwrap();
        assert!((2..=expected).contains(&v), "{v}");
        assert_ne!(t["grade"], "FORBIDDEN");
    }
    let histogram_total: u64 = r["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["count"].as_u64().unwrap())
        .sum();
    assert_eq!(histogram_total, 3);
}

#[test]
fn explore_reports_the_complete_outcome_set() {
    let r = json(&[
        "explore",
        "racy-atomic",
        "--threads",
        "2",
        "--iters",
        "3",
        "--json",
    ]);
    assert_eq!(r["complete"], true);
    let values: Vec<u64> = r["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_u64().unwrap())
        .collect();
    assert_eq!(values, [2, 3, 4, 5, 6]);
    assert_eq!(r["failing"][0]["final_value"], 2);
    let r = json(&[
        "explore",
        "atomic",
        "--threads",
        "3",
        "--iters",
        "2",
        "--json",
    ]);
    assert_eq!(r["complete"], true);
    assert_eq!(r["outcomes"].as_array().unwrap().len(), 1);
    assert_eq!(r["outcomes"][0]["value"], 6);
}

#[test]
fn explore_survives_races_and_deadlocks() {
    let out = lab(&["explore", "unsynced", "--threads", "2", "--iters", "1"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("read of cell at experiments/unsynced.rs"),
        "{text}"
    );
    assert!(
        text.contains("write of cell at experiments/unsynced.rs"),
        "{text}"
    );
    let out = lab(&["explore", "deadlock"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("DEADLOCK") && text.contains("waits for"),
        "{text}"
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn replay_is_identical_every_time() {
    let args = [
        "replay",
        "racy-atomic",
        "--threads",
        "2",
        "--iters",
        "1",
        "--schedule",
        "0,1",
    ];
    let first = lab(&args);
    assert!(String::from_utf8_lossy(&first.stdout).contains("final 1 (expected 2)"));
    for _ in 0..10 {
        assert_eq!(lab(&args).stdout, first.stdout);
    }
}

#[test]
fn hunt_prints_a_replayable_minimal_schedule() {
    let r = json(&[
        "hunt",
        "racy-atomic",
        "--threads",
        "2",
        "--iters",
        "1",
        "--json",
    ]);
    assert_eq!(r["found"], true);
    let s = r["minimal"].as_str().unwrap().to_string();
    let replayed = json(&[
        "replay",
        "racy-atomic",
        "--threads",
        "2",
        "--iters",
        "1",
        "--schedule",
        &s,
        "--json",
    ]);
    assert_eq!(replayed["final_value"], 1);
    let r = json(&[
        "hunt",
        "mutex",
        "--threads",
        "8",
        "--iters",
        "3",
        "--cases",
        "100",
        "--json",
    ]);
    assert_eq!(r["found"], false);
}

#[test]
fn deadlocked_run_exits_cleanly() {
    // Whether this run deadlocks depends on timing; either way it must end cleanly.
    let r = json(&[
        "run",
        "deadlock",
        "--iters",
        "20000",
        "--trials",
        "2",
        "--watchdog",
        "1",
        "--json",
    ]);
    for t in r["trials"].as_array().unwrap() {
        assert!(t["value"].is_null() || t["value"] == r["expected"], "{t}");
    }
    assert_eq!(r["forbidden"], false);
}

#[test]
fn list_and_explain() {
    let r = json(&["list", "--json"]);
    assert!(r["experiments"].as_array().unwrap().len() >= 12);
    let out = lab(&["explain", "racy-atomic"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("atomic is not the same as correct"));
    assert!(text.contains("pub fn kernel<R: Rt>"));
}

#[test]
fn litmus_never_shows_what_the_language_forbids() {
    // Whatever the hardware, Rust guarantees these: SeqCst forbids store buffering, and
    // Release/Acquire forbids seeing the flag without the data.
    let r = json(&[
        "litmus",
        "SB",
        "MP",
        "--ordering",
        "seqcst",
        "--iters",
        "20000",
        "--json",
    ]);
    let r2 = json(&[
        "litmus",
        "MP",
        "--ordering",
        "acqrel",
        "--iters",
        "20000",
        "--json",
    ]);
    for t in r["tests"]
        .as_array()
        .unwrap()
        .iter()
        .chain(r2["tests"].as_array().unwrap())
    {
        assert_eq!(t["forbidden_seen"], false, "{t}");
        let total: u64 = t["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["native"].as_u64().unwrap())
            .sum();
        assert_eq!(total, 20000);
        assert!(t["observation"]
            .as_str()
            .unwrap()
            .starts_with("Observation "));
    }
    // Without --ordering, every ordering: one report each, with the three columns (the
    // native count is never asserted, only that every iteration is counted).
    let r = json(&["litmus", "CoRR", "IRIW", "--iters", "300", "--json"]);
    assert_eq!(r["schema"], "race-lab.litmus/2");
    let tests = r["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 6);
    for t in tests {
        assert!(t["model"] == "allowed" || t["model"] == "forbidden", "{t}");
        assert!(
            t["native_seen"].is_u64() && t["loom_found"].is_boolean(),
            "{t}"
        );
        assert!(t["citation"].as_str().unwrap().contains("PLDI 2017"), "{t}");
        let total: u64 = t["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["native"].as_u64().unwrap())
            .sum();
        assert_eq!(total, 300);
    }
    assert_eq!(tests[0]["loom_vs_model"], "agrees");
    assert_eq!(tests[5]["loom_vs_model"], "false_alarm"); // IRIW, seqcst
    refused(&["litmus", "XY"], "unknown litmus test");
    refused(&["litmus", "--iters", "0"], "--iters");
}

#[test]
fn replay_steps_through_the_interleaving() {
    let out = lab(&["replay", "racy-atomic", "--schedule", "0,1", "--step"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let steps: Vec<&str> = text.lines().filter(|l| l.starts_with("step ")).collect();
    assert_eq!(steps.len(), 4, "{text}");
    assert!(steps[0].contains("T0") && steps[0].contains("load a0 → 0"));
    assert!(steps[3].contains("T0") && steps[3].contains("store a0 ← 1"));
    // The state after step 2: both threads hold a private copy of 0.
    assert!(
        text.contains("a0 = 0 · T0 read a0 = 0 · T1 read a0 = 0"),
        "{text}"
    );
    assert!(text.contains("final 1 (expected 2)"));
}
