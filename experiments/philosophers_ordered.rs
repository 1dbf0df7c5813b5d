//! # philosophers-ordered — number the forks, lower number first
//!
//! **Question.** The `philosophers` dinner, but every philosopher picks up the
//! lower-numbered of their two forks first. Does dinner always end?
//!
//! **Expect.** Always. A deadlock needs a cycle of threads each holding a lock the next one
//! wants; if every thread takes locks in one global order, a thread only ever waits for a
//! lock higher than all it holds, and a cycle would have to climb back to where it started.
//! The last philosopher now reaches for fork 0 first, like its neighbour, and one of them
//! always gets both. `explore` proves it at 2 × 2 and 3 × 1; `hunt` finds nothing.
//!
//! **Outcomes.** `meals` = N × M: ACCEPTABLE; anything else (a deadlock included) FORBIDDEN.

use super::philosophers::{forks, meals};
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "deadlock",
    summary: "dining philosophers taking the lower-numbered fork first: no cycle",
    class: Class::Fixed,
    locks: &["fork0", "fork1", "fork2", "fork3"],
    proof: Size {
        threads: 3,
        iters: 1,
    },
    judge: Some(super::philosophers::judge),
    default_threads: 3,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let m = p.iters;
    let (eaten, elapsed) = workers::<R, _>(p, &Arc::new(forks::<R>(p)), move |forks, me| {
        let (left, right) = (me, (me + 1) % forks.len());
        let (first, second) = (left.min(right), left.max(right)); // one global order
        for _ in 0..m {
            let _a = forks[first].lock();
            let _b = forks[second].lock();
        }
        m
    });
    meals(eaten, elapsed)
}
