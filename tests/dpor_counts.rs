//! A proof is tested by counting: for every catalogue kernel at small sizes, and for small
//! programs in the style of GenMC's synthetic tests, the scheduled world's exhaustive search
//! must run exactly one execution per class of interleavings (Mazurkiewicz trace) that a
//! brute-force enumeration of *every* interleaving finds — the same classes, each once.
//! Outcome sets alone cannot see a missing class whose outcome another class also produces.

mod common;

use race_lab::experiment::Params;
use race_lab::rt::sched::{dpor, StepRec};
use std::collections::BTreeSet;

/// Interleavings above which the brute force is not run (the case is listed as skipped).
const MAX_INTERLEAVINGS: u64 = 1_000_000;
/// Classes above which a case is skipped before the brute force runs: with that many
/// classes the interleavings are far past [`MAX_INTERLEAVINGS`], and enumerating them up to
/// the cap only to give up would cost the suite minutes.
const MAX_CLASSES: usize = 20_000;
const MAX_STEPS: u64 = 2_000;

type Key = Vec<(usize, Vec<race_lab::rt::sched::Access>, Option<usize>)>;

/// Every class of interleavings, by brute force; `None` if there are too many interleavings.
fn brute<T: Send + 'static>(
    kernel: impl Fn() -> T + Send + Sync + Clone + 'static,
    threads: usize,
) -> Option<(BTreeSet<Key>, u64)> {
    let mut keys = BTreeSet::new();
    let mut runs = 0u64;
    let mut over = false;
    dpor::explore_naive(threads, MAX_STEPS, kernel, |_, _, h: &[StepRec]| {
        runs += 1;
        keys.insert(dpor::trace_key(h));
        over = runs > MAX_INTERLEAVINGS;
        !over
    });
    (!over && runs <= MAX_INTERLEAVINGS).then_some((keys, runs))
}

/// The classes the search explored, in order (a class twice shows up as a repeat).
fn reduced<T: Send + 'static>(
    kernel: impl Fn() -> T + Send + Sync + Clone + 'static,
    threads: usize,
) -> (Vec<Key>, dpor::Stats) {
    let mut keys = Vec::new();
    let stats = dpor::explore(threads, MAX_STEPS, false, kernel, |v| {
        keys.push(dpor::trace_key(v.history));
        keys.len() <= MAX_CLASSES
    });
    (keys, stats)
}

/// The classes the parallel search explored on `jobs` threads (any order).
fn reduced_parallel<T: Send + 'static>(
    kernel: impl Fn() -> T + Send + Sync + Clone + 'static,
    threads: usize,
    jobs: usize,
) -> (Vec<Key>, dpor::Stats) {
    let keys = std::sync::Mutex::new(Vec::new());
    let (stats, _) = dpor::explore_parallel(jobs, threads, MAX_STEPS, false, kernel, &|v| {
        keys.lock().unwrap().push(dpor::trace_key(v.history));
        true
    });
    (keys.into_inner().unwrap(), stats)
}

/// Checks the search against brute force; returns (classes, interleavings), or `None` when
/// the brute force is too large.
fn check<T: Send + 'static>(
    name: &str,
    kernel: impl Fn() -> T + Send + Sync + Clone + 'static,
    threads: usize,
) -> Option<(usize, u64)> {
    let kernel_again = kernel.clone();
    let (got, stats) = reduced(kernel.clone(), threads);
    if got.len() > MAX_CLASSES {
        return None;
    }
    let (want, runs) = brute(kernel, threads)?;
    assert!(stats.complete, "{name}: search incomplete");
    let distinct: BTreeSet<Key> = got.iter().cloned().collect();
    assert_eq!(
        distinct.len(),
        got.len(),
        "{name}: the search ran {} executions for {} classes (a class twice)",
        got.len(),
        distinct.len()
    );
    let missing = want.difference(&distinct).count();
    let extra = distinct.difference(&want).count();
    assert!(
        missing == 0 && extra == 0,
        "{name}: brute force counts {} classes over {runs} interleavings, the search {} \
         ({missing} missing, {extra} not found by brute force)",
        want.len(),
        distinct.len()
    );
    assert_eq!(stats.executions as usize, want.len(), "{name}");
    // The parallel search, on more threads than the machine has cores (to shuffle the
    // order its workers claim branches in): the same classes, each once.
    let (par, pstats) = reduced_parallel(kernel_again, threads, 3);
    assert!(pstats.complete, "{name}: parallel search incomplete");
    let pdistinct: BTreeSet<Key> = par.iter().cloned().collect();
    assert_eq!(
        (pdistinct.len(), par.len()),
        (want.len(), want.len()),
        "{name}: the parallel search ran {} executions, {} classes, of {}",
        par.len(),
        pdistinct.len(),
        want.len()
    );
    assert!(
        pdistinct == want,
        "{name}: the parallel search explored other classes"
    );
    Some((want.len(), runs))
}

/// Kernels that never end under some schedule (a livelock): the brute force cannot
/// enumerate them to the end.
const LIVELOCKING: &[&str] = &["philosophers-polite"];

/// Cases measured (2026-12-05, `-- --nocapture` prints each case's seconds) to pass the brute
/// force's cap of [`MAX_INTERLEAVINGS`] with fewer than [`MAX_CLASSES`] classes: enumerating
/// each up to the cap, only to give up, took 11–27 s apiece, about 6 minutes of CPU in all.
/// They are skipped before the brute force, as the cases over [`MAX_CLASSES`] are. A case
/// that grows smaller is skipped, never passed unchecked.
const OVER_THE_CAP: &[&str] = &[
    "ticket-lock 3x1",
    "ticket-lock 2x2",
    "barrier-sense 3x1",
    "barrier-sense 2x2",
    "barrier-reset 3x1",
    "barrier-reset 2x2",
    "latch 3x1",
    "treiber-tagged 2x1",
    "treiber-aba 2x1",
    "seqlock 3x1",
    "seqlock-nofence 3x1",
    "ticket-fair 2x2",
    "ticket-fair 3x1",
    "spin-unfair 2x2",
    "rwlock-writer-first 3x1",
    "rwlock-writer-first 2x2",
    "rwlock-reader-first 3x1",
];

/// One check: (classes, interleavings), or `None` if skipped.
type Case = Box<dyn Fn() -> Option<(usize, u64)> + Send + Sync>;

/// Runs `cases` on two threads (each has its own scheduled world); returns the lines of
/// the cases checked and of those skipped.
fn run_cases(cases: Vec<(String, Case)>) -> (Vec<String>, Vec<String>) {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let out = std::sync::Mutex::new((Vec::new(), Vec::new()));
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((name, case)) = cases.get(i) else {
                    break;
                };
                let started = std::time::Instant::now();
                let r = case();
                let secs = started.elapsed().as_secs_f64();
                let mut o = out.lock().unwrap();
                match r {
                    Some((classes, runs)) => {
                        o.0.push(format!("{name}: {classes}/{runs} ({secs:.1} s)"))
                    }
                    None => o.1.push(format!("{name} ({secs:.1} s)")),
                }
            });
        }
    });
    out.into_inner().unwrap()
}

#[test]
fn every_catalogue_kernel_has_exactly_one_execution_per_class() {
    let only = std::env::var("RACE_LAB_DPOR_ONLY").ok();
    let mut cases: Vec<(String, Case)> = Vec::new();
    let mut skipped = Vec::new();
    for exp in race_lab::experiments::all() {
        if only.as_deref().is_some_and(|o| o != exp.name) {
            continue;
        }
        if LIVELOCKING.contains(&exp.name) {
            skipped.push(format!("{} (livelocks)", exp.name));
            continue;
        }
        for (t, m) in [(2usize, 1u64), (2, 2), (3, 1)] {
            if t < exp.threads.0 || t > exp.threads.1 {
                continue;
            }
            let k = exp.kernels.sched;
            let name = format!("{} {t}x{m}", exp.name);
            if OVER_THE_CAP.contains(&name.as_str()) {
                skipped.push(format!("{name} (over the cap, measured)"));
                continue;
            }
            let n2 = name.clone();
            cases.push((
                name,
                Box::new(move || {
                    let p = Params::new(t, m);
                    check(&n2, move || k(&p).outcome, t)
                }),
            ));
        }
    }
    let (checked, more_skipped) = run_cases(cases);
    skipped.extend(more_skipped);
    println!("checked (classes/interleavings): {}", checked.join(", "));
    println!(
        "skipped (over {MAX_CLASSES} classes or {MAX_INTERLEAVINGS} interleavings): {}",
        skipped.join(", ")
    );
    if only.is_none() {
        assert!(checked.len() >= 80, "only {} cases checked", checked.len());
    }
}

/// GenMC's synthetic programs: the brute force agrees with GenMC's published counts under
/// sequential consistency, and the search runs exactly those classes.
#[test]
fn genmc_synthetic_programs_have_their_published_counts() {
    use race_lab::rt::sched::synthetic::{fib, lastzero, readers};
    use race_lab::rt::Sched;
    // lastzero: 5, 12, 28, 64 executions for N = 2..5 (N writers and a reader).
    for (n, want) in [(2usize, 5usize), (3, 12), (4, 28), (5, 64)] {
        let name = format!("lastzero({n})");
        let got = if n <= 4 {
            check(&name, move || lastzero::<Sched>(n), n + 1).map(|c| c.0)
        } else {
            Some(reduced(move || lastzero::<Sched>(n), n + 1).1.executions as usize)
        };
        assert_eq!(got, Some(want), "{name}");
    }
    // The reader can stop at every index, 1 … N−1 included.
    let mut stops = BTreeSet::new();
    dpor::explore(
        5,
        MAX_STEPS,
        false,
        || lastzero::<Sched>(4),
        |v| {
            stops.extend(v.result);
            true
        },
    );
    assert_eq!(stops, (0..=4).collect::<BTreeSet<u64>>());
    // readers: 2^N (4 for N = 2 by brute force; 256 for N = 8 by the search).
    assert_eq!(
        check("readers(2)", || readers::<Sched>(2), 3).map(|c| c.0),
        Some(4)
    );
    let (_, stats) = reduced(|| readers::<Sched>(8), 9);
    assert_eq!((stats.executions, stats.complete), (256, true));
    // fib: two threads adding into each other, brute force against the search.
    for rounds in 1..=3 {
        assert!(check(&format!("fib({rounds})"), move || fib::<Sched>(rounds), 2).is_some());
    }
}

/// The search's counts for a program with condvars: `notify_one` wakes any one sleeper.
#[test]
fn a_notify_one_may_wake_any_sleeper() {
    use race_lab::experiments::bounded_buffer_one_cv;
    let p = Params::new(3, 1);
    let mut deadlocks = 0;
    dpor::explore(
        3,
        MAX_STEPS,
        false,
        move || bounded_buffer_one_cv::kernel::<race_lab::rt::Sched>(&p).outcome,
        |v| {
            deadlocks += u64::from(matches!(v.end, race_lab::rt::sched::End::Deadlock(_)));
            true
        },
    );
    assert!(
        deadlocks > 0,
        "bounded-buffer-one-cv 3x1 deadlocks when a notify wakes the wrong sleeper"
    );
}
