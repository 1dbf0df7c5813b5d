//! # rendezvous-wait-first — both wait for the other, nobody arrives
//!
//! **Question.** `rendezvous`, with each thread waiting for the other's "arrived" before
//! signalling its own. Does it finish?
//!
//! **Expect.** Never: each thread sleeps on a semaphore only the other would signal, after
//! its own wait. It is the smallest deadlock there is, with no lock at all, and every
//! schedule finds it at 2 × 1. Signalling first breaks the cycle (`rendezvous`); waiting
//! first on one side only also works (the other side signals before it waits).
//!
//! **Outcomes.** finished with `rounds` = N × M and `early` = 0: ACCEPTABLE (never seen); a
//! deadlock: INTERESTING (the lesson); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "semaphores",
    summary: "wait for the other, then signal: both wait forever",
    class: Class::Deadlock,
    threads: (2, 2),
    atomics: &["mark_a", "mark_b"],
    locks: &["arrived_a", "arrived_b"],
    bug_shows_in: Worlds::ALL,
    play: Play::Not("it deadlocks under every schedule: there is no move to make"),
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(super::rendezvous::judge),
    default_threads: 2,
    default_iters: 1_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::rendezvous::meet::<R>(p, true)
}
