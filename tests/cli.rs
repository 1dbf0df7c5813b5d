//! The command line as a user meets it: every bad input is one line on stderr and exit 2,
//! never a panic; good input produces the reports (checked through `--json`).

mod common;
use common::{json, lab, refused};
use race_lab::experiment::{Class, Experiment};
use race_lab::experiments;

#[test]
fn bad_input_is_one_line_and_exit_2() {
    refused(&["run", "unsynched"], "did you mean 'unsynced'");
    refused(&["run", "mutx"], "did you mean 'mutex'");
    refused(&["run", "zzzzzzzzzz"], "race-lab list");
    refused(&["run", "atomic", "--threads", "0"], "between 1 and 1024");
    refused(
        &["run", "atomic", "--threads", "100000"],
        "between 1 and 1024",
    );
    refused(
        &["run", "atomic", "--iters", "0"],
        "--iters must be between 1",
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
        "--batch must be between 1",
    );
    refused(&["run", "atomic", "--pin", "4096"], "does not exist");
    refused(&["run", "atomic", "--pin", "x"], "bad --pin");
    refused(&["run", "atomic", "--trials", "0"], "--trials");
    refused(&["run", "deadlock", "--threads", "1"], "at least 2 threads");
    refused(
        &["replay", "lost-wakeup", "-t", "1", "--schedule", "0"],
        "lost-wakeup needs at least 2 threads",
    );
    refused(
        &["explore", "atomic", "--threads", "5", "--world", "loom"],
        "at most 4 worker threads",
    );
    refused(
        &["explore", "atomic", "--iters", "5000", "--world", "loom"],
        "lower --iters",
    );
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

/// Thread counts from `counts` that `e` accepts (Peterson's lock: exactly 2).
fn thread_counts(e: &Experiment, counts: &[usize]) -> Vec<usize> {
    counts
        .iter()
        .copied()
        .filter(|t| (e.threads.0..=e.threads.1).contains(t))
        .collect()
}

#[test]
fn fixed_experiments_are_exact_on_real_threads() {
    // Every fixed experiment of the catalogue, so that a new one cannot be missed.
    let fixed: Vec<&Experiment> = experiments::all()
        .filter(|e| e.class == Class::Fixed)
        .collect();
    assert!(fixed.len() >= 8, "the catalogue lost its fixes");
    for e in fixed {
        let counts = thread_counts(e, &[1, 2, 4, 8]);
        assert!(!counts.is_empty(), "{}: no thread count to try", e.name);
        for threads in counts {
            let r = json(&[
                "run",
                e.name,
                "--threads",
                &threads.to_string(),
                "--iters",
                "20000",
                "--trials",
                "3",
                "--json",
            ]);
            assert_eq!(r["schema"], "race-lab.run/2");
            assert_eq!(r["forbidden"], false, "{}", e.name);
            // Whatever the outcome's record, a fix's every trial is ACCEPTABLE…
            for t in r["trials"].as_array().unwrap() {
                assert_eq!(t["grade"], "ACCEPTABLE", "{} x{threads}: {t}", e.name);
            }
            for o in r["outcomes"].as_array().unwrap() {
                assert_eq!(o["grade"], "ACCEPTABLE", "{} x{threads}: {o}", e.name);
            }
            // …and a counter's is exact.
            if r["trials"][0]["outcome"]
                .as_object()
                .is_some_and(|o| o.len() == 1 && o.contains_key("value"))
            {
                for t in r["trials"].as_array().unwrap() {
                    assert_eq!(t["value"], r["expected"], "{} x{threads}", e.name);
                }
            }
        }
    }
}

#[test]
fn racy_runs_stay_within_the_theory() {
    // Whether updates are lost depends on timing; the bounds do not. Every racy counter
    // of the catalogue.
    let racy: Vec<&Experiment> = experiments::all()
        .filter(|e| e.class.is_racy() && e.judge.is_none())
        .collect();
    assert!(racy.len() >= 3, "the catalogue lost its races");
    for e in racy {
        let Some(&threads) = thread_counts(e, &[4, 2]).first() else {
            continue;
        };
        let r = json(&[
            "run",
            e.name,
            "--threads",
            &threads.to_string(),
            "--iters",
            "10000",
            "--trials",
            "3",
            "--json",
        ]);
        let expected = r["expected"].as_u64().unwrap();
        for t in r["trials"].as_array().unwrap() {
            let v = t["value"].as_u64().unwrap();
            assert!((2..=expected).contains(&v), "{}: {v}", e.name);
            assert_ne!(t["grade"], "FORBIDDEN", "{}", e.name);
        }
        let counted: u64 = r["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["count"].as_u64().unwrap())
            .sum();
        assert_eq!(counted, 3, "{}", e.name);
    }
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
        .map(|o| o["outcome"]["value"].as_u64().unwrap())
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
    assert_eq!(r["outcomes"][0]["outcome"], serde_json::json!({"value": 6}));
    // With no --world, a fix is proved in the rc11 world: 6! orders of six fetch_adds in
    // the modification order, each one graph.
    assert_eq!(r["world"], "rc11");
    assert!(r["chosen"].as_str().unwrap().contains("no --world"), "{r}");
    let r = json(&[
        "explore",
        "atomic",
        "--threads",
        "6",
        "--iters",
        "1",
        "--json",
    ]);
    assert_eq!(r["world"], "rc11");
    assert_eq!(r["complete"], true);
    assert_eq!(r["executions"], 720);
    assert_eq!(r["outcomes"][0]["outcome"], serde_json::json!({"value": 6}));
    assert!(r["verdict"].as_str().unwrap().contains("proved"), "{r}");
    // Past the rc11 world's 64 increments, explore picks the scheduled world, which takes
    // any size, and says so.
    let r = json(&["explore", "sharded", "-t", "70", "-i", "1", "--json"]);
    assert_eq!(r["world"], "scheduled");
    assert_eq!(r["complete"], true);
    assert!(
        r["chosen"].as_str().unwrap().contains("which takes 70×1"),
        "{r}"
    );
    // The racy counter's set under sequential consistency is the theory's, as under loom.
    let r = json(&[
        "explore",
        "racy-atomic",
        "-t",
        "2",
        "-i",
        "3",
        "--world",
        "scheduled",
        "--json",
    ]);
    let values: Vec<u64> = r["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["outcome"]["value"].as_u64().unwrap())
        .collect();
    assert_eq!(values, [2, 3, 4, 5, 6]);
}

#[test]
fn explore_survives_races_and_deadlocks() {
    let out = lab(&[
        "explore", "unsynced", "-t", "2", "-i", "1", "--world", "loom",
    ]);
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
    // Said in words, not as the scheduler's debug dump.
    assert!(
        !text.contains("Blocked(") && !text.contains("Id(0)"),
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
    assert_eq!(
        r["experiments"].as_array().unwrap().len(),
        experiments::all().count() + experiments::PROCESS.len() + race_lab::refused::REFUSED.len()
    );
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
        let total: u64 = t["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["count"].as_u64().unwrap())
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
        let total: u64 = t["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["count"].as_u64().unwrap())
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

#[test]
fn the_committed_man_page_is_a_fresh_render() {
    let out = common::lab(&["__man"]);
    assert!(out.status.success());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/race-lab.1");
    let committed = std::fs::read(path).expect("docs/race-lab.1 exists");
    assert!(
        out.stdout == committed,
        "docs/race-lab.1 is stale: regenerate it with `cargo run -- __man > docs/race-lab.1`"
    );
}

#[test]
fn completions_are_generated_for_each_shell() {
    for (shell, needle) in [
        ("bash", "_race__lab()"),
        ("zsh", "#compdef race-lab"),
        ("fish", "complete -c race-lab"),
    ] {
        let out = common::lab(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(needle),
            "{shell}: {}",
            &text[..text.len().min(200)]
        );
        assert!(text.contains("explore"), "{shell}");
    }
}

#[test]
fn every_subcommand_help_ends_with_examples() {
    for cmd in [
        "list",
        "run",
        "explain",
        "explore",
        "replay",
        "hunt",
        "compare",
        "litmus",
        "claims",
        "completions",
    ] {
        let out = common::lab(&[cmd, "--help"]);
        assert!(out.status.success(), "{cmd}");
        let text = String::from_utf8_lossy(&out.stdout);
        let tail: Vec<&str> = text.trim_end().lines().rev().take(4).collect();
        assert!(
            tail.iter().any(|l| l.trim_start().starts_with("race-lab "))
                && text.contains("Examples:"),
            "{cmd}: {text}"
        );
    }
}

#[test]
fn a_bare_race_lab_prints_one_line_of_what_to_try() {
    refused(&[], "race-lab run unsynced");
}

#[test]
fn long_timelines_are_summarised_unless_full() {
    let args = ["replay", "racy-atomic", "-t", "8", "-i", "20", "-s", "0,1"];
    let out = common::lab(&args);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("steps not shown (--full shows them all)"),
        "{text}"
    );
    assert!(text.lines().count() < 100, "{text}");
    let full = common::lab(&[&args[..], &["--full"]].concat());
    let full = String::from_utf8_lossy(&full.stdout);
    assert!(!full.contains("steps not shown") && full.lines().count() > 300);
    let v = common::json(&[&args[..], &["--json"]].concat());
    assert_eq!(v["truncated"], true);
    assert!(v["events"].as_array().unwrap().len() <= 60);
    assert!(v["steps"].as_u64().unwrap() > 300);
}

#[test]
fn names_given_twice_run_once_everywhere() {
    let v = json(&[
        "litmus",
        "SB",
        "sb",
        "--ordering",
        "relaxed",
        "-i",
        "1000",
        "--json",
    ]);
    assert_eq!(v["tests"].as_array().unwrap().len(), 1);
    let v = json(&[
        "compare", "atomic", "ATOMIC", "-t", "1", "-i", "1000", "-k", "1", "--json",
    ]);
    assert_eq!(v["params"]["experiments"].as_array().unwrap().len(), 1);
}

#[test]
fn wording_says_what_was_shown() {
    let out = lab(&[
        "explore",
        "racy-atomic",
        "-t",
        "2",
        "-i",
        "3",
        "--world",
        "loom",
        "--preemptions",
        "0",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("COMPLETE within the bound of 0 preemptions"),
        "{text}"
    );
    assert!(text.contains("outcomes within the bound {"), "{text}");
    assert!(text.contains("% of executions"), "{text}");
    let out = lab(&["run", "racy-atomic", "-t", "1", "-i", "100", "-k", "2"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("one thread has nobody to race with"),
        "{text}"
    );
}

#[test]
fn long_schedules_are_echoed_folded() {
    let v = json(&["replay", "racy-atomic", "-s", "1x1000000", "--json"]);
    assert_eq!(v["params"]["schedule"], "1x1000000");
}

/// A reader that went away is the end of the output, as `head` users expect: exit 0, nothing
/// on stderr, in text and in JSON; a full disk is an error in one line, never a panic. The
/// pipe's read end is closed before the lab starts, so every write meets a closed pipe.
#[test]
fn a_closed_pipe_ends_the_output_and_a_full_disk_is_one_line() {
    use std::process::{Command, Stdio};
    for args in [
        &["list", "--json"][..],
        &["list"],
        &["explain", "atomic", "--json"],
        &["completions", "bash"],
        &["completions", "fish"],
        &["play", "racy-atomic", "--moves", "0", "--json"],
        &["play", "racy-atomic", "--moves", "0"],
        &["verify", "SB", "--json"],
        &["explore", "atomic", "--json"],
    ] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_race-lab"))
            .args(args)
            .stdout(Stdio::from(writer))
            .stderr(Stdio::piped())
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let out = Command::new(env!("CARGO_BIN_EXE_race-lab"))
            .args(["completions", "bash"])
            .stdout(Stdio::from(full))
            .stderr(Stdio::piped())
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("No space left"), "{err}");
    }
}

/// A name given twice is checked (or run) once.
#[test]
fn a_name_given_twice_runs_once() {
    let checks = |args: &[&str]| json(args)["checks"].as_array().map_or(0, Vec::len);
    let once = checks(&["verify", "atomic", "SB", "--json"]);
    assert!(once > 0);
    assert_eq!(
        checks(&["verify", "atomic", "SB", "atomic", "sb", "--json"]),
        once
    );
}

/// Outputs are checked before any work: a JUnit path or a page that cannot be written, a page
/// over something that is not a regular file (a FIFO), and a `--from` directory holding no
/// saved outputs are refused at once.
#[test]
fn outputs_are_refused_before_any_work() {
    refused(
        &["verify", "atomic", "--junit", "/nonexistent/dir/x.xml"],
        "cannot write /nonexistent/dir/x.xml",
    );
    refused(
        &["report", "--out", "/proc/x.html"],
        "cannot write /proc/x.html",
    );
    let dir = std::env::temp_dir().join(format!("race-lab-outputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("page.html");
    let _ = std::fs::remove_file(&fifo);
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    refused(
        &["report", "--out", fifo.to_str().unwrap()],
        "is not a regular file",
    );
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = dir.join("out.html");
    refused(
        &[
            "report",
            "--from",
            empty.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        "holds no saved outputs",
    );
    assert!(!out.exists(), "nothing written");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fix whose loom search raises the false alarm it declares says so, in `explore` as in
/// `verify` (the search stops at the first failing execution: a fixed count of them).
#[test]
fn explore_names_a_declared_loom_false_alarm() {
    let out = lab(&[
        "explore",
        "peterson-seqcst",
        "-t",
        "2",
        "-i",
        "1",
        "--world",
        "loom",
        "--first-failure",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}{err}");
    assert!(text.contains("a declared loom false alarm"), "{text}");
    // Its failing execution ends with what went wrong, never an empty "→ ".
    assert!(!text.contains("→ \n"), "{text}");
    assert!(text.contains("→ "), "{text}");
    assert!(err.contains("a declared loom false alarm"), "{err}");
    // Its fix without the declaration (peterson-swap) raises none.
    let out = lab(&["explore", "peterson-swap", "-t", "2", "-i", "1"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("false alarm"));
}

/// `replay --step` without a terminal prints the steps the timeline shows, not every step of
/// a long run: 64 threads × 10,000 increments once printed over a gigabyte.
#[test]
fn replay_step_without_a_terminal_is_bounded() {
    let out = lab(&[
        "replay",
        "racy-atomic",
        "-t",
        "64",
        "-i",
        "10000",
        "-s",
        "0",
        "--step",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.len() < 200_000, "{} bytes", out.stdout.len());
}
