//! The explorer against the brute-force oracle, on small kernels with known answers.

use super::explore::{brute, explore, Kernel};
use super::Rc11;
use crate::rt::{Rt, RtAtomic, RtAtomicInt};
use crate::Cancel;
use std::collections::BTreeSet;
use std::sync::atomic::Ordering::{self, *};
use std::sync::Arc;

type A = <Rc11 as Rt>::AtomicU64;

/// Store buffering: x=1; r0=y || y=1; r1=x.
fn sb(st: Ordering, ld: Ordering) -> Kernel<(u64, u64)> {
    Arc::new(move || {
        let s = Arc::new((A::new(0), A::new(0)));
        let a = s.clone();
        let h0 = Rc11::spawn(move || {
            a.0.store(1, st);
            a.1.load(ld)
        });
        let b = s.clone();
        let h1 = Rc11::spawn(move || {
            b.1.store(1, st);
            b.0.load(ld)
        });
        (Rc11::join(h0), Rc11::join(h1))
    })
}

/// Message passing: data=1; flag=1 || r0=flag; r1=data.
fn mp(st: Ordering, ld: Ordering) -> Kernel<(u64, u64)> {
    Arc::new(move || {
        let s = Arc::new((A::new(0), A::new(0)));
        let a = s.clone();
        let h0 = Rc11::spawn(move || {
            a.0.store(1, Relaxed);
            a.1.store(1, st);
            (0, 0)
        });
        let b = s.clone();
        let h1 = Rc11::spawn(move || {
            let f = b.1.load(ld);
            (f, b.0.load(Relaxed))
        });
        Rc11::join(h0);
        Rc11::join(h1)
    })
}

/// `n` threads each doing `m` fetch_adds (or load+store when `racy`).
fn counter(n: usize, m: u64, racy: bool) -> Kernel<u64> {
    Arc::new(move || {
        let c = Arc::new(A::new(0));
        let hs: Vec<_> = (0..n)
            .map(|_| {
                let c = c.clone();
                Rc11::spawn(move || {
                    for _ in 0..m {
                        if racy {
                            let v = c.load(Relaxed);
                            c.store(v + 1, Relaxed);
                        } else {
                            c.fetch_add(1, Relaxed);
                        }
                    }
                })
            })
            .collect();
        for h in hs {
            Rc11::join(h);
        }
        c.load(SeqCst)
    })
}

/// Explores `k` and checks it against the oracle: same graphs, each once. Returns the
/// count and the outcomes.
fn agree<O: Send + Clone + Ord + std::fmt::Debug + 'static>(k: Kernel<O>) -> (usize, BTreeSet<O>) {
    super::fast::cross_check(true);
    let mut keys = Vec::new();
    let mut outcomes = BTreeSet::new();
    let stats = explore(k.clone(), 10_000, &Cancel::new(), |v| {
        keys.push(v.graph.key());
        if let Some(o) = v.result {
            outcomes.insert(o.clone());
        }
        true
    });
    assert!(!stats.stopped);
    let census = brute(k, 10_000, 2_000_000).expect("the oracle finishes");
    let distinct: BTreeSet<String> = keys.iter().cloned().collect();
    let oracle: BTreeSet<String> = census.keys().cloned().collect();
    let missing: Vec<_> = oracle.difference(&distinct).collect();
    let extra: Vec<_> = distinct.difference(&oracle).collect();
    assert!(
        missing.is_empty(),
        "explorer missed {} graphs: {missing:#?}",
        missing.len()
    );
    assert!(
        extra.is_empty(),
        "explorer found graphs the oracle did not: {extra:#?}"
    );
    assert_eq!(
        keys.len(),
        distinct.len(),
        "some graph explored twice (stats {stats:?})"
    );
    let oracle_outcomes: BTreeSet<O> = census.values().filter_map(|(_, o)| o.clone()).collect();
    assert_eq!(outcomes, oracle_outcomes);
    (keys.len(), outcomes)
}

#[test]
fn store_buffering() {
    let (n, o) = agree(sb(Relaxed, Relaxed));
    assert_eq!((n, o.len()), (4, 4));
    let (n, o) = agree(sb(Release, Acquire));
    assert_eq!((n, o.len()), (4, 4));
    let (n, o) = agree(sb(SeqCst, SeqCst));
    assert_eq!(n, 3);
    assert!(!o.contains(&(0, 0)));
}

#[test]
fn message_passing() {
    let (_, o) = agree(mp(Relaxed, Relaxed));
    assert!(o.contains(&(1, 0)), "relaxed MP shows flag without data");
    let (_, o) = agree(mp(Release, Acquire));
    assert!(!o.contains(&(1, 0)));
}

#[test]
fn counters() {
    let (n, o) = agree(counter(2, 1, false));
    assert_eq!(o, BTreeSet::from([2]));
    assert_eq!(n, 2);
    let (_, o) = agree(counter(2, 1, true));
    assert_eq!(o, BTreeSet::from([1, 2]));
    let (_, o) = agree(counter(2, 2, false));
    assert_eq!(o, BTreeSet::from([4]));
    let (_, o) = agree(counter(3, 1, false));
    assert_eq!(o, BTreeSet::from([3]));
    let (_, o) = agree(counter(2, 2, true));
    assert_eq!(o, BTreeSet::from([2, 3, 4]));
}

/// A waiter spins until a flag is set; the setter sets it once.
fn spin_wait() -> Kernel<u64> {
    Arc::new(|| {
        let f = Arc::new(A::new(0));
        let a = f.clone();
        let h0 = Rc11::spawn(move || {
            let mut n = 0;
            while a.load(Acquire) == 0 {
                n += 1;
                Rc11::yield_now();
            }
            n
        });
        let b = f.clone();
        let h1 = Rc11::spawn(move || {
            b.store(1, Release);
            0
        });
        let n = Rc11::join(h0);
        Rc11::join(h1);
        n
    })
}

#[test]
fn spin_loops_end() {
    let (n, o) = agree(spin_wait());
    // The waiter saw the flag at once, or after one look at 0 (then it blocked, and the
    // store revisited that look).
    assert_eq!(o, BTreeSet::from([0, 1]));
    assert_eq!(n, 2);
}
