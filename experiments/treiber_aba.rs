//! # treiber-aba — a lock-free stack corrupted by ABA
//!
//! **Question.** `treiber-tagged`'s stack with a plain index in `head`: pop swings `head`
//! from the node it read to that node's `next` with `compare_exchange`, nodes are reused.
//! N threads each M times pop two nodes and push them back. Is the stack intact at the end?
//!
//! **Expect.** No. Thread 0 reads `head` = A and A's `next` = B, and stops. Thread 1 pops A,
//! pops B, pushes A back (A's `next` is now empty). `head` is A again, so thread 0's
//! `compare_exchange(A → B)` succeeds, and puts B, which thread 1 still holds, on top. When
//! thread 1 pushes B, it points B at itself: a cycle, and A is lost. Every access is
//! atomic: there is no data race, only a question asked about the wrong thing ("is A on
//! top?" instead of "has anything changed?"). Schedules find it at 2 × 1 (GenMC and *The Art
//! of Multiprocessor Programming* use the same stack). The fix: a tag (`treiber-tagged`), or
//! never reusing a node a thread may still hold.
//!
//! **Outcomes.** `ops` = N × M, `nodes` = 2 and `cycle` = 0: ACCEPTABLE; a lost node or a cycle:
//! INTERESTING (the lesson); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "lock-free",
    summary: "Treiber stack reusing nodes: ABA makes a compare_exchange corrupt it",
    class: Class::LogicRace,
    atomics: &["head", "next_a", "next_b"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(super::treiber_tagged::judge),
    goal: Some("corrupt the stack: make a pop's compare_exchange succeed on a stale head"),
    default_threads: 4,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::treiber_tagged::churn::<R>(p, false)
}
