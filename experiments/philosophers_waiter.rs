//! # philosophers-waiter — one seat fewer than philosophers
//!
//! **Question.** The `philosophers` dinner (left fork, then right), with a waiter who lets
//! at most N − 1 philosophers sit at once (a count behind a mutex and a condvar: wait while
//! the seats are full). Does dinner always end?
//!
//! **Expect.** Always. The deadlock needs all N philosophers holding a left fork; with at
//! most N − 1 at the table, some seated philosopher's right neighbour is absent, so its
//! right fork is free and it can eat. Limiting how many threads compete for a set of locks
//! (a semaphore) breaks the cycle without changing the lock order. `explore` proves it at
//! 2 × 2 (3 × 1 is too large to finish); `hunt` finds nothing.
//!
//! **Outcomes.** `meals` = N × M: ACCEPTABLE; anything else (a deadlock included) FORBIDDEN.

use super::philosophers::{forks, meals};
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "deadlock",
    summary: "dining philosophers, left then right, with at most N-1 seated: no cycle",
    class: Class::Fixed,
    locks: &["seats", "fork0", "fork1", "fork2", "fork3"],
    proof: Size {
        threads: 2,
        iters: 2,
    },
    judge: Some(super::philosophers::judge),
    default_threads: 3,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    // The seats' mutex first, so that it is lock `seats` whatever the number of forks.
    let table = Arc::new((
        <R::Mutex<StdLock, usize>>::new(0),
        R::Condvar::new(),
        forks::<R>(p),
    ));
    let m = p.iters;
    let (eaten, elapsed) = workers::<R, _>(p, &table, move |(seated, waiter, forks), me| {
        let (left, right) = (me, (me + 1) % forks.len());
        let seats = forks.len() - 1; // one fewer than forks
        for _ in 0..m {
            *waiter.wait_while(seated.lock(), |s| *s == seats) += 1; // sit down
            {
                let _l = forks[left].lock();
                let _r = forks[right].lock();
            }
            *seated.lock() -= 1; // leave
            waiter.notify_one();
        }
        m
    });
    meals(eaten, elapsed)
}
