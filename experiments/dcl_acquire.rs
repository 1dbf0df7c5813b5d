//! # dcl-acquire — double-checked locking done right
//!
//! **Question.** `dcl-relaxed` with the fast-path load of `ready` made Acquire and the
//! flag's store made Release. Can a thread still use a value before it is there?
//!
//! **Expect.** Never. A fast path that sees `ready` = true has read the Release store, so it
//! sees the value stored before it. The check under the lock can stay Relaxed: the lock
//! already orders it after the previous holder's writes. This is how `rt::Once` (and std's
//! `OnceLock`) work. `explore` proves it at 2 × 2 and 3 × 1.
//!
//! **Outcomes.** `gets` = N × M and `uninit` = 0: ACCEPTABLE; anything else FORBIDDEN.

use super::shared::grade_failures;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "publication",
    summary: "double-checked locking with an Acquire fast path and a Release flag",
    class: Class::Fixed,
    atomics: &["ready0", "value0", "ready1", "value1"],
    locks: &["init"],
    proof: Size {
        threads: 2,
        iters: 2,
    },
    judge: Some(judge),
    default_threads: 4,
    default_iters: 100_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    grade_failures(p, o, "uninit", "a fast path saw the flag but not the value")
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    double_checked::<R>(p, Ordering::Acquire, Ordering::Release)
}

/// Double-checked lazy initialisation with the flag read by `check` and set by `publish`
/// (`dcl-relaxed` runs it with Relaxed for both).
pub fn double_checked<R: Rt>(p: &Params, check: Ordering, publish: Ordering) -> Run {
    let slots: Vec<(R::AtomicBool, R::AtomicU64)> = (0..p.iters)
        .map(|_| (RtAtomic::new(false), RtAtomic::new(0)))
        .collect();
    let lazy = Arc::new((slots, <R::Mutex<StdLock, ()>>::new(())));
    let ((gets, uninit), elapsed) =
        workers_counting::<R, _, _>(p, &lazy, move |(slots, lock), _| {
            let (mut gets, mut uninit) = (0, 0);
            for (ready, value) in slots {
                if !ready.load(check) {
                    let _init = lock.lock();
                    if !ready.load(Ordering::Relaxed) {
                        value.store(42, Ordering::Relaxed);
                        ready.store(true, publish); // Release publishes the 42…
                    }
                }
                // …to an Acquire that saw the flag; with Relaxed, nothing orders this load after
                // the store of 42.
                uninit += u64::from(value.load(Ordering::Relaxed) == 0);
                gets += 1;
            }
            (gets, uninit)
        });
    Run::of(Outcome::of(&[("gets", gets), ("uninit", uninit)]), elapsed)
}
