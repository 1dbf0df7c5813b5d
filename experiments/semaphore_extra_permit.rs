//! # semaphore-extra-permit — the wrong count
//!
//! **Question.** `semaphore`'s kernel, with the semaphore created with two permits where
//! the shared count can take one writer at a time (an off-by-one in a pool size, a limit
//! read from the wrong setting). Does only one thread at a time get in?
//!
//! **Expect.** No. A semaphore admits exactly as many threads as it has permits: with two,
//! two threads read the same count and one increment is lost. Nothing in the semaphore is
//! wrong; its count is. Schedules show it at once (`explore` at 2 × 1 finds `in_cs` = 2 and
//! lost updates). The fix is the right count: one permit (`semaphore`).
//!
//! **Outcomes.** `count` = N × M and `in_cs` = 1: ACCEPTABLE; `in_cs` = 2 or lost updates:
//! INTERESTING (the lesson); anything else FORBIDDEN.

use super::shared::judge_lock;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "semaphores",
    summary: "the semaphore created with 2 permits for a 1-writer resource: two get in",
    class: Class::LogicRace,
    atomics: &["count", "inside", "peak"],
    locks: &["permits"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge_lock),
    default_threads: 4,
    default_iters: 20_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::semaphore::guarded::<R>(p, 2)
}
