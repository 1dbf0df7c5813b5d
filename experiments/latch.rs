//! # latch — a countdown latch from a mutex and a condvar
//!
//! **Question.** A countdown latch starts at N; each thread does its part (writes its `done`
//! slot), counts the latch down, then waits until it reaches 0 and checks that every slot
//! is written. Counting down is: lock, subtract one, and if it reached 0, `notify_all`;
//! waiting is `wait_while(count > 0)`. M rounds, a new latch each round. Does every thread
//! wake, and see every part done?
//!
//! **Expect.** Always. The last count-down wakes *all* sleepers, and each re-checks the count
//! under the lock; a thread that arrives when the count is already 0 does not sleep at all.
//! The lock orders every `done` write before every check. It is a one-shot barrier (Java's
//! `CountDownLatch`, .NET's `CountdownEvent`, a level of *The Deadlock Empire*). Wake only
//! one and the rest sleep forever (`latch-notify-one`). `explore` proves it at 3 × 1.
//!
//! **Outcomes.** `passes` = N × M with `early` = 0: ACCEPTABLE; anything else (a deadlock
//! included) FORBIDDEN.

use super::shared::grade_bugs;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "barriers",
    summary: "countdown latch: the last count-down wakes every waiter (notify_all)",
    class: Class::Fixed,
    proof: Size {
        threads: 3,
        iters: 1,
    },
    judge: Some(judge),
    default_threads: 4,
    default_iters: 10_000,
};

/// An early pass is a bug in every version: the lesson that shares this judge hangs.
pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    grade_bugs(p, o, "early", "a thread went on before every part was done")
}

/// M rounds through a latch of N; `wake_all`: the last count-down wakes every sleeper.
pub fn countdown<R: Rt>(p: &Params, wake_all: bool) -> Run {
    let (n, m) = (p.threads, p.iters);
    let s = Arc::new((
        (0..m)
            .map(|_| (<R::Mutex<StdLock, u64>>::new(n as u64), R::Condvar::new()))
            .collect::<Vec<_>>(),
        (0..n).map(|_| R::AtomicU64::new(0)).collect::<Vec<_>>(),
    ));
    let (tally, elapsed) = workers_counting::<R, _, _>(p, &s, move |(latches, done), me| {
        let mut early = 0;
        for (r, (count, zero)) in (1..).zip(latches) {
            done[me].store(r, Ordering::Relaxed); // my part of round r
            let mut c = count.lock();
            *c -= 1;
            if *c == 0 && wake_all {
                zero.notify_all();
            } else if *c == 0 {
                zero.notify_one(); // wakes one sleeper; the others sleep on
            }
            drop(zero.wait_while(c, |c| *c > 0));
            early += super::shared::behind(done, r);
        }
        (m, early)
    });
    let (passes, early) = tally;
    Run::of(
        Outcome::of(&[("passes", passes), ("early", early)]),
        elapsed,
    )
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    countdown::<R>(p, true)
}
