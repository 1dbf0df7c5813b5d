//! # flag-lock — a lock made of a boolean: wait until free, then take it
//!
//! **Question.** A home-made lock: spin while `locked` is true, then store true, do the
//! critical section (read the count, write it plus one), store false. N threads each pass
//! through M times. Does only one thread at a time get in?
//!
//! **Expect.** No. Waiting and taking are two steps: two threads can both load `false`,
//! both store `true`, and both walk in; then the count loses updates. It is the lost update
//! again, on the lock itself, so no ordering helps, and every world shows it: `run`
//! natively, `explore` and `hunt` at 2 × 1. The repair makes taking the lock one indivisible
//! step that also reports whether it was free: `swap(true)` (`spin-lock`).
//!
//! **Outcomes.** `count` = N × M with `in_cs` = 1: ACCEPTABLE; `in_cs` = 2 or more:
//! INTERESTING (two threads inside at once; lost counts follow); anything else FORBIDDEN.

use super::shared::{judge_lock, lock_outcome, Inside};
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "locks",
    summary: "spin while a bool is set, then set it: both threads enter",
    class: Class::LogicRace,
    atomics: &["locked", "count", "inside", "peak"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge_lock),
    default_threads: 2,
    default_iters: 3_000_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let lock = (R::AtomicBool::new(false), R::AtomicU64::new(0));
    let s = Arc::new((lock, Inside::<R>::new()));
    let m = p.iters;
    let (_, elapsed) = workers::<R, _>(p, &s, move |((locked, count), inside), _| {
        for _ in 0..m {
            while locked.load(Ordering::Acquire) {
                R::yield_now(); // wait until it looks free…
            }
            locked.store(true, Ordering::Release); // …and take it: another thread may be here too
            inside.enter();
            let c = count.load(Ordering::Relaxed);
            count.store(c + 1, Ordering::Relaxed);
            inside.leave();
            locked.store(false, Ordering::Release);
        }
        0
    });
    Run::of(
        lock_outcome(s.0 .1.load(Ordering::SeqCst), s.1.peak()),
        elapsed,
    )
}
