//! Small programs in the style of GenMC's synthetic benchmarks, written over the facade:
//! yardsticks for the exhaustive search (their classes are known) and for its speed (the
//! `dpor` benchmark). They are not lessons (those live in `experiments/`).
//!
//! Published counts (GenMC, sequential consistency): `lastzero` 5, 12, 28, 64 executions for
//! N = 2..5; `readers` 4 / 256 / 8,192 for N = 2 / 8 / 13.

use crate::rt::{Rt, RtAtomic};
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use std::sync::Arc;

/// `lastzero(N)`: N writers chained through an array (`a[j] = a[j-1] + 1`) and one reader
/// walking down from `a[N]` until it reads 0. Returns the index the reader stopped at.
pub fn lastzero<R: Rt>(n: usize) -> u64 {
    let a: Arc<Vec<R::AtomicU64>> = Arc::new((0..=n).map(|_| R::AtomicU64::new(0)).collect());
    let r = {
        let a = a.clone();
        R::spawn(move || {
            let mut i = n;
            while i > 0 && a[i].load(Acquire) != 0 {
                i -= 1;
            }
            i as u64
        })
    };
    let writers: Vec<_> = (1..=n)
        .map(|j| {
            let a = a.clone();
            R::spawn(move || {
                let v = a[j - 1].load(Acquire);
                a[j].store(v + 1, Release);
            })
        })
        .collect();
    for w in writers {
        R::join(w);
    }
    R::join(r)
}

/// `readers(N)`: N readers each read `x` once beside one writer. Returns how many read the
/// write.
pub fn readers<R: Rt>(n: usize) -> u64 {
    let x = Arc::new(R::AtomicU64::new(0));
    let w = {
        let x = x.clone();
        R::spawn(move || x.store(1, Release))
    };
    let rs: Vec<_> = (0..n)
        .map(|_| {
            let x = x.clone();
            R::spawn(move || x.load(Acquire))
        })
        .collect();
    R::join(w);
    rs.into_iter().map(R::join).sum()
}

/// `fib_bench(N)`: two threads, each adding the other's variable into its own N times
/// (`i = i + j` and `j = j + i`). Returns the final `i + j`.
pub fn fib<R: Rt>(rounds: usize) -> u64 {
    let (i, j) = (
        Arc::new(R::AtomicU64::new(1)),
        Arc::new(R::AtomicU64::new(1)),
    );
    let spawn = |mine: Arc<R::AtomicU64>, other: Arc<R::AtomicU64>| {
        R::spawn(move || {
            for _ in 0..rounds {
                let v = mine.load(Relaxed) + other.load(Relaxed);
                mine.store(v, Relaxed);
            }
        })
    };
    let (a, b) = (spawn(i.clone(), j.clone()), spawn(j.clone(), i.clone()));
    R::join(a);
    R::join(b);
    i.load(Relaxed) + j.load(Relaxed)
}
