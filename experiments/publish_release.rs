//! # publish-release — Release the flag, Acquire it
//!
//! **Question.** `publish-relaxed` with two orderings changed: the flag is stored with
//! Release and loaded with Acquire (the data stays Relaxed). Can a reader still see the
//! flag without the data?
//!
//! **Expect.** Never. A Release store publishes every write its thread made before it; an
//! Acquire load that reads that store sees them all — or one that reads a later write in its
//! *release sequence* (a read-modify-write of the flag), but not a later plain store by
//! another thread, which carries no Release of this thread's. Here only the writer stores
//! `ready`, so a reader that sees `ready` = i sees `data` ≥ i. On x86 both compile to plain moves (TSO gives this for
//! free); what they add there is a promise the compiler must keep. `explore` proves it at
//! 2 × 2 and 3 × 1.
//!
//! **Outcomes.** `reads` = N × M and `stale` = 0: ACCEPTABLE; anything else FORBIDDEN.

use super::shared::grade_failures;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "publication",
    summary: "the same messages with a Release store and an Acquire load of the flag",
    class: Class::Fixed,
    atomics: &["data", "ready"],
    proof: Size {
        threads: 2,
        iters: 2,
    },
    judge: Some(judge),
    default_threads: 2,
    default_iters: 1_000_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    grade_failures(p, o, "stale", "a reader saw the flag but not the data")
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    publish::<R>(p, Ordering::Release, Ordering::Acquire)
}

/// Thread 0 writes `data`, then raises `ready` with ordering `raise`; every thread reads
/// `ready` with ordering `check`, then `data`, and counts a read of `data` older than the
/// flag announced (`publish-relaxed`: both Relaxed).
pub fn publish<R: Rt>(p: &Params, raise: Ordering, check: Ordering) -> Run {
    let shared = Arc::new((R::AtomicU64::new(0), R::AtomicU64::new(0)));
    let m = p.iters;
    let ((reads, stale), elapsed) =
        workers_counting::<R, _, _>(p, &shared, move |(data, ready), t| {
            if t == 0 {
                for i in 1..=m {
                    data.store(i, Ordering::Relaxed);
                    ready.store(i, raise); // Release publishes the store above…
                }
            }
            let (mut reads, mut stale) = (0, 0);
            for _ in 0..m {
                let announced = ready.load(check); // …to whoever reads it with Acquire
                let got = data.load(Ordering::Relaxed); // (Relaxed: maybe older than announced)
                stale += u64::from(got < announced);
                reads += 1;
            }
            (reads, stale)
        });
    Run::of(Outcome::of(&[("reads", reads), ("stale", stale)]), elapsed)
}
