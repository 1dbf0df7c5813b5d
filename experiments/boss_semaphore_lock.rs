//! # boss-semaphore-lock — a semaphore and a mutex, taken in both orders
//!
//! **Question.** A boss level: two bugs in one kernel. A semaphore with one permit (`slot`)
//! and a mutex (`log`) guard a shared count. Even-numbered workers take the semaphore, bump
//! the count, then take the mutex to log it; odd-numbered ones take the mutex first, bump
//! the count, then wait for the semaphore. Does it always finish with the exact count?
//!
//! **Expect.** No, in two ways. The orders are opposite, so an even worker holding `slot`
//! and waiting for `log` and an odd one holding `log` and waiting for `slot` wait forever:
//! a deadlock, though one of the two "locks" is a semaphore (`prodcons-swapped`,
//! `deadlock`). And the count is bumped under different guards (the semaphore on one side,
//! the mutex on the other), so two workers can be inside at once and an update is lost
//! (`semaphore-extra-permit`, `racy-atomic`). Schedules find both at 2 × 1. The fix for
//! both: one guard for the count, and one order for everything taken together.
//!
//! **Outcomes.** `count` = N × M: ACCEPTABLE; fewer (an update lost) or a deadlock:
//! INTERESTING; anything else FORBIDDEN.

use super::semaphore::Semaphore;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "boss",
    summary: "boss: semaphore and mutex in opposite orders, the count under different guards",
    class: Class::Deadlock,
    atomics: &["count"],
    locks: &["slot", "log"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge),
    goal: Some("two bugs: lose an update, or deadlock both threads"),
    default_threads: 2,
    default_iters: 10_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    match o.get("count") {
        Some(c) if c == p.expected() => (Grade::Acceptable, "exact, and nobody got stuck"),
        Some(c) if c < p.expected() => (
            Grade::Interesting,
            "an update lost: the count was bumped under two different guards",
        ),
        _ => (
            Grade::Forbidden,
            "more updates than increments: a bug in the lab",
        ),
    }
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let s = Arc::new((
        R::AtomicU64::new(0),
        Semaphore::<R>::new(1),
        <R::Mutex<StdLock, u64>>::new(0),
    ));
    let m = p.iters;
    let (_, elapsed) = workers::<R, _>(p, &s, move |(count, slot, log), t| {
        for _ in 0..m {
            let bump = || {
                let c = count.load(Ordering::Relaxed);
                count.store(c + 1, Ordering::Relaxed);
            };
            if t % 2 == 0 {
                slot.wait();
                bump(); // guarded by the semaphore…
                *log.lock() += 1;
                slot.signal();
            } else {
                let mut g = log.lock();
                bump(); // …and here by the mutex
                slot.wait(); // holding `log`: the other order
                *g += 1;
                drop(g);
                slot.signal();
            }
        }
        0
    });
    let count = s.0.load(Ordering::SeqCst);
    Run::of(Outcome::of(&[("count", count)]), elapsed)
}
