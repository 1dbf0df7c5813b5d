//! # sharded — give every thread its own counter
//!
//! **Question.** Instead of one counter that every thread fights over, give each thread a
//! slot of its own (padded to a cache line with `crossbeam_utils::CachePadded`), and add the
//! slots up at the end. Exact? How fast?
//!
//! **Expect.** Always N × M, and the fastest fix by far: each slot has one writer, so a plain
//! load and store suffice (Relaxed atomics compile to ordinary `mov`s) and no cache line ever
//! moves between CPUs. Joining the threads makes every slot's final value visible to the
//! summing thread. Compare `sharded-unpadded`.
//!
//! **Outcomes.** N × M ACCEPTABLE; anything else FORBIDDEN.

use crate::prelude::*;
use crossbeam_utils::CachePadded;

pub const EXPERIMENT: Experiment = experiment! {
    summary: "one cache-padded slot per thread (CachePadded), summed at the end",
    class: Class::Fixed,
    options: &[],
    metric: None,
    default_threads: 8,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let slots: Arc<Vec<CachePadded<R::AtomicU64>>> = Arc::new(
        (0..p.threads)
            .map(|_| CachePadded::new(R::AtomicU64::new(0)))
            .collect(),
    );
    let m = p.iters;
    let (metric, elapsed) = workers::<R, _>(p, &slots, move |slots, t| {
        let mine = &slots[t];
        for _ in 0..m {
            // Only this thread writes this slot: load + store is exact here.
            mine.store(mine.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        }
        0
    });
    // After join, every slot's last store happens-before these loads.
    let value = slots.iter().map(|s| s.load(Ordering::Relaxed)).sum();
    Run::counted(value, metric, elapsed)
}
