//! # latch-notify-one — the last count-down wakes only one waiter
//!
//! **Question.** `latch`, with the last count-down calling `notify_one` instead of
//! `notify_all`. With three threads, does everyone get through?
//!
//! **Expect.** No. Each thread counts down and checks the count under the latch's lock, so
//! when the last one brings it to 0 the other two are already asleep on the condvar;
//! `notify_one` wakes one of them, the other sleeps on, and nothing will ever notify again:
//! a deadlock, under every schedule at 3 × 1 (only a spurious wake-up could rescue it).
//! With two threads it cannot show (at most one is asleep), which is why tests with two
//! threads pass. The fix: `notify_all`
//! when many may wait for one condition (`latch`).
//!
//! **Outcomes.** finished with `passes` = N × M and `early` = 0: ACCEPTABLE; a deadlock:
//! INTERESTING (the lesson); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "barriers",
    summary: "countdown latch that wakes one waiter: with 3 threads one sleeps forever",
    class: Class::Deadlock,
    threads: (3, usize::MAX),
    bug_shows_in: Worlds::ALL,
    play: Play::Not("at 3 threads it deadlocks under every schedule: there is no move to make"),
    proof: Size {
        threads: 3,
        iters: 1,
    },
    judge: Some(super::latch::judge),
    default_threads: 3,
    default_iters: 1_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::latch::countdown::<R>(p, false)
}
