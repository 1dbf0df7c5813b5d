//! The property suite: `cargo test --release --test proptests`.
//!
//! In plain words:
//! 1. every fixed experiment counts exactly N × M on real threads, for any N in 1..=8,
//!    M in 0..=500, ordering and batch size;
//! 2. every fixed experiment counts exactly N × M in the scheduled world under any schedule,
//!    with up to 8 threads (more than loom can check);
//! 3. the racy experiments obey the theory under any schedule: 1 ≤ final ≤ N × M, and
//!    final ≥ 2 when N ≥ 2 and M ≥ 2;
//! 4. a fixed-seed proptest run finds a lost update in `racy-atomic` and in `unsynced`
//!    (2 threads × 1 increment) and shrinks it to the shortest possible schedule, which
//!    replays to a lost update, identically every time.
//!
//! Nothing here depends on real-thread timing: the real-thread property asserts only what
//! must hold whatever the timing, and races are made to show by schedules, not by luck.

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use race_lab::experiment::{Class, Experiment, Grade, Params};
use race_lab::experiments::{self, deadlock, racy_atomic, unsynced};
use race_lab::hunt;
use race_lab::rt::{sched, MemOrder};

/// The fixed experiments that take `threads` workers (as the CLI checks: Peterson's lock
/// takes exactly two).
fn fixed(threads: usize) -> Vec<&'static Experiment> {
    experiments::all()
        .filter(|e| e.class == Class::Fixed && takes(e, threads))
        .collect()
}

/// The racy experiments that take `threads` workers.
fn racy(threads: usize) -> Vec<&'static Experiment> {
    experiments::all()
        .filter(|e| e.class.is_racy() && takes(e, threads))
        .collect()
}

fn takes(e: &Experiment, threads: usize) -> bool {
    (e.threads.0..=e.threads.1).contains(&threads)
}

fn ordering() -> impl Strategy<Value = MemOrder> {
    prop_oneof![
        Just(MemOrder::Relaxed),
        Just(MemOrder::Acqrel),
        Just(MemOrder::Seqcst)
    ]
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

/// A scheduled run of `exp`: the final value, or `None` for a deadlock.
fn scheduled(exp: &Experiment, p: &Params, schedule: &[usize]) -> Option<u64> {
    hunt::run_scheduled(exp, p, schedule, true)
        .result
        .map(|o| o.primary())
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn fixed_experiments_are_exact_on_real_threads(
        threads in 1usize..=8, iters in 0u64..=500, ord in ordering(), batch in 1u64..=64,
    ) {
        for exp in fixed(threads) {
            let p = Params { threads, iters, ordering: ord, window: 0, batch };
            let run = (exp.kernels.native)(&p);
            prop_assert_eq!(run.value(), p.expected(), "{} {:?}", exp.name, p);
        }
    }

    #[test]
    fn fixed_experiments_are_exact_under_any_schedule(
        threads in 1usize..=8, iters in 1u64..=3, batch in 1u64..=3,
        schedule in prop::collection::vec(0usize..8, 0..64),
    ) {
        let schedule: Vec<usize> = schedule.into_iter().filter(|&t| t < threads).collect();
        for exp in fixed(threads) {
            let p = Params { threads, iters, ordering: MemOrder::Seqcst, window: 0, batch };
            prop_assert_eq!(scheduled(exp, &p, &schedule), Some(p.expected()), "{} {:?}", exp.name, schedule);
        }
    }

    #[test]
    fn racy_experiments_obey_the_theory_under_any_schedule(
        threads in 1usize..=8, iters in 1u64..=3,
        schedule in prop::collection::vec(0usize..8, 0..64),
    ) {
        let schedule: Vec<usize> = schedule.into_iter().filter(|&t| t < threads).collect();
        for exp in racy(threads) {
            let p = Params::new(threads, iters);
            let run = hunt::run_scheduled(exp, &p, &schedule, true);
            let outcome = run.result.expect("a racy experiment cannot deadlock");
            // Whatever it shows, never what its own grading calls impossible.
            let (grade, meaning) = exp.grade(&p, Some(&outcome));
            prop_assert!(grade != Grade::Forbidden, "{}: {} ({})", exp.name, outcome, meaning);
            if exp.judge.is_some() {
                continue; // not a counter: its judge is its theory
            }
            let v = outcome.primary();
            prop_assert!(v <= p.expected(), "{}: {} > {}", exp.name, v, p.expected());
            prop_assert!(v >= 1, "{}: final 0", exp.name);
            if threads >= 2 && iters >= 2 {
                prop_assert!(v >= 2, "{}: final {} < 2", exp.name, v);
            }
            prop_assert!(v >= Experiment::racy_minimum(&p));
        }
    }
}

/// The shortest schedule that can lose an update with 2 threads × 1 increment has two
/// entries: one to let T0 load, one to switch to T1 before T0 stores. A single entry (or
/// none) lets the first thread to run finish its increment first.
fn assert_hunt_shrinks_to_two(exp: &'static Experiment) {
    let p = Params::new(2, 1);
    let r = hunt::hunt(exp, &p, 256, 7, &race_lab::Cancel::new()).unwrap();
    assert!(r.found, "{}: {}", exp.name, r.verdict);
    let minimal = r.minimal.clone().unwrap();
    // The shortest failing schedules, found by brute force over every schedule of length
    // 0, 1 and 2: exactly the two that switch threads between a load and its store.
    let shortest: Vec<String> = [
        vec![],
        vec![0],
        vec![1],
        vec![0, 0],
        vec![0, 1],
        vec![1, 0],
        vec![1, 1],
    ]
    .into_iter()
    .filter(|s| hunt::fails(exp, &p, s))
    .map(|s| race_lab::schedule::format(&s))
    .collect();
    assert_eq!(shortest, ["0,1", "1,0"]);
    assert!(
        shortest.contains(&minimal),
        "{}: shrunk to {minimal}: {}",
        exp.name,
        r.verdict
    );
    // The same seed shrinks to the same schedule.
    assert_eq!(
        hunt::hunt(exp, &p, 256, 7, &race_lab::Cancel::new())
            .unwrap()
            .minimal,
        Some(minimal.clone())
    );
    // Replaying the minimal schedule loses the update, identically every time.
    let schedule = race_lab::schedule::parse(&minimal, 2).unwrap();
    let first = hunt::replay(exp, &p, &schedule);
    assert_eq!(first.final_value, Some(1));
    for _ in 0..10 {
        let again = hunt::replay(exp, &p, &schedule);
        assert_eq!(again.timeline, first.timeline);
        assert_eq!(again.final_value, Some(1));
    }
}

#[test]
fn hunt_shrinks_racy_atomic_to_the_shortest_schedule() {
    assert_hunt_shrinks_to_two(&racy_atomic::EXPERIMENT);
}

#[test]
fn hunt_shrinks_unsynced_to_the_shortest_schedule() {
    assert_hunt_shrinks_to_two(&unsynced::EXPERIMENT);
}

#[test]
fn hunt_finds_and_shrinks_with_eight_threads() {
    let p = Params::new(8, 3);
    let r = hunt::hunt(&unsynced::EXPERIMENT, &p, 256, 0, &race_lab::Cancel::new()).unwrap();
    assert!(r.found);
    let rep = r.replay.unwrap();
    assert!(rep.final_value.unwrap() < 24);
    assert!(r.minimal.unwrap().split(',').count() <= 2);
}

#[test]
fn hunt_reports_no_failure_for_fixed_experiments() {
    for exp in fixed(4) {
        let r = hunt::hunt(exp, &Params::new(4, 2), 64, 1, &race_lab::Cancel::new()).unwrap();
        assert!(!r.found, "{}: {}", exp.name, r.verdict);
        assert!(r.verdict.contains("no failure in 64 schedules"));
    }
}

#[test]
fn scheduled_deadlock_is_found_and_named() {
    let p = Params::new(2, 1);
    let r = hunt::replay(&deadlock::EXPERIMENT, &p, &[0, 1]);
    assert_eq!(r.final_value, None);
    assert_eq!(r.deadlock, vec!["T0 waits for B", "T1 waits for A"]);
    // The default order alone (no schedule) finishes: the deadlock needs the switch.
    assert_eq!(
        hunt::replay(&deadlock::EXPERIMENT, &p, &[]).final_value,
        Some(2)
    );
    let h = hunt::hunt(&deadlock::EXPERIMENT, &p, 256, 3, &race_lab::Cancel::new()).unwrap();
    assert!(h.found && h.replay.unwrap().final_value.is_none());
}

#[test]
fn cases_zero_is_refused() {
    let e = hunt::hunt(
        &racy_atomic::EXPERIMENT,
        &Params::new(2, 1),
        0,
        0,
        &race_lab::Cancel::new(),
    )
    .unwrap_err();
    assert_eq!(e.kind, race_lab::error::ErrorKind::Usage);
}

#[test]
fn pct_finds_shrinks_and_replays() {
    for exp in [
        &racy_atomic::EXPERIMENT,
        &unsynced::EXPERIMENT,
        &deadlock::EXPERIMENT,
    ] {
        let p = Params::new(2, 2);
        let r = hunt::hunt_pct(exp, &p, 200, 11, 3, &race_lab::Cancel::new()).unwrap();
        assert!(r.found, "{}: {}", exp.name, r.verdict);
        let minimal = race_lab::schedule::parse(r.minimal.as_deref().unwrap(), 2).unwrap();
        assert!(minimal.len() <= 2, "{}: {:?}", exp.name, minimal);
        assert!(hunt::fails(exp, &p, &minimal));
        // The same seed finds the same schedule.
        assert_eq!(
            hunt::hunt_pct(exp, &p, 200, 11, 3, &race_lab::Cancel::new())
                .unwrap()
                .original,
            r.original
        );
    }
}

#[test]
fn pct_decisions_replay_the_run() {
    let p = Params::new(4, 2);
    for seed in 0..20 {
        let pct = sched::Pct::new(4, 64, 3, seed);
        let q = p.clone();
        let run = sched::run_pct(4, pct, true, 100_000, move || {
            (unsynced::EXPERIMENT.kernels.sched)(&q).value()
        });
        let again = hunt::replay(&unsynced::EXPERIMENT, &p, &run.decisions);
        assert_eq!(again.final_value, run.result, "seed {seed}");
        assert_eq!(again.events.len(), run.events.len());
    }
}

#[test]
fn pct_finds_nothing_in_fixed_experiments() {
    for exp in fixed(4) {
        let r =
            hunt::hunt_pct(exp, &Params::new(4, 2), 64, 5, 3, &race_lab::Cancel::new()).unwrap();
        assert!(!r.found, "{}: {}", exp.name, r.verdict);
    }
}
