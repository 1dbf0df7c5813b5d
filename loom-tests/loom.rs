//! The loom suite: every thread experiment, model-checked through the very kernels that
//! `race-lab run` times. Run it with `cargo test --release --test loom`.
//!
//! * every fixed experiment: the exploration is complete and the only outcome is N × M, for
//!   2×2, 3×1 and 3×2 (3×2 with a preemption bound of 2 for `cas`, whose retry loop makes
//!   the unbounded model too large), plus 4×1 (loom's limit of 4 workers) with bound 2;
//! * `racy-atomic`: the outcome set is exactly the theoretical one, under every ordering;
//! * `unsynced` and `plain`: loom reports the data race, naming a read and a write;
//! * `deadlock`: loom reports the deadlock, naming both blocked threads and their locks.

use race_lab::experiment::{Class, Experiment, Params};
use race_lab::experiments::{self, deadlock, plain, racy_atomic, unsynced};
use race_lab::explore::{explore, ExploreConfig, ExploreReport, World};
use race_lab::rt::MemOrder;
use std::collections::BTreeSet;

fn run(
    exp: &'static Experiment,
    threads: usize,
    iters: u64,
    ord: MemOrder,
    bound: Option<usize>,
) -> ExploreReport {
    let mut params = Params::new(threads, iters);
    params.ordering = ord;
    let cfg = ExploreConfig {
        exp,
        params,
        world: World::Loom,
        preemptions: bound,
        max_seconds_given: false,
        max_executions: None,
        spurious_wakeups: false,
        first_failure: false,
        max_seconds: 120.0,
        show: 3,
        cancel: race_lab::Cancel::new(),
        jobs: 1,
    };
    explore(&cfg).unwrap_or_else(|e| panic!("{} {threads}x{iters}: {e}", exp.name))
}

fn outcomes(r: &ExploreReport) -> BTreeSet<u64> {
    r.outcomes.iter().map(|o| o.value).collect()
}

/// The fixed counters. Every fixed experiment is proved at its declared size by `race-lab
/// verify` (in CI, once); here the counters are also checked at larger sizes.
fn fixed() -> impl Iterator<Item = &'static Experiment> {
    experiments::all().filter(|e| e.class == Class::Fixed && e.family == "counters")
}

fn assert_exact(
    exp: &'static Experiment,
    threads: usize,
    iters: u64,
    ord: MemOrder,
    bound: Option<usize>,
) {
    let r = run(exp, threads, iters, ord, bound);
    assert!(
        r.complete,
        "{} {threads}x{iters}: exploration incomplete: {:?}",
        exp.name, r.stopped
    );
    assert!(
        r.race.is_none() && r.deadlock.is_none(),
        "{}: {}",
        exp.name,
        r.verdict
    );
    assert_eq!(
        outcomes(&r),
        BTreeSet::from([threads as u64 * iters]),
        "{}: {}",
        exp.name,
        r.verdict
    );
    assert!(r.executions >= 1);
    assert_eq!(r.failing_executions, 0);
}

#[test]
fn fixed_counters_are_exact_3x1() {
    for exp in fixed() {
        assert_exact(exp, 3, 1, MemOrder::Seqcst, None);
    }
}

#[test]
fn fixed_experiments_are_exact_3x2() {
    for exp in fixed() {
        let bound = (exp.name == "cas").then_some(2);
        assert_exact(exp, 3, 2, MemOrder::Seqcst, bound);
    }
}

#[test]
fn fixed_experiments_are_exact_with_four_workers_bounded() {
    for exp in fixed() {
        assert_exact(exp, 4, 1, MemOrder::Seqcst, Some(2));
    }
}

#[test]
fn atomic_and_cas_are_exact_under_every_ordering() {
    for name in ["atomic", "cas"] {
        let exp = experiments::find(name).unwrap();
        for ord in [MemOrder::Relaxed, MemOrder::Acqrel, MemOrder::Seqcst] {
            assert_exact(exp, 2, 2, ord, None);
            assert_exact(exp, 3, 1, ord, None);
        }
    }
}

#[test]
fn racy_atomic_outcomes_are_the_theoretical_set() {
    for ord in [MemOrder::Relaxed, MemOrder::Acqrel, MemOrder::Seqcst] {
        let r = run(&racy_atomic::EXPERIMENT, 2, 1, ord, None);
        assert!(r.complete);
        assert_eq!(outcomes(&r), BTreeSet::from([1, 2]), "{ord:?}");
        let r = run(&racy_atomic::EXPERIMENT, 2, 3, ord, None);
        assert!(r.complete);
        assert_eq!(outcomes(&r), BTreeSet::from([2, 3, 4, 5, 6]), "{ord:?}");
        // The worst failing execution is shown first, with a sentence saying what was lost.
        assert_eq!(r.failing[0].final_value, 2);
        assert!(
            r.failing[0].explanation.contains("4 increments lost"),
            "{}",
            r.failing[0].explanation
        );
        assert!(
            r.verdict.contains("lost updates") && r.verdict.contains("{2,3,4,5,6}"),
            "{}",
            r.verdict
        );
    }
}

#[test]
fn relaxed_loads_can_be_stale_and_are_marked() {
    // Under Relaxed, loom lets a load return an older store with no preemption at all; the
    // loom world must notice and mark it. Collect every execution's trace of racy-atomic 2×2.
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    let stale = std::sync::Arc::new(AtomicUsize::new(0));
    let s = stale.clone();
    let mut p = Params::new(2, 2);
    p.ordering = MemOrder::Relaxed;
    loom::model::Builder::new().check(move || {
        race_lab::rt::loom_world::begin();
        let run = (racy_atomic::EXPERIMENT.kernels.loom)(&p);
        let events = race_lab::rt::loom_world::take().events;
        let marked: Vec<_> = events.iter().filter(|e| e.stale_latest.is_some()).collect();
        for e in &marked {
            // A stale load returned a value other than the latest one stored.
            assert_ne!(Some(e.value), e.stale_latest);
        }
        if !marked.is_empty() {
            s.fetch_add(1, SeqCst);
        }
        assert!(run.value() <= 4);
    });
    assert!(stale.load(SeqCst) > 0, "no execution had a stale read");
}

fn assert_race(exp: &'static Experiment, file: &str) {
    let r = run(exp, 2, 1, MemOrder::Seqcst, None);
    let race = r
        .race
        .as_ref()
        .unwrap_or_else(|| panic!("{}: no race reported: {}", exp.name, r.verdict));
    assert!(
        race.loom_message.starts_with("Causality violation"),
        "{}",
        race.loom_message
    );
    assert_eq!(race.accesses.len(), 2, "{:?}", race.accesses);
    let kinds: BTreeSet<bool> = race
        .accesses
        .iter()
        .map(|a| a.contains(" read of "))
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from([true, false]),
        "a read and a write: {:?}",
        race.accesses
    );
    assert!(
        race.accesses.iter().all(|a| a.contains(file)),
        "{:?}",
        race.accesses
    );
    assert!(!r.complete);
    assert!(r.verdict.contains("DATA RACE"));
}

#[test]
fn unsynced_data_race_is_detected_naming_a_read_and_a_write() {
    assert_race(&unsynced::EXPERIMENT, "experiments/unsynced.rs:");
}

#[test]
fn plain_data_race_is_detected_too() {
    assert_race(&plain::EXPERIMENT, "experiments/plain.rs:");
}

#[test]
fn deadlock_is_detected() {
    let r = run(&deadlock::EXPERIMENT, 2, 1, MemOrder::Seqcst, None);
    let d = r.deadlock.as_ref().expect("loom finds the deadlock");
    assert!(d.loom_message.starts_with("deadlock"));
    assert_eq!(d.blocked.len(), 2, "{:?}", d.blocked);
    assert!(
        d.summary.contains("T0 holds A and waits for B"),
        "{}",
        d.summary
    );
    assert!(
        d.summary.contains("T1 holds B and waits for A"),
        "{}",
        d.summary
    );
    assert!(!r.complete);
}

#[test]
fn too_many_workers_is_an_error_not_a_panic() {
    let cfg = ExploreConfig {
        exp: &racy_atomic::EXPERIMENT,
        params: Params::new(5, 1),
        world: World::Loom,
        preemptions: None,
        max_seconds: 1.0,
        max_seconds_given: false,
        max_executions: None,
        spurious_wakeups: false,
        first_failure: false,
        show: 1,
        cancel: race_lab::Cancel::new(),
        jobs: 1,
    };
    let e = explore(&cfg).expect_err("five workers are refused");
    assert_eq!(e.kind, race_lab::error::ErrorKind::Usage);
    assert!(
        e.message.contains("at most 4 worker threads") && e.message.contains("--world scheduled"),
        "{}",
        e.message
    );
}

#[test]
fn a_capped_exploration_is_reported_incomplete() {
    let exp = experiments::find("cas").unwrap();
    let cfg = ExploreConfig {
        exp,
        params: Params::new(3, 2),
        world: World::Loom,
        preemptions: None,
        max_seconds: 0.001,
        max_seconds_given: true,
        max_executions: None,
        spurious_wakeups: false,
        first_failure: false,
        show: 1,
        cancel: race_lab::Cancel::new(),
        jobs: 1,
    };
    let r = explore(&cfg).unwrap();
    assert!(!r.complete);
    assert!(r.stopped.as_deref().unwrap_or("").contains("INCOMPLETE"));
    assert!(
        r.verdict.contains("INCOMPLETE: not a proof"),
        "{}",
        r.verdict
    );
}

/// The load-buffering litmus test (LB): with Relaxed accesses, C++ and Rust allow both
/// loads to read 1 — each thread's store may become visible before the other thread's
/// earlier load. loom does not explore this (it never lets a load see a store that comes
/// later in the storing thread's program order), so this test fails under loom: it is
/// ignored, and kept to document the limit. (The lab's counters do not depend on it.)
#[test]
#[ignore = "loom does not explore load buffering (a documented loom limitation)"]
fn load_buffering_is_not_explored_by_loom() {
    use loom::sync::atomic::AtomicU64;
    use std::sync::atomic::Ordering::Relaxed;
    use std::sync::{Arc, Mutex};
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    let s = seen.clone();
    loom::model(move || {
        let (x, y) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let (x1, y1) = (x.clone(), y.clone());
        let t = loom::thread::spawn(move || {
            let r1 = x1.load(Relaxed);
            y1.store(1, Relaxed);
            r1
        });
        let r2 = y.load(Relaxed);
        x.store(1, Relaxed);
        let r1 = t.join().unwrap();
        s.lock().unwrap().insert((r1, r2));
    });
    assert!(
        seen.lock().unwrap().contains(&(1, 1)),
        "loom saw {:?}",
        seen.lock().unwrap()
    );
}

/// The litmus tests' outcome sets under loom, through the same actors and the same report
/// `race-lab litmus` prints (each outcome the registers' values, in the test's register
/// order). On the way, the report's three-way verdict is checked: the model's answer, a
/// native count (never asserted: timing-dependent, only that every iteration is a row) and
/// loom's, disagreeing with the model exactly where this suite measured it does.
fn litmus_set(t: &'static race_lab::litmus::Litmus, o: MemOrder) -> BTreeSet<Vec<u64>> {
    use race_lab::litmus::LoomVsModel;
    let r = race_lab::litmus::run(t, 200, o, &race_lab::Cancel::new()).unwrap();
    assert_eq!(r.rows.iter().map(|row| row.native).sum::<u64>(), 200);
    assert!(r.overlapped <= 200 && r.near <= 200);
    let want = match (t.name, o) {
        ("SB" | "IRIW" | "2+2W", MemOrder::Seqcst) => LoomVsModel::FalseAlarm,
        ("LB", MemOrder::Relaxed) => LoomVsModel::Gap,
        _ => LoomVsModel::Agrees,
    };
    assert_eq!(r.loom_vs_model, want, "{} {o:?}", t.name);
    assert!(
        race_lab::litmus::as_declared(t, r.loom_vs_model, o),
        "{} {o:?}: the test's loom_limit does not declare what loom does",
        t.name
    );
    assert!(r.verdict.contains(r.model.as_str()), "{}", r.verdict);
    r.rows
        .iter()
        .filter(|row| row.loom)
        .map(|row| row.values.clone())
        .collect()
}

/// Every tuple of `n` values from `vals`.
fn all_tuples(n: usize, vals: &[u64]) -> BTreeSet<Vec<u64>> {
    (0..n).fold(BTreeSet::from([vec![]]), |acc, _| {
        acc.iter()
            .flat_map(|t| {
                vals.iter().map(move |&v| {
                    let mut t = t.clone();
                    t.push(v);
                    t
                })
            })
            .collect()
    })
}

/// `all` without `out`.
fn without(mut all: BTreeSet<Vec<u64>>, out: &[u64]) -> BTreeSet<Vec<u64>> {
    assert!(all.remove(out), "{out:?} was not there to remove");
    all
}

/// Exactly the outcome sets loom produces for every litmus test under every ordering, as
/// measured (loom 0.7.3). Where loom disagrees with the C11 model the test declares, the
/// comment says which way; the assertion pins loom's behaviour, so a loom that changes is
/// noticed.
#[test]
fn litmus_outcome_sets_under_loom() {
    use race_lab::experiments::{
        litmus_2p2w, litmus_corr, litmus_iriw, litmus_lb, litmus_mp, litmus_s, litmus_sb,
        litmus_wrc,
    };
    use MemOrder::{Acqrel, Relaxed, Seqcst};
    let pairs = all_tuples(2, &[0, 1]);
    for o in [Relaxed, Acqrel, Seqcst] {
        // SB: every outcome, store buffering included. Under SeqCst the model forbids
        // (0, 0): a loom false alarm (loom treats SeqCst accesses as AcqRel).
        assert_eq!(litmus_set(&litmus_sb::TEST, o), pairs, "SB {o:?}");
        // LB: (1, 1) never — a loom gap under Relaxed, where the model allows it: a load
        // under loom reads only stores that already ran (see the ignored test above).
        assert_eq!(
            litmus_set(&litmus_lb::TEST, o),
            without(pairs.clone(), &[1, 1]),
            "LB {o:?}"
        );
        // IRIW: all 16 outcomes, the readers' disagreement (1, 0, 1, 0) included. Under
        // SeqCst the model forbids it: a loom false alarm, as SB's.
        assert_eq!(
            litmus_set(&litmus_iriw::TEST, o),
            all_tuples(4, &[0, 1]),
            "IRIW {o:?}"
        );
        // 2+2W: the final values, all four, (1, 1) included: loom's modification order is
        // partial (stores no happens-before orders stay unordered, and a read after both
        // may return either). Under SeqCst the model forbids (1, 1): a loom false alarm —
        // loom gives SeqCst stores no total order.
        assert_eq!(
            litmus_set(&litmus_2p2w::TEST, o),
            all_tuples(2, &[1, 2]),
            "2+2W {o:?}"
        );
        // CoRR: coherence holds under every ordering; loom agrees.
        assert_eq!(
            litmus_set(&litmus_corr::TEST, o),
            without(pairs.clone(), &[1, 0]),
            "CoRR {o:?}"
        );
    }
    // MP: "flag seen, data not" (1, 0) under Relaxed only; loom agrees with the model.
    assert_eq!(litmus_set(&litmus_mp::TEST, Relaxed), pairs);
    for o in [Acqrel, Seqcst] {
        assert_eq!(
            litmus_set(&litmus_mp::TEST, o),
            without(pairs.clone(), &[1, 0]),
            "MP {o:?}"
        );
    }
    // WRC: causality broken (1, 1, 0) under Relaxed only; loom agrees with the model.
    let triples = all_tuples(3, &[0, 1]);
    assert_eq!(litmus_set(&litmus_wrc::TEST, Relaxed), triples);
    for o in [Acqrel, Seqcst] {
        assert_eq!(
            litmus_set(&litmus_wrc::TEST, o),
            without(triples.clone(), &[1, 1, 0]),
            "WRC {o:?}"
        );
    }
    // S: (r0, final x); (1, 2) under Relaxed only; loom agrees with the model.
    let s_all = BTreeSet::from([vec![0, 1], vec![0, 2], vec![1, 1], vec![1, 2]]);
    assert_eq!(litmus_set(&litmus_s::TEST, Relaxed), s_all);
    for o in [Acqrel, Seqcst] {
        assert_eq!(
            litmus_set(&litmus_s::TEST, o),
            without(s_all.clone(), &[1, 2]),
            "S {o:?}"
        );
    }
}
