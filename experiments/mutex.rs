//! # mutex — `std::sync::Mutex`
//!
//! **Question.** Guard the counter with a lock: lock, add one, unlock. Exact? At what cost?
//!
//! **Expect.** Always N × M: while one thread holds the guard no other can read or write the
//! counter, and unlocking publishes the write to the next thread that locks (release, then
//! acquire). Uncontended, a lock and an unlock are two atomic operations (6–10 ns); contended,
//! threads go to sleep in the kernel and wake each other, and the cost climbs.
//!
//! **Outcomes.** N × M ACCEPTABLE; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    summary: "std::sync::Mutex around the counter",
    class: Class::Fixed,
    options: &[],
    metric: None,
    default_threads: 8,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    locked_counter::<R, StdLock>(p)
}

/// The counter under a lock of kind `K` (`parking-lot` runs this with `ParkingLot`).
pub fn locked_counter<R: Rt, K: LockKind>(p: &Params) -> Run {
    let counter = Arc::new(<R::Mutex<K, u64>>::new(0));
    let m = p.iters;
    let (metric, elapsed) = workers::<R, _>(p, &counter, move |c, _| {
        for _ in 0..m {
            *c.lock() += 1; // the guard lives to the end of this statement
        }
        0
    });
    let value = *counter.lock();
    Run::counted(value, metric, elapsed)
}
