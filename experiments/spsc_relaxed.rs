//! # spsc-relaxed — a ring buffer whose indices publish nothing
//!
//! **Question.** `spsc`, with the index stores and loads Relaxed. Does the consumer still
//! get every item, in order?
//!
//! **Expect.** Not under the memory model. A Relaxed store of `tail` says nothing about the
//! slot written before it: the consumer may see `tail` = 1 and still read the slot's old
//! content (0), a stale slot read. It is message passing (`publish-relaxed`) inside a
//! data structure. `explore` in the weak-memory worlds finds `wrong` > 0 at 2 × 1; x86 keeps
//! stores in order, so `run` here is clean, and schedules (sequentially consistent) prove
//! the kernel: the bug needs weak memory. The fix: Release on the index stores, Acquire on
//! their loads (`spsc`).
//!
//! **Outcomes.** `ops` = N × M with `wrong` = 0: ACCEPTABLE; `wrong` > 0: INTERESTING (a stale
//! slot read); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "lock-free",
    summary: "SPSC ring buffer with Relaxed indices: the consumer reads a stale slot",
    class: Class::LogicRace,
    threads: (2, 2),
    atomics: &["head", "tail", "slot0", "slot1"],
    bug_shows_in: Worlds::WEAK_MEMORY,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(super::spsc::judge),
    default_threads: 2,
    default_iters: 1_000_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::spsc::ring::<R>(p, Ordering::Relaxed, Ordering::Relaxed)
}
