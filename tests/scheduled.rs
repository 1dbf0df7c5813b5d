//! The scheduled world's exhaustive search, checked against brute force: the reduced search
//! (DPOR with sleep sets) finds exactly the outcome set of every interleaving, the racy
//! counter's set is the theory's, and a fixed counter has one class per order of its writes.
//! Also: an execution knows the kernel line each worker waits at (what `play` shows).

use race_lab::experiment::Params;
use race_lab::experiments::{atomic, deadlock, mutex, racy_atomic};
use race_lab::rt::sched::{dpor, Execution, Sched};
use std::collections::BTreeMap;

type Kernel = fn(&Params) -> race_lab::experiment::Run;

/// The outcome set (value → executions) of the reduced search, and its stats.
fn reduced(k: Kernel, t: usize, m: u64) -> (BTreeMap<Option<u64>, u64>, dpor::Stats) {
    let p = Params::new(t, m);
    let mut seen = BTreeMap::new();
    let stats = dpor::explore(
        t,
        100_000,
        false,
        move || k(&p).value(),
        |v| {
            *seen.entry(v.result).or_insert(0) += 1;
            true
        },
    );
    (seen, stats)
}

fn naive(k: Kernel, t: usize, m: u64) -> (BTreeMap<Option<u64>, u64>, u64) {
    let p = Params::new(t, m);
    let mut seen = BTreeMap::new();
    let runs = dpor::explore_naive(
        t,
        100_000,
        move || k(&p).value(),
        |r, _, _| {
            *seen.entry(r).or_insert(0) += 1;
            true
        },
    );
    (seen, runs)
}

fn keys(m: &BTreeMap<Option<u64>, u64>) -> Vec<Option<u64>> {
    m.keys().copied().collect()
}

#[test]
fn the_reduced_search_finds_the_same_outcomes_as_every_interleaving() {
    let kernels: [(&str, Kernel); 4] = [
        ("racy-atomic", racy_atomic::kernel::<Sched>),
        ("atomic", atomic::kernel::<Sched>),
        ("mutex", mutex::kernel::<Sched>),
        ("deadlock", deadlock::kernel::<Sched>),
    ];
    for (name, k) in kernels {
        for (t, m) in [(2, 1), (2, 2), (3, 1), (2, 3), (3, 2)] {
            let (r, stats) = reduced(k, t, m);
            let (n, runs) = naive(k, t, m);
            assert!(stats.complete);
            assert_eq!(keys(&r), keys(&n), "{name} {t}x{m}");
            assert!(stats.executions <= runs, "{name} {t}x{m}");
            println!(
                "{name} {t}x{m}: {} interleavings, {} explored (+{} cut by sleep sets): {:.1}x fewer",
                runs,
                stats.executions,
                stats.redundant,
                runs as f64 / stats.executions as f64
            );
        }
    }
}

#[test]
fn racy_outcome_sets_are_the_theory() {
    // N ≥ 2, M ≥ 2: {2 … N·M}; M = 1: {1 … N}.
    for (t, m) in [(2, 1), (3, 1), (5, 1), (2, 2), (2, 3), (3, 2)] {
        let (r, stats) = reduced(racy_atomic::kernel::<Sched>, t, m);
        assert!(stats.complete);
        let lo = if m == 1 { 1 } else { 2 };
        let want: Vec<Option<u64>> = (lo..=t as u64 * m).map(Some).collect();
        assert_eq!(keys(&r), want, "{t}x{m}");
    }
}

#[test]
fn fixed_counters_have_one_outcome_and_one_class_per_order_of_their_writes() {
    // fetch_add 4×2: 8 writes, each worker's two in program order: 8!/(2!)^4 = 2,520 classes.
    let (r, stats) = reduced(atomic::kernel::<Sched>, 4, 2);
    assert_eq!(keys(&r), vec![Some(8)]);
    assert_eq!(stats.executions, 2520); // 8! / (2!^4)
    let (r, _) = reduced(mutex::kernel::<Sched>, 3, 2);
    assert_eq!(keys(&r), vec![Some(6)]);
}

#[test]
fn the_deadlock_is_found() {
    let (r, _) = reduced(deadlock::kernel::<Sched>, 2, 1);
    assert!(r.contains_key(&None), "{r:?}");
    assert!(r.contains_key(&Some(2)), "{r:?}");
}

#[test]
fn a_waiting_worker_knows_the_kernel_line_it_waits_at() {
    let p = Params::new(2, 1);
    let ex = Execution::start(2, false, 10_000, move || {
        racy_atomic::kernel::<Sched>(&p).value()
    });
    let loc = ex.location(0).expect("T0 waits at its first load");
    assert!(loc.file().ends_with("racy_atomic.rs"), "{loc}");
    let src = include_str!("../experiments/racy_atomic.rs");
    let line = src.lines().nth(loc.line() as usize - 1).unwrap();
    assert!(line.contains("c.load("), "{line}");
    assert_eq!(ex.enabled(), vec![0, 1]);
    drop(ex.finish());
}
