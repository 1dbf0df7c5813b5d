//! # sharded-unpadded — false sharing
//!
//! **Question.** The same per-thread slots as `sharded`, but packed next to each other in a
//! `Vec<AtomicU64>`: eight slots share one 64-byte cache line. Exact? As fast?
//!
//! **Expect.** Exact — no two threads write the same slot — but much slower than `sharded`
//! on several CPUs: the CPUs own memory a cache line at a time, so every store by one thread
//! steals the line from the others (*false sharing*). Correctness is about data; speed is
//! about cache lines.
//!
//! **Outcomes.** N × M ACCEPTABLE; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    summary: "per-thread slots packed side by side: exact, but slowed by false sharing",
    class: Class::Fixed,
    options: &[],
    metric: None,
    default_threads: 8,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let slots: Arc<Vec<R::AtomicU64>> =
        Arc::new((0..p.threads).map(|_| R::AtomicU64::new(0)).collect());
    let m = p.iters;
    let (metric, elapsed) = workers::<R, _>(p, &slots, move |slots, t| {
        let mine = &slots[t]; // 8 bytes from its neighbours: the same cache line
        for _ in 0..m {
            mine.store(mine.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        }
        0
    });
    let value = slots.iter().map(|s| s.load(Ordering::Relaxed)).sum();
    Run::counted(value, metric, elapsed)
}
