//! # peterson-fence — Peterson's lock with a SeqCst fence
//!
//! **Question.** The `peterson` lock (Release stores, Acquire loads) with one
//! `fence(SeqCst)` between a thread's stores (flag, turn) and its loads. Does only one
//! thread at a time get in?
//!
//! **Expect.** Yes. SeqCst fences are totally ordered; whichever thread's fence comes second
//! in that order must see the other's flag store, so at most one reads the other's flag as
//! down, and the turn decides. This is the version loom can prove: it models SeqCst fences
//! in full (unlike SeqCst accesses: see `peterson-seqcst`). `explore` proves it at 2 × 2;
//! `run` and `hunt` find nothing.
//!
//! **Outcomes.** `count` = N × M and `in_cs` = 1: ACCEPTABLE; anything else FORBIDDEN.

use super::shared::grade_lock;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = Experiment {
    name: "peterson-fence",
    family: "locks",
    summary: "Peterson's lock with a SeqCst fence between its stores and loads (loom proves it)",
    class: Class::Fixed,
    threads: (2, 2),
    atomics: &["flag0", "flag1", "turn", "count", "inside", "peak"],
    proof: Size {
        threads: 2,
        iters: 2,
    },
    judge: Some(judge),
    default_threads: 2,
    default_iters: 1_000_000,
    source: include_str!("peterson_fence.rs"),
    kernels: kernels!(kernel),
    ..Experiment::DEFAULTS
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    grade_lock(p, o, false)
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::peterson::peterson_lock::<R>(p, Ordering::Release, Ordering::Acquire, true)
}
