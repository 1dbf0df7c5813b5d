//! # condvar-if — `if` where `while` was meant
//!
//! **Question.** Workers share a queue (a count of items behind a mutex) and a condvar.
//! Even-numbered workers put M items, odd-numbered ones take M (with an odd number of
//! workers, the last one puts one and takes one, M times). A put: lock, add one, unlock,
//! `notify_one`. A take: lock; *if* the queue is empty, wait; then take an item. Does every
//! take find an item?
//!
//! **Expect.** No, with two or more takers. A notified thread does not run at once: it must
//! take the lock again first, and meanwhile another taker that never waited can walk in and
//! take the item it was woken for. The woken thread, having checked only once (`if`), takes
//! from an empty queue: in real code, a pop that panics or reads garbage. Found at 3 × 1 by
//! `explore` and `hunt` (two takers: the odd worker and the last one), and natively by
//! `run`. The fix: re-check after every wake-up (`while`, i.e. `wait_while`): `wait-while`.
//!
//! **Outcomes.** `ops` = N × M with `from_empty` = 0: ACCEPTABLE; `from_empty` > 0:
//! INTERESTING (a woken taker found its item gone); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "condvars",
    summary: "a taker checks the queue once (if), not in a loop: its item can be gone",
    class: Class::LogicRace,
    locks: &["queue"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 3,
        iters: 1,
    },
    goal: Some("Wake a taker for an item, then let another taker take it first."),
    judge: Some(super::wait_while::judge),
    default_threads: 3,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    // `wait-while`'s putters and takers, with a wait that checks the queue once.
    super::wait_while::takers::<R>(p, |cv, q| {
        if *q == 0 {
            return cv.wait(q); // woken for an item… which another taker may take first
        }
        q
    })
}
