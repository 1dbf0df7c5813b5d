//! The scheduled world's rules, each shown by a tiny kernel under a chosen schedule.

use super::*;
use crate::rt::{Rt, RtAtomic, RtAtomicInt, RtCondvar, RtMutex, RtRwLock, StdLock};
use crate::trace::Op;

type Atomic = <Sched as Rt>::AtomicU64;
type Flag = <Sched as Rt>::AtomicBool;
type Lock<T> = <Sched as Rt>::Mutex<StdLock, T>;

const LIMIT: u64 = 10_000;

/// `n` workers, each: load, then store v + 1.
fn racy_n(n: usize) -> u64 {
    let c = Arc::new(Atomic::new(0));
    let hs: Vec<_> = (0..n)
        .map(|_| {
            let c = c.clone();
            Sched::spawn(move || {
                let v = c.load(Ordering::SeqCst);
                c.store(v + 1, Ordering::SeqCst);
            })
        })
        .collect();
    hs.into_iter().for_each(Sched::join);
    c.load(Ordering::SeqCst)
}

fn ops(r: &SchedRun<impl Sized>) -> Vec<(usize, Op)> {
    r.events.iter().map(|e| (e.thread, e.op)).collect()
}

#[test]
fn the_default_order_runs_one_worker_to_the_end() {
    let r = run(2, &[], LIMIT, || racy_n(2));
    assert_eq!(r.result, Some(2));
    assert!(r.ran_out);
    assert_eq!(r.decisions, vec![0, 0]);
}

#[test]
fn a_switch_between_load_and_store_loses_an_update() {
    let r = run(2, &[0, 1], LIMIT, || racy_n(2));
    assert_eq!(r.result, Some(1));
    assert_eq!(
        ops(&r),
        [(0, Op::Load), (1, Op::Load), (1, Op::Store), (0, Op::Store)]
    );
}

#[test]
fn entries_naming_finished_workers_are_skipped() {
    // T0 loads and stores (two decisions) and finishes; the third entry names T0 again,
    // is skipped, and the fourth picks T2 over T1.
    let r = run(3, &[0, 0, 0, 2], LIMIT, || racy_n(3));
    assert_eq!(r.used, 4);
    assert_eq!(&r.decisions[..3], &[0, 0, 2]);
    let threads: Vec<usize> = r.events.iter().map(|e| e.thread).collect();
    assert_eq!(&threads[..3], &[0, 0, 2]);
    assert_eq!(r.result, Some(3));
}

/// Two workers take a test-and-set spin lock (swap, Acquire/Release) around an increment.
fn spin_lock() -> u64 {
    let lock = Arc::new(Flag::new(false));
    let count = Arc::new(Atomic::new(0));
    let hs: Vec<_> = (0..2)
        .map(|_| {
            let (lock, count) = (lock.clone(), count.clone());
            Sched::spawn(move || {
                while lock.swap(true, Ordering::Acquire) {
                    Sched::spin_loop();
                }
                let v = count.load(Ordering::Relaxed);
                count.store(v + 1, Ordering::Relaxed);
                lock.store(false, Ordering::Release);
            })
        })
        .collect();
    hs.into_iter().for_each(Sched::join);
    count.load(Ordering::SeqCst)
}

#[test]
fn a_spinning_worker_sleeps_until_what_it_read_changes() {
    // T0 takes the lock; T1 spins; T1 is chosen again and again, but after its first yield
    // it has only re-read an unchanged lock, so it sleeps until T0 releases it.
    let r = run(2, &[0, 1, 1, 1, 1, 1, 1, 1, 1], LIMIT, spin_lock);
    assert_eq!(r.end, End::Finished);
    assert_eq!(r.result, Some(2));
    let spins = r.events.iter().filter(|e| e.op == Op::Yield).count();
    assert!(spins <= 2, "T1 spun {spins} times: {:?}", ops(&r));
}

#[test]
fn a_spin_lock_ends_under_every_short_schedule() {
    // Every schedule of length 8 over two workers.
    for bits in 0u32..256 {
        let s: Vec<usize> = (0..8).map(|i| ((bits >> i) & 1) as usize).collect();
        let r = run(2, &s, LIMIT, spin_lock);
        assert_eq!(r.end, End::Finished, "schedule {s:?}");
        assert_eq!(r.result, Some(2), "schedule {s:?}");
    }
}

#[test]
fn spinning_on_a_value_nobody_will_write_is_a_livelock() {
    let r = run(1, &[], LIMIT, || {
        let flag = Arc::new(Flag::new(false));
        let f = flag.clone();
        let h = Sched::spawn(move || {
            while !f.load(Ordering::Acquire) {
                Sched::yield_now();
            }
        });
        Sched::join(h);
    });
    assert!(matches!(r.end, End::Livelock(_)), "{:?}", r.end);
    assert_eq!(r.result, None);
    assert_eq!(r.waiting.len(), 1);
    assert!(r.waiting[0].1.contains("spinning"), "{:?}", r.waiting);
}

#[test]
fn opposite_lock_orders_deadlock_and_every_thread_is_unwound() {
    let r = run(2, &[0, 1], LIMIT, || {
        let locks = Arc::new((Lock::new(0u64), Lock::new(())));
        let hs: Vec<_> = (0..2)
            .map(|t| {
                let l = locks.clone();
                Sched::spawn(move || {
                    if t == 0 {
                        let _a = l.0.lock();
                        let _b = l.1.lock();
                    } else {
                        let _b = l.1.lock();
                        let _a = l.0.lock();
                    }
                })
            })
            .collect();
        hs.into_iter().for_each(Sched::join);
        Arc::strong_count(&locks)
    });
    match &r.end {
        End::Deadlock(w) => {
            assert_eq!(w, &vec![(0, "B".to_string()), (1, "A".to_string())]);
        }
        e => panic!("expected a deadlock, got {e:?}"),
    }
    // The world can run again on this thread: nothing was left installed.
    assert_eq!(run(2, &[], LIMIT, || racy_n(2)).result, Some(2));
}

#[test]
fn a_wait_without_a_predicate_after_the_notify_sleeps_forever() {
    // The notifier runs first; the waiter then waits for a notify that already happened.
    let r = run(2, &[1, 1, 1, 0], LIMIT, || {
        let pair = Arc::new((Lock::new(false), <Sched as Rt>::Condvar::new()));
        let p = pair.clone();
        let waiter = Sched::spawn(move || {
            let g = p.0.lock();
            let _g = p.1.wait(g); // the bug: no check of the flag
        });
        let p = pair.clone();
        let notifier = Sched::spawn(move || {
            *p.0.lock() = true;
            p.1.notify_one();
        });
        Sched::join(waiter);
        Sched::join(notifier);
    });
    match &r.end {
        End::Deadlock(w) => assert!(w[0].1.contains("a notify on cv0"), "{w:?}"),
        e => panic!("expected a lost wake-up, got {e:?}"),
    }
}

#[test]
fn wait_while_does_not_miss_an_early_notify() {
    for s in [vec![1, 1, 1, 0], vec![0, 0, 1], vec![0, 1, 0, 1]] {
        let r = run(2, &s, LIMIT, || {
            let pair = Arc::new((Lock::new(false), <Sched as Rt>::Condvar::new()));
            let p = pair.clone();
            let waiter = Sched::spawn(move || {
                let g = p.0.lock();
                let g = p.1.wait_while(g, |ready| !*ready);
                *g
            });
            let p = pair.clone();
            let notifier = Sched::spawn(move || {
                *p.0.lock() = true;
                p.1.notify_one();
            });
            let seen = Sched::join(waiter);
            Sched::join(notifier);
            seen
        });
        assert_eq!(r.result, Some(true), "schedule {s:?}: {:?}", r.end);
    }
}

#[test]
fn a_writer_waits_for_readers() {
    let r = run(2, &[0, 1, 1], LIMIT, || {
        let rw = Arc::new(<Sched as Rt>::RwLock::new(0u64));
        let a = rw.clone();
        let reader = Sched::spawn(move || {
            let g = a.read();
            let v = *g;
            let _ = Atomic::new(0).fetch_add(1, Ordering::SeqCst); // a step while reading
            v
        });
        let b = rw.clone();
        let writer = Sched::spawn(move || *b.write() += 1);
        let seen = Sched::join(reader);
        Sched::join(writer);
        seen
    });
    assert_eq!(r.result, Some(0));
    let ops = ops(&r);
    let lock_at = ops.iter().position(|&(t, op)| t == 1 && op == Op::Lock);
    let unlock_at = ops
        .iter()
        .position(|&(t, op)| t == 0 && op == Op::ReadUnlock);
    assert!(lock_at > unlock_at, "{ops:?}");
}

#[test]
fn a_panicking_worker_is_an_outcome_not_a_crash() {
    let _quiet = crate::error::QuietPanics::install();
    let r = run(2, &[1, 0], LIMIT, || {
        let h0 = Sched::spawn(|| Atomic::new(0).load(Ordering::SeqCst));
        let h1 = Sched::spawn(|| -> u64 {
            Atomic::new(0).load(Ordering::SeqCst);
            panic!("worker says no")
        });
        Sched::join(h0) + Sched::join(h1)
    });
    assert_eq!(r.end, End::Panicked("worker says no".into()));
    assert_eq!(r.result, None);
    assert_eq!(run(2, &[], LIMIT, || racy_n(2)).result, Some(2));
}

#[test]
fn a_run_past_its_step_limit_stops() {
    let r = run(1, &[], 50, || {
        let c = Arc::new(Atomic::new(0));
        let d = c.clone();
        let h = Sched::spawn(move || {
            for _ in 0..1000 {
                d.fetch_add(1, Ordering::Relaxed);
            }
        });
        Sched::join(h);
    });
    assert_eq!(r.end, End::StepLimit);
    assert!(r.steps <= 51);
}

mod exhaustive {
    use super::super::dpor;
    use super::*;
    use crate::experiment::Params;
    use crate::experiments::{atomic, deadlock, mutex, racy_atomic};
    use std::collections::BTreeMap;

    type Kernel = fn(&Params) -> crate::experiment::Run;

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
            |r, _| {
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
        // fetch_add 8×1: every order of the 8 writes is its own class: 8! = 40,320.
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
}

#[test]
fn a_waiting_worker_knows_the_kernel_line_it_waits_at() {
    let p = crate::experiment::Params::new(2, 1);
    let ex = Execution::start(2, false, LIMIT, move || {
        crate::experiments::racy_atomic::kernel::<Sched>(&p).value()
    });
    let loc = ex.location(0).expect("T0 waits at its first load");
    assert!(loc.file().ends_with("racy_atomic.rs"), "{loc}");
    let src = include_str!("../../../experiments/racy_atomic.rs");
    let line = src.lines().nth(loc.line() as usize - 1).unwrap();
    assert!(line.contains("c.load("), "{line}");
    assert_eq!(ex.enabled(), vec![0, 1]);
    drop(ex.finish());
}
