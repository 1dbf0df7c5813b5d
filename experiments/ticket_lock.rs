//! # ticket-lock — take a number, wait to be called
//!
//! **Question.** A ticket lock: to enter, take a ticket (`fetch_add` on `next`) and wait
//! until `serving` shows it (Acquire); to leave, call the next ticket (`serving` + 1,
//! Release). Does only one thread at a time get in, and in what order?
//!
//! **Expect.** One at a time, first come first served: `fetch_add` hands out every ticket
//! exactly once, and only the holder of the ticket being served may enter. Unlike a
//! test-and-set lock it is fair: no thread can be overtaken forever. The price of fairness:
//! when the next ticket belongs to a thread that is not running (more threads than CPUs),
//! everyone waits for it to be scheduled. `explore` proves it at 2 × 2 (3 × 1 is too large to finish); `hunt`
//! finds nothing.
//!
//! **Outcomes.** `count` = N × M and `in_cs` = 1: ACCEPTABLE; anything else FORBIDDEN.

use super::shared::{judge_lock, lock_outcome, Inside};
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "locks",
    summary: "ticket lock: fetch_add a ticket, wait until it is served (fair, FIFO)",
    class: Class::Fixed,
    atomics: &["next", "serving", "count", "inside", "peak"],
    proof: Size {
        threads: 2,
        iters: 2,
    },
    judge: Some(judge_lock),
    default_threads: 2,
    default_iters: 200_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let lock = (
        R::AtomicU64::new(0),
        R::AtomicU64::new(0),
        R::AtomicU64::new(0),
    );
    let s = Arc::new((lock, Inside::<R>::new()));
    let m = p.iters;
    let (_, elapsed) = workers::<R, _>(p, &s, move |((next, serving, count), inside), _| {
        for _ in 0..m {
            let ticket = next.fetch_add(1, Ordering::Relaxed); // every ticket handed out once
            while serving.load(Ordering::Acquire) != ticket {
                R::yield_now(); // wait to be called
            }
            inside.enter();
            let c = count.load(Ordering::Relaxed);
            count.store(c + 1, Ordering::Relaxed);
            inside.leave();
            serving.store(ticket + 1, Ordering::Release); // call the next ticket
        }
        0
    });
    Run::of(
        lock_outcome(s.0 .2.load(Ordering::SeqCst), s.1.peak()),
        elapsed,
    )
}
