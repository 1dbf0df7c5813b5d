//! # spin-unfair — a spin lock that lets a thread be overtaken without bound
//!
//! **Question.** `ticket-fair`'s measurement on a test-and-set spin lock: to enter, `swap`
//! a flag to true until it was false; to leave, store false. A thread lines up at its first
//! failed swap. How many entries by others can happen while one thread waits?
//!
//! **Expect.** Any number. When the holder leaves, whoever swaps first gets in, and that is
//! often the thread that just left (its cache line is hot, it is running): a waiting thread
//! can be overtaken M times in a row. Nothing is lost or corrupted; the lock is correct and
//! unfair. Schedules show `longest_wait` = 2 > N − 1 at 2 × 2; on a real machine with more
//! threads than cores, waits of thousands of entries are common. Fairness costs a queue:
//! tickets (`ticket-fair`) or an MCS lock (`mcs-lock`).
//!
//! **Outcomes.** `count` = N × M and `longest_wait` ≤ N − 1: ACCEPTABLE; `longest_wait` >
//! N − 1: INTERESTING (overtaken); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "progress",
    summary: "test-and-set spin lock: a waiting thread is overtaken again and again",
    class: Class::LogicRace,
    atomics: &["locked", "count", "entries", "longest"],
    bug_shows_in: Worlds::ALL,
    play: Play::Not("the wait is counted in the threads' local variables, which play's search over shared states cannot see: explore it"),
    loom_limit: Some("every turn of the spin is a swap (a write), so loom never sees the waiter stuck and runs out of branches"),
    judge: Some(super::ticket_fair::judge),
    goal: Some("starve a thread: let the others get in more than N − 1 times while it waits"),
    default_threads: 2,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let s = Arc::new((
        (R::AtomicBool::new(false), R::AtomicU64::new(0)),
        super::ticket_fair::Waits::<R>::new(),
    ));
    let m = p.iters;
    let (_, elapsed) = workers::<R, _>(p, &s, move |((locked, count), waits), _| {
        for _ in 0..m {
            let mut since = None;
            while locked.swap(true, Ordering::Acquire) {
                since = since.or_else(|| Some(waits.line_up())); // first failed swap
                R::yield_now();
            }
            waits.enter(since);
            let c = count.load(Ordering::Relaxed);
            count.store(c + 1, Ordering::Relaxed);
            locked.store(false, Ordering::Release);
        }
        0
    });
    let count = s.0 .1.load(Ordering::SeqCst);
    let o = Outcome::of(&[("count", count), ("longest_wait", s.1.longest())]);
    Run::of(o, elapsed)
}
