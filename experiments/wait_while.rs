//! # wait-while — wait for a condition, re-checked on every wake-up
//!
//! **Question.** The `condvar-if` queue with takes written as `wait_while(queue is empty)`:
//! check under the lock, sleep only while the condition holds, check again after every
//! wake-up. Does every take find an item, and does anyone sleep forever?
//!
//! **Expect.** Every take finds an item, and nobody sleeps forever. Checking *before* waiting
//! cures the lost wake-up (`lost-wakeup`): an item put earlier is seen, no signal needed.
//! Checking *after* waking cures the stolen item (`condvar-if`): a thread whose item was
//! taken goes back to sleep. It also makes spurious wake-ups, which real condvars may have,
//! harmless. Every put notifies one sleeping taker, and only takers sleep, so no wake-up
//! goes to the wrong thread. `explore` proves it at 2 × 2 and 3 × 1; `hunt` finds nothing.
//!
//! **Outcomes.** `ops` = N × M and `from_empty` = 0: ACCEPTABLE; anything else FORBIDDEN.

use super::shared::{grade_failures, role, Role};
use crate::prelude::*;
use crate::rt::MutexGuard;

pub const EXPERIMENT: Experiment = experiment! {
    family: "condvars",
    summary: "takers wait_while the queue is empty: no lost wake-up, no stolen item",
    class: Class::Fixed,
    locks: &["queue"],
    proof: Size {
        threads: 3,
        iters: 1,
    },
    judge: Some(judge),
    default_threads: 3,
    default_iters: 100_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    grade_failures(p, o, "from_empty", "a woken taker found its item gone")
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    takers::<R>(p, |cv, q| cv.wait_while(q, |q| *q == 0)) // checked on every wake-up
}

/// How a taker waits for an item: given the condvar and the locked queue, returns the
/// queue locked again once it may take.
pub type Wait<R> =
    for<'a> fn(&'a <R as Rt>::Condvar, MutexGuard<'a, R, u64>) -> MutexGuard<'a, R, u64>;

/// Putters add an item and notify one sleeper; takers `wait` for an item and take it
/// (`condvar-if` runs this with a wait that checks only once).
pub fn takers<R: Rt>(p: &Params, wait: Wait<R>) -> Run {
    let s = Arc::new((<R::Mutex<StdLock, u64>>::new(0), R::Condvar::new()));
    let (m, n) = (p.iters, p.threads);
    let ((ops, from_empty), elapsed) = workers_counting::<R, _, _>(p, &s, move |(queue, cv), t| {
        let (mut ops, mut from_empty) = (0, 0);
        for _ in 0..m {
            if role(t, n) != Role::Take {
                *queue.lock() += 1;
                cv.notify_one();
            }
            if role(t, n) != Role::Put {
                let mut q = wait(cv, queue.lock());
                match *q {
                    0 => from_empty += 1, // woken, and the item is gone
                    _ => *q -= 1,
                }
            }
            ops += 1;
        }
        (ops, from_empty)
    });
    Run::of(
        Outcome::of(&[("ops", ops), ("from_empty", from_empty)]),
        elapsed,
    )
}
