//! # oneshot — a one-shot channel: the message, then a Release flag
//!
//! **Question.** A one-shot channel as *Rust Atomics and Locks* builds it in chapter 5: a
//! plain cell for the message and an atomic `ready` flag. Thread 0 sends M messages, each
//! through its own channel: writes the message, then stores `ready` (Release). Thread 1
//! receives: spins until `ready` (Acquire), then reads the message. Does the receiver always
//! read the message that was sent?
//!
//! **Expect.** Always, and without a data race: the Acquire load that sees `ready` = true
//! synchronises with the Release store, so the message write happens before the read. The
//! cell is plain memory (an `UnsafeCell` in the book), so the ordering is not a nicety: with
//! Relaxed the read races with the write, which is undefined behaviour (`oneshot-relaxed`).
//! `explore` proves it at 2 × 2.
//!
//! **Outcomes.** `ops` = N × M (M sends, M receives) with `wrong` = 0: ACCEPTABLE; anything
//! else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "refcount",
    summary: "one-shot channel: plain message, Release/Acquire ready flag",
    class: Class::Fixed,
    threads: (2, 2),
    judge: Some(judge),
    default_threads: 2,
    default_iters: 1_000_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    match (o.get("ops"), o.get("wrong")) {
        (Some(r), Some(0)) if r == p.expected() => (Grade::Acceptable, "every message as sent"),
        _ => (Grade::Forbidden, "a message lost or read wrong"),
    }
}

/// M one-shot channels from thread 0 to thread 1; `set` and `check`: the flag's orderings.
pub fn channels<R: Rt>(p: &Params, set: Ordering, check: Ordering) -> Run {
    let m = p.iters;
    let s = Arc::new(
        (0..m)
            .map(|_| (R::Cell::new(0), R::AtomicBool::new(false)))
            .collect::<Vec<_>>(),
    );
    let (tally, elapsed) = workers_counting::<R, _, _>(p, &s, move |chans, me| {
        let mut wrong = 0;
        for (i, (message, ready)) in (1..).zip(chans) {
            if me == 0 {
                message.write(i);
                ready.store(true, set);
            } else {
                while !ready.load(check) {
                    R::yield_now();
                }
                wrong += u64::from(message.read() != i);
            }
        }
        (m, wrong)
    });
    let (ops, wrong) = tally;
    Run::of(Outcome::of(&[("ops", ops), ("wrong", wrong)]), elapsed)
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    channels::<R>(p, Ordering::Release, Ordering::Acquire)
}
