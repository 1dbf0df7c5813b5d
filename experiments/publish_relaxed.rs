//! # publish-relaxed — a flag that publishes nothing
//!
//! **Question.** Thread 0 publishes M messages, one after another: it stores message i in
//! `data`, then stores i in `ready`. Then every thread (thread 0 too) reads `ready`, then
//! `data`, M times. A reader that finds `ready` = i expects `data` ≥ i. All Relaxed: is that
//! what it gets?
//!
//! **Expect.** Not guaranteed. Relaxed makes each access atomic and orders nothing between
//! two locations: a reader may see the new flag and the old data. This is message passing
//! (MP): `explore` finds `stale` > 0 at 2 × 1. On x86 you will not see it: x86 keeps stores
//! in order and loads in order (TSO), so `run` here is always clean, though ARM or POWER,
//! or a compiler that reorders the two relaxed stores, can show it. The bug is in the
//! program, not in the CPU you test on. The scheduled world is sequentially consistent and
//! cannot show it either. The fix: Release on the flag's store, Acquire on its load
//! (`publish-release`).
//!
//! **Outcomes.** `reads` = N × M with `stale` = 0: ACCEPTABLE; `stale` > 0: INTERESTING (a
//! reader saw the flag but not the data it announces); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "publication",
    summary: "data, then a flag, all Relaxed: a reader sees the flag without the data (MP)",
    class: Class::LogicRace,
    atomics: &["data", "ready"],
    bug_shows_in: Worlds::WEAK_MEMORY,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(super::publish_release::judge),
    default_threads: 2,
    default_iters: 1_000_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    // `publish-release`'s writer and readers, with nothing saying `data` is seen first.
    super::publish_release::publish::<R>(p, Ordering::Relaxed, Ordering::Relaxed)
}
