//! # philosophers-polite — try the right fork, or put the left one down: a livelock
//!
//! **Question.** The `philosophers` dinner, made "deadlock-free": a philosopher holding the
//! left fork only *tries* the right one (`try_lock`). If it is taken, they wait a moment
//! (`yield_now`), put the left fork down and pick it straight up again, and retry. No
//! thread ever blocks on a lock held by another. Does dinner end?
//!
//! **Expect.** Not necessarily. If the philosophers move in step, each picks up a left
//! fork, finds the right one taken, puts the left one down and picks it up again, forever:
//! every thread keeps running and changing state, and nobody eats. That is a livelock.
//! `hunt -t 2` finds a schedule that keeps them in step until the scheduled world's step
//! limit. On real threads the timing is never in step for long, so `run` finishes
//! (slowly, by luck): a livelock is a deadlock that burns CPU and hides. loom cannot
//! finish exploring an unbounded retry loop. The cures are those of `philosophers`
//! (one lock order, or fewer seats); random back-off only makes the lockstep unlikely.
//!
//! **Outcomes.** finished with `meals` = N × M: ACCEPTABLE; a run that never ends (a
//! livelock): a failure; anything else FORBIDDEN.

use super::philosophers::{forks, meals};
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "deadlock",
    summary: "philosophers try_lock the right fork and retry: no deadlock, but a livelock",
    class: Class::Deadlock,
    threads: (2, usize::MAX),
    locks: &["fork0", "fork1", "fork2", "fork3"],
    bug_shows_in: Worlds {
        native: false,
        loom: false,
        scheduled: true,
    },
    proof: Size {
        threads: 2,
        iters: 1,
    },
    play: Play::Not(
        "its bug is a livelock, a run that never ends: no game of finitely many moves reaches it (`race-lab hunt philosophers-polite` finds one at the scheduled world's step limit)",
    ),
    judge: Some(super::philosophers::judge),
    default_threads: 3,
    default_iters: 10_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let m = p.iters;
    let (eaten, elapsed) = workers::<R, _>(p, &Arc::new(forks::<R>(p)), move |forks, me| {
        let (left, right) = (me, (me + 1) % forks.len());
        for _ in 0..m {
            let mut l = forks[left].lock();
            while forks[right].try_lock().is_none() {
                R::yield_now(); // the right fork is taken: wait a moment…
                drop(l); // …put the left one down…
                l = forks[left].lock(); // …and pick it straight up again
            }
        }
        m
    });
    meals(eaten, elapsed)
}
