//! # deadlock-ordered — the two locks, always A before B
//!
//! **Question.** The `deadlock` experiment with every thread locking A, then B (where odd
//! threads used to lock B first). Does it always finish?
//!
//! **Expect.** Always, and exact. A thread that holds B already holds A, so no thread can
//! hold B while waiting for A: the wait cycle of `deadlock` cannot form. One global lock
//! order is the standard cure (`philosophers-ordered` is the same cure for N locks).
//! `explore` proves it at 2 × 2 and 3 × 1; `hunt` finds nothing.
//!
//! **Outcomes.** N × M ACCEPTABLE; anything else (a deadlock included) FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "deadlock",
    summary: "the two mutexes taken in one global order by every thread",
    class: Class::Fixed,
    locks: &["A", "B"],
    options: &[Opt::Window],
    default_threads: 2,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let locks = Arc::new((
        <R::Mutex<StdLock, u64>>::new(0),
        <R::Mutex<StdLock, ()>>::new(()),
    ));
    let (m, w) = (p.iters, p.window);
    let (metric, elapsed) = workers::<R, _>(p, &locks, move |(a, b), _| {
        for _ in 0..m {
            let mut count = a.lock(); // every thread: A first…
            R::window(w);
            let _b = b.lock(); // …then B
            *count += 1;
        }
        0
    });
    let value = *locks.0.lock();
    Run::counted(value, metric, elapsed)
}
