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

/// `n` workers take a test-and-set spin lock (swap, Acquire/Release) around an increment.
fn spin_lock(n: usize) -> u64 {
    let lock = Arc::new(Flag::new(false));
    let count = Arc::new(Atomic::new(0));
    let hs: Vec<_> = (0..n)
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
    let r = run(2, &[0, 1, 1, 1, 1, 1, 1, 1, 1], LIMIT, || spin_lock(2));
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
        let r = run(2, &s, LIMIT, || spin_lock(2));
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
fn a_run_past_its_step_limit_is_a_livelock() {
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
    assert!(matches!(r.end, End::Livelock(_)), "{:?}", r.end);
    assert!(r.steps <= 51);
}

#[test]
fn three_spinners_explore_to_the_end() {
    let mut outcomes = std::collections::BTreeSet::new();
    let stats = super::dpor::explore(
        3,
        LIMIT,
        false,
        || spin_lock(3),
        |v| {
            outcomes.insert((v.result, format!("{:?}", v.end)));
            true
        },
    );
    assert!(stats.complete);
    assert_eq!(
        outcomes.into_iter().collect::<Vec<_>>(),
        vec![(Some(3), "Finished".to_string())]
    );
}
