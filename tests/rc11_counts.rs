//! A proof is tested by counting, in the rc11 world too: for every catalogue kernel the
//! world covers, at 2 × 1 (and 2 × 2 where the brute force stays small), the explorer must
//! visit exactly the execution graphs a brute-force enumeration finds — every interleaving
//! of every thread, every read's every consistent source, every write's every place in
//! `mo`, each distinct graph counted once — and each graph once. Where that enumeration is
//! too large, the oracle is the unreduced search, itself checked against the enumeration
//! wherever both run.

use race_lab::experiment::{Params, Run};
use race_lab::rt::rc11::explore::{brute, explore, explore_parallel, unreduced, Kernel};
use race_lab::rt::rc11::RunEnd;
use race_lab::Cancel;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Runs of the interleaving oracle past which the unreduced search is the oracle instead,
/// and runs of that one past which a case is skipped (and listed).
const BRUTE_RUNS: u64 = 30_000;
const UNREDUCED_RUNS: u64 = 300_000;
const MAX_EVENTS: u64 = 2_000;

/// An oracle's census: each graph's key, with how its run ended and the kernel's value.
type Census = std::collections::BTreeMap<String, (RunEnd, Option<String>)>;

fn kernel(k: fn(&Params) -> Run, p: Params) -> Kernel<String> {
    Arc::new(move || k(&p).outcome.to_string())
}

/// Checks one kernel: the number of graphs, or why it was not checked.
fn check(name: &str, k: Kernel<String>) -> Result<usize, &'static str> {
    let mut keys = Vec::new();
    let mut outcomes = BTreeSet::new();
    let mut raced = false;
    let stats = explore(k.clone(), MAX_EVENTS, &Cancel::new(), |v| {
        // A data race ends a run where it is found, which depends on the order events were
        // added: both must find one, not the same partial graph.
        if matches!(v.end, RunEnd::DataRace(..)) {
            raced = true;
            return true;
        }
        keys.push(v.graph.key());
        if let Some(o) = v.result {
            outcomes.insert(o.clone());
        }
        true
    });
    assert!(!stats.stopped, "{name}: exploration stopped");
    // Every interleaving where that stays small; else every revisit, unreduced. Where the
    // interleavings are few, the unreduced search must find exactly their graphs too: the
    // second oracle is checked by the first wherever both run.
    let mut census = match brute(k.clone(), MAX_EVENTS, BRUTE_RUNS) {
        Some(c) => {
            let second = unreduced(k.clone(), MAX_EVENTS, UNREDUCED_RUNS)
                .expect("the unreduced search is smaller than the interleavings");
            let apart = |c: &Census| -> (bool, Census) {
                let raced = c
                    .values()
                    .any(|(end, _)| matches!(end, RunEnd::DataRace(..)));
                let mut rest = c.clone();
                rest.retain(|_, (end, _)| !matches!(end, RunEnd::DataRace(..)));
                (raced, rest)
            };
            let (by_brute, by_unreduced) = (apart(&c), apart(&second));
            assert!(
                by_brute == by_unreduced,
                "{name}: the oracles differ: {} graphs by brute force, {} unreduced (data race: {} and {})",
                by_brute.1.len(),
                by_unreduced.1.len(),
                by_brute.0,
                by_unreduced.0
            );
            c
        }
        None => {
            unreduced(k.clone(), MAX_EVENTS, UNREDUCED_RUNS).ok_or("too large for the oracles")?
        }
    };
    let oracle_raced = census
        .values()
        .any(|(end, _)| matches!(end, RunEnd::DataRace(..)));
    assert_eq!(
        raced, oracle_raced,
        "{name}: a data race found by one and not the other"
    );
    census.retain(|_, (end, _)| !matches!(end, RunEnd::DataRace(..)));
    let got: BTreeSet<String> = keys.iter().cloned().collect();
    let want: BTreeSet<String> = census.keys().cloned().collect();
    assert_eq!(
        got.symmetric_difference(&want).count(),
        0,
        "{name}: the explorer's graphs differ from the oracle's ({} vs {}): missing {:?}, extra {:?}",
        got.len(),
        want.len(),
        want.difference(&got).collect::<Vec<_>>(),
        got.difference(&want).collect::<Vec<_>>()
    );
    assert_eq!(keys.len(), got.len(), "{name}: a graph explored twice");
    let want_outcomes: BTreeSet<String> = census
        .values()
        .filter(|(end, _)| *end == RunEnd::Finished)
        .filter_map(|(_, o)| o.clone())
        .collect();
    assert_eq!(outcomes, want_outcomes, "{name}: outcome sets differ");
    // The parallel search, on more threads than the machine has cores: the same graphs,
    // each once (runs ended by a data race set apart, as above).
    let par = std::sync::Mutex::new(Vec::new());
    let (pstats, _) = explore_parallel(k, MAX_EVENTS, &Cancel::new(), 3, &|v| {
        if !matches!(v.end, RunEnd::DataRace(..)) {
            par.lock().unwrap().push(v.graph.key());
        }
        true
    });
    let par = par.into_inner().unwrap();
    assert!(!pstats.stopped, "{name}: parallel exploration stopped");
    let pgot: BTreeSet<String> = par.iter().cloned().collect();
    assert_eq!(
        (par.len(), pstats.executions),
        (keys.len(), stats.executions),
        "{name}: the parallel search's runs differ"
    );
    assert!(
        pgot == got,
        "{name}: the parallel search found other graphs"
    );
    Ok(keys.len())
}

/// Checks each experiment that takes `threads` workers at `threads` × `iters`, on two threads (each explores in its own world);
/// returns what was checked and what was not, and why, in catalogue order.
fn sweep(names: Option<&[&str]>, threads: usize, iters: u64) -> (Vec<String>, Vec<String>) {
    let exps: Vec<_> = race_lab::experiments::all()
        .filter(|e| (e.threads.0..=e.threads.1).contains(&threads))
        .filter(|e| names.is_none_or(|n| n.contains(&e.name)))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(exp) = exps.get(i) else { break };
                let label = format!("{} {threads}x{iters}", exp.name);
                let t = std::time::Instant::now();
                let r = check(
                    &label,
                    kernel(exp.kernels.rc11, Params::new(threads, iters)),
                );
                eprintln!("{label}: {r:?} in {:.1} s", t.elapsed().as_secs_f64());
                results.lock().unwrap().push((i, label, r));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _, _)| *i);
    let (mut checked, mut skipped) = (Vec::new(), Vec::new());
    for (_, label, r) in results {
        match r {
            Ok(n) => checked.push(format!("{label}: {n}")),
            Err(why) => skipped.push(format!("{label} ({why})")),
        }
    }
    (checked, skipped)
}

#[test]
fn every_covered_kernel_at_2x1_has_exactly_one_run_per_consistent_graph() {
    let (checked, skipped) = sweep(None, 2, 1);
    eprintln!("checked: {checked:#?}\nskipped: {skipped:#?}");
    assert!(
        skipped.is_empty(),
        "every kernel is checked at 2x1: {skipped:?}"
    );
    assert!(checked.len() >= 38, "{checked:?}");
}

#[test]
fn kernels_at_2x2_have_exactly_one_run_per_consistent_graph() {
    let names = [
        "atomic",
        "sharded",
        "publish-release",
        "spin-lock",
        "ticket-lock",
        "lazy-init-cas",
        "racy-atomic",
        "cas",
        "local",
        "publish-relaxed",
        "lazy-init",
        // peterson-seqcst 2x2 agrees too (2,712 graphs), but its oracle takes 75 s here:
        // measured once, in issue 20's note, not in every CI run.
        "peterson-swap",
    ];
    let (checked, skipped) = sweep(Some(&names), 2, 2);
    eprintln!("checked: {checked:#?}\nskipped: {skipped:#?}");
    assert_eq!(checked.len(), names.len(), "{skipped:?}");
}

/// With spurious wake-ups on, a wait that finds no token branches (wake anyway, or sleep
/// on): the condvar kernels still have exactly one run per consistent graph.
#[test]
fn condvar_kernels_with_spurious_wake_ups_have_exactly_one_run_per_graph() {
    let names = [
        "lost-wakeup",
        "condvar-if",
        "wait-while",
        "bounded-buffer",
        "bounded-buffer-one-cv",
    ];
    let (checked, skipped) =
        race_lab::rt::sched::with_spurious_wakeups(true, || sweep(Some(&names), 2, 1));
    eprintln!("checked: {checked:#?}\nskipped: {skipped:#?}");
    assert_eq!(checked.len(), names.len(), "{skipped:?}");
}

/// Three workers: two sleepers can wait on one lock or condvar at once, and which of them a
/// release or a notify wakes is a choice two workers never have. The oracle here is the
/// unreduced search (every revisit, no maximality condition), checked against the
/// interleavings where those stay few; `bounded-buffer-one-cv` 3x1 agrees too (172 graphs,
/// 148 finished and 24 deadlocks) but its oracle takes 87 s here, and `semaphore` 8 s:
/// measured once, in the note of the session that added this test.
#[test]
fn lock_and_condvar_kernels_at_3x1_have_exactly_one_run_per_consistent_graph() {
    let names = [
        "mutex",
        "parking-lot",
        "deadlock",
        "condvar-if",
        "lost-wakeup",
        "wait-while",
        "bounded-buffer",
        "latch",
        "prodcons-semaphores",
        "barrier-sense",
    ];
    let (checked, skipped) = sweep(Some(&names), 3, 1);
    eprintln!("checked: {checked:#?}\nskipped: {skipped:#?}");
    assert_eq!(checked.len(), names.len(), "{skipped:?}");
}
