//! # cas-failure-relaxed — a failed exchange that synchronises with nothing
//!
//! **Question.** `cas-failure-acquire`, with the failure ordering Relaxed:
//! `compare_exchange(0, t + 1, AcqRel, Relaxed)`. Does a loser always read the winner's
//! payload?
//!
//! **Expect.** Not under the memory model. The success ordering (AcqRel) says nothing about
//! a failure: a failed exchange is only a load, here a Relaxed one, so the loser learns
//! *who* won but not *what* the winner wrote before; it may read the winner's slot as it
//! was (0). On x86 every `lock cmpxchg` is a full barrier, so `run` is clean here; ARM
//! and POWER can show it. Schedules prove the kernel (sequential consistency); `explore` in
//! the weak-memory worlds finds `stale` > 0 at 2 × 1. jcstress has the same samples for
//! Java's `compareAndExchange`. The fix: Acquire on failure (`cas-failure-acquire`).
//!
//! **Outcomes.** `gets` = N × M and `stale` = 0: ACCEPTABLE; `stale` > 0: INTERESTING (the
//! lesson); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "compare-exchange",
    summary: "failure ordering Relaxed: a loser reads the winner's slot before its data",
    class: Class::LogicRace,
    bug_shows_in: Worlds::WEAK_MEMORY,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(super::cas_failure_acquire::judge),
    default_threads: 4,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::cas_failure_acquire::race_to_publish::<R>(p, Ordering::Relaxed)
}
