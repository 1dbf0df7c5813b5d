//! # rendezvous — two threads meet, with two semaphores
//!
//! **Question.** Two threads must meet M times: neither may start round r + 1 before the
//! other has finished round r's first half. Each has a semaphore that says "I have
//! arrived" (both start at 0). Round r of thread A: write `a`'s mark, `arrived_a.signal()`,
//! `arrived_b.wait()`, then check `b`'s mark; thread B the mirror image. Does each thread
//! always see the other's mark of this round, and does it always finish?
//!
//! **Expect.** Always: each thread announces before it waits, so whoever arrives second
//! finds the other's permit waiting and nobody sleeps for good; the permit is signalled
//! after the mark is written and the mutex inside the semaphore orders the two. Wait first
//! and signal second, and both wait for each other forever (`rendezvous-wait-first`).
//! `explore` proves it at 2 × 2.
//!
//! **Outcomes.** `rounds` = N × M with `early` = 0 (no thread went on before the other
//! arrived): ACCEPTABLE; anything else (a deadlock included) FORBIDDEN.

use super::semaphore::Semaphore;
use super::shared::grade_bugs;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "semaphores",
    summary: "signal, then wait for the other: two threads meet every round",
    class: Class::Fixed,
    threads: (2, 2),
    atomics: &["mark_a", "mark_b"],
    locks: &["arrived_a", "arrived_b"],
    judge: Some(judge),
    default_threads: 2,
    default_iters: 20_000,
};

/// An early pass is a bug in every version: the lesson that shares this judge hangs.
pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    grade_bugs(p, o, "early", "a thread went on before the other arrived")
}

/// Two threads meet M times; `wait_first`: each waits for the other before it signals.
pub fn meet<R: Rt>(p: &Params, wait_first: bool) -> Run {
    let s = Arc::new((
        [R::AtomicU64::new(0), R::AtomicU64::new(0)],
        [Semaphore::<R>::new(0), Semaphore::<R>::new(0)],
    ));
    let m = p.iters;
    let (tally, elapsed) = workers_counting::<R, _, _>(p, &s, move |(mark, arrived), me| {
        let other = 1 - me;
        let mut early = 0;
        for r in 1..=m {
            mark[me].store(r, Ordering::Relaxed);
            if wait_first {
                arrived[other].wait(); // both wait here: nobody signals
                arrived[me].signal();
            } else {
                arrived[me].signal();
                arrived[other].wait();
            }
            if mark[other].load(Ordering::Relaxed) < r {
                early += 1;
            }
        }
        (m, early)
    });
    let (rounds, early) = tally;
    Run::of(
        Outcome::of(&[("rounds", rounds), ("early", early)]),
        elapsed,
    )
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    meet::<R>(p, false)
}
