//! # lost-wakeup — waiting for a signal instead of for a condition
//!
//! **Question.** Thread 0 waits for signals; every other thread sends M. A signal is: lock,
//! add one to `pending`, `notify_one`. Thread 0 receives one by: lock, `wait` on the condvar,
//! take one from `pending`. It waits without looking at `pending` first. Does it receive
//! them all?
//!
//! **Expect.** Not if a signal comes first. A condvar has no memory: `notify_one` wakes a
//! thread that is waiting *now*, and is lost if none is. When a sender signals before
//! thread 0 has started waiting, thread 0 then waits for a signal that was already sent,
//! and, once the senders are done, sleeps forever: a deadlock with no lock held in the
//! wrong order. loom (`explore` at 2 × 1) and `hunt` find the schedule; `run` shows it
//! natively (the watchdog stops it). No world here wakes a waiter spuriously, so nothing
//! rescues it. The cure: wait for a condition, not for a signal — check `pending` under the
//! lock and sleep only while it is 0, re-checking after every wake-up: `wait_while` (see
//! `wait-while`).
//!
//! **Outcomes.** finished with `received` = (N − 1) × M: ACCEPTABLE (every signal came while
//! thread 0 was waiting); a deadlock: INTERESTING (a lost wake-up); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "condvars",
    summary: "wait on a condvar without checking the condition: a signal sent first is lost",
    class: Class::Deadlock,
    locks: &["pending"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge),
    default_threads: 2,
    default_iters: 1_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    if o.get("received") == Some((p.threads as u64 - 1) * p.iters) {
        (
            Grade::Acceptable,
            "every signal came while thread 0 was waiting",
        )
    } else {
        (Grade::Forbidden, "signals miscounted: a bug in the lab")
    }
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let s = Arc::new((<R::Mutex<StdLock, u64>>::new(0), R::Condvar::new()));
    let (m, n) = (p.iters, p.threads as u64);
    let (received, elapsed) = workers::<R, _>(p, &s, move |(pending, cv), t| {
        if t > 0 {
            for _ in 0..m {
                *pending.lock() += 1;
                cv.notify_one(); // wakes thread 0 only if it is waiting right now
            }
            return 0;
        }
        for _ in 0..(n - 1) * m {
            let mut got = cv.wait(pending.lock()); // sleeps even if a signal is pending
            *got -= 1;
        }
        (n - 1) * m
    });
    Run::of(Outcome::of(&[("received", received)]), elapsed)
}
