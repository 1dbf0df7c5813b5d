//! # peterson-swap — give way with a read-modify-write
//!
//! **Question.** The `peterson` lock (Release stores, Acquire loads, no fence) where a thread
//! gives way with `turn.swap(me, AcqRel)` instead of a store. Does only one thread at a
//! time get in?
//!
//! **Expect.** Yes. Swaps of `turn` form one chain: each reads the one before it. So the
//! second thread to give way reads the first one's swap and synchronises with it, and sees
//! the flag the first raised before it: it waits. The first may read the second's flag as
//! down and enter, but then the second is the one waiting. No SeqCst needed (this is the
//! usual C++11 version of the lock). loom models read-modify-writes in full, so `explore`
//! proves it at 2 × 1 (its spin loops make 2 × 2 too large to finish); `run` and `hunt`
//! find nothing.
//!
//! **Outcomes.** `count` = N × M and `in_cs` = 1: ACCEPTABLE; anything else FORBIDDEN.

use super::peterson::Turn;
use super::shared::judge_lock;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    base: super::peterson::PETERSON,
    summary: "Peterson's lock giving way with an AcqRel swap: correct, and loom proves it",
    class: Class::Fixed,
    judge: Some(judge_lock),
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::peterson::peterson_lock::<R>(p, Ordering::Release, Ordering::Acquire, Turn::Swap)
}
