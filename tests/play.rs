//! `race-lab play --moves` through every level: a shortest failing move sequence (found by
//! the game's own breadth-first search, and as long as the shortest failing interleaving of
//! the exhaustive enumeration)
//! wins, and the replay command the game prints reproduces the same outcome; a serial run
//! does not win (and a fix says why it cannot be broken); undo restores the exact screen;
//! illegal moves and a missing terminal are one-line errors; the campaign lists the levels
//! in teaching order and forgets progress on `--reset`.

mod common;
use common::refused;
use race_lab::experiment::{Experiment, Params};
use race_lab::play::game::{Game, Hint};
use race_lab::play::{levels, search, Kind};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

/// A data directory of this test's own, so that nothing touches the user's progress.
fn data_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("race-lab-play-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn lab_in(dir: &PathBuf, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_race-lab"))
        .args(args)
        .env("RACE_LAB_DATA_DIR", dir)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("the binary runs")
}

/// `race-lab play <exp> --moves <moves> [extra…]`: stdout, which must be a success.
fn play(exp: &Experiment, moves: &[usize], extra: &[&str]) -> String {
    play_str(exp, &fmt(moves), extra)
}

fn play_str(exp: &Experiment, moves: &str, extra: &[&str]) -> String {
    let dir = data_dir("moves");
    let mut args = vec!["play", exp.name, "--moves", moves];
    args.extend_from_slice(extra);
    let out = lab_in(&dir, &args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !dir.exists(),
        "a scripted game wrote progress into {}",
        dir.display()
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn fmt(moves: &[usize]) -> String {
    moves
        .iter()
        .map(|m| m.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn size(exp: &Experiment) -> Params {
    let s = exp.play_size().expect("a level has a play size");
    Params::new(s.threads, s.iters)
}

/// The printed replay command's schedule.
fn printed_schedule(screen: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.trim_start().starts_with("race-lab replay "))
        .unwrap_or_else(|| panic!("no replay line in\n{screen}"));
    line.split('"')
        .nth(1)
        .expect("a quoted schedule")
        .to_string()
}

#[test]
fn every_bug_level_is_won_by_a_shortest_failing_sequence_that_replay_reproduces() {
    let mut bugs = 0;
    for exp in levels().into_iter().filter(|e| Kind::of(e) == Kind::Bug) {
        bugs += 1;
        let p = size(exp);
        let Hint::Step { path, .. } = search::hint(exp, &p, &[], &race_lab::Cancel::new()) else {
            panic!("{}: no way to the goal from the start", exp.name);
        };
        let proof = search::prove(exp, &p, &race_lab::Cancel::new());
        // The BFS over states is exact; the DPOR enumeration (a different search) must agree
        // with it where it ran to the end, and can only be longer where it stopped at its
        // bound (bounded-buffer-one-cv at its 3 × 2 play size).
        let (enumerated, _) = proof.shortest_run.clone().expect("a failing class");
        if proof.complete {
            assert_eq!(
                path.len() as u64,
                enumerated,
                "{}: the BFS over states and the exhaustive search disagree",
                exp.name
            );
        } else {
            assert!(
                path.len() as u64 <= enumerated,
                "{}: the BFS found a longer way than a run of the enumeration",
                exp.name
            );
        }
        let shortest = path.len() as u64;

        let text = play(exp, &path, &[]);
        assert!(text.contains("*** BROKEN! ***"), "{}:\n{text}", exp.name);
        assert!(
            text.contains(&format!(
                "You broke it in {shortest} steps; the shortest possible is {shortest}"
            )),
            "{text}"
        );
        let doc: Value = serde_json::from_str(&play(exp, &path, &["--json"])).unwrap();
        assert_eq!(doc["won"], true, "{doc:#}");
        assert_eq!(doc["steps"], path.len(), "{doc:#}");
        assert_ne!(doc["outcomes"][0]["grade"], "ACCEPTABLE");

        // The printed command reproduces the same outcome, graded the same.
        let schedule = printed_schedule(&text);
        assert_eq!(doc["schedule"], schedule.as_str());
        let (t, i) = (p.threads.to_string(), p.iters.to_string());
        let r = common::json(&[
            "replay",
            exp.name,
            "-t",
            &t,
            "-i",
            &i,
            "--schedule",
            &schedule,
            "--json",
        ]);
        assert_eq!(
            r["outcomes"][0]["outcome"], doc["outcomes"][0]["outcome"],
            "{}",
            exp.name
        );
        assert_eq!(
            r["outcomes"][0]["grade"], doc["outcomes"][0]["grade"],
            "{}",
            exp.name
        );
        assert_eq!(
            r["outcomes"][0]["label"], doc["outcomes"][0]["label"],
            "{}",
            exp.name
        );
    }
    assert!(
        bugs >= 4,
        "the catalogue has unsynced, plain, racy-atomic, deadlock"
    );
}

#[test]
fn a_known_sequence_wins_racy_atomic_and_its_schedule_keeps_only_the_choices() {
    let exp = race_lab::experiments::find("racy-atomic").unwrap();
    // T0 and T1 both load 0; T0 finishes both increments; T1 stores 1 over them.
    let text = play_str(exp, "0,1,0,0,0,1,1,1", &[]);
    assert!(text.contains("final 2, expected 4"), "{text}");
    assert_eq!(printed_schedule(&text), "0,1,0,0,0");
    let r = common::json(&[
        "replay",
        "racy-atomic",
        "-t",
        "2",
        "-i",
        "2",
        "--schedule",
        "0,1,0,0,0",
        "--json",
    ]);
    assert_eq!(r["final_value"], 2);
}

#[test]
fn a_serial_run_does_not_win_and_a_fix_says_why_it_cannot_be_broken() {
    for exp in levels() {
        let p = size(exp);
        let mut g = Game::new(exp, p.clone());
        while let Some(&t) = g.view.enabled().first() {
            g.step(t).unwrap();
        }
        let moves = g.moves.clone();
        let doc: Value = serde_json::from_str(&play(exp, &moves, &["--json"])).unwrap();
        assert_eq!(doc["won"], false, "{}: {doc:#}", exp.name);
        assert_eq!(doc["ended"], true, "{}", exp.name);
        assert_eq!(doc["outcomes"][0]["grade"], "ACCEPTABLE", "{}", exp.name);
        let text = play(exp, &moves, &[]);
        assert!(!text.contains("BROKEN"), "{text}");
        match Kind::of(exp) {
            Kind::Fix => {
                let classes = doc["classes"].as_u64().unwrap();
                assert_eq!(doc["failing_classes"], 0, "{}", exp.name);
                assert_eq!(doc["unbreakable"], true, "{}", exp.name);
                let all = match classes {
                    1 => "the only class of interleavings ends".to_string(),
                    k => format!("all {k} classes of interleavings end"),
                };
                assert!(
                    text.contains(&format!("cannot be broken at this size: {all} ACCEPTABLE")),
                    "{text}"
                );
                assert_eq!(
                    search::hint(exp, &p, &[], &race_lab::Cancel::new()),
                    Hint::NoneFromHere,
                    "{}",
                    exp.name
                );
            }
            Kind::Bug => assert!(text.contains("not broken"), "{text}"),
        }
    }
}

#[test]
fn undo_restores_the_exact_previous_screen() {
    for exp in levels() {
        let mut g = Game::new(exp, size(exp));
        let a = g.view.enabled()[0];
        g.step(a).unwrap();
        let Some(&b) = g.view.enabled().last() else {
            continue;
        };
        let after_a = play(exp, &[a], &[]);
        let undone = play_str(exp, &format!("{a},{b},u"), &[]);
        assert_eq!(undone, after_a, "{}", exp.name);
        let redone = play_str(exp, &format!("{a},{b},u,{b}"), &[]);
        assert_eq!(redone, play(exp, &[a, b], &[]), "{}", exp.name);
    }
}

#[test]
fn illegal_moves_and_a_missing_terminal_are_one_line_errors() {
    refused(
        &["play", "racy-atomic", "--moves", "0,5"],
        "illegal move 2 ('5')",
    );
    refused(
        &["play", "racy-atomic", "--moves", "0,5"],
        "there is no thread 5",
    );
    refused(
        &["play", "racy-atomic", "--moves", "0,zz"],
        "malformed move 'zz'",
    );
    refused(
        &["play", "racy-atomic", "--moves", "0,0,0,0,0"],
        "T0 has finished",
    );
    refused(
        &["play", "deadlock", "-t", "3", "--moves", "0,2"],
        "T2 is blocked: it waits for A",
    );
    refused(
        &["play", "deadlock", "--moves", "0,1,0"],
        "the run has ended",
    );
    // The tests run without a terminal on stdin.
    refused(&["play", "racy-atomic"], "play needs a terminal");
    refused(&["play", "--moves", "0"], "need a level");
    refused(&["play", "racy-atomic", "--json"], "--json needs --moves");
    refused(&["play", "nope", "--moves", "0"], "unknown experiment");
}

#[test]
fn the_campaign_lists_the_levels_in_teaching_order_and_forgets_on_reset() {
    let dir = data_dir("campaign");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("progress.json");
    std::fs::write(
        &file,
        r#"{"levels": {"racy-atomic": {"won": true, "best": 8, "played": 2}}}"#,
    )
    .unwrap();
    let out = lab_in(&dir, &["play"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let pos = |name: &str| {
        text.find(&format!(" {name} "))
            .unwrap_or_else(|| panic!("{name} missing from\n{text}"))
    };
    for e in levels() {
        pos(e.name);
    }
    assert!(pos("unsynced") < pos("racy-atomic"));
    assert!(pos("racy-atomic") < pos("atomic"));
    assert!(pos("mutex") < pos("deadlock"));
    let line = text.lines().find(|l| l.contains(" racy-atomic ")).unwrap();
    assert!(line.contains("broken (best 8 steps)"), "{line}");

    let out = lab_in(&dir, &["play", "--reset"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("progress cleared"));
    assert!(!file.exists());
    let out = lab_in(&dir, &["play"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("broken (best"));
    let _ = std::fs::remove_dir_all(dir);
}
