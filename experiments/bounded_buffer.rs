//! # bounded-buffer — producers and consumers, two condvars
//!
//! **Question.** A buffer of one slot behind a mutex, with two condvars: `not_full` (where
//! putters wait) and `not_empty` (where takers wait). Even-numbered workers put M items,
//! odd-numbered ones take M (with an odd number of workers, the last one puts one and takes
//! one, M times). A put waits while the buffer is full, fills it, notifies `not_empty`; a
//! take waits while it is empty, empties it, notifies `not_full`. Does it always finish,
//! with the buffer never over- or underfull?
//!
//! **Expect.** Always. Each condvar has one kind of sleeper, so a notify always wakes a
//! thread that can use it; `wait_while` re-checks after every wake-up. The classic way to
//! get this wrong is one condvar for both kinds of sleeper (`bounded-buffer-one-cv`).
//! `explore` proves it at 2 × 2 and 3 × 1; `hunt` finds nothing.
//!
//! **Outcomes.** `ops` = N × M with `left` = 0 items in the buffer at the end: ACCEPTABLE;
//! anything else (a deadlock included) FORBIDDEN.

use super::shared::{role, Role};
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "condvars",
    summary: "a one-slot buffer with not_full and not_empty condvars",
    class: Class::Fixed,
    locks: &["buffer"],
    proof: Size {
        threads: 3,
        iters: 1,
    },
    judge: Some(judge),
    default_threads: 4,
    default_iters: 100_000,
};

/// The buffer's capacity.
pub const SLOTS: u64 = 1;

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    grade_buffer(p, o, "every item put was taken")
}

/// Every item put must have been taken when the run ends.
pub fn grade_buffer(p: &Params, o: &Outcome, ok: &'static str) -> (Grade, &'static str) {
    match (o.primary() == p.expected(), o.get("left")) {
        (true, Some(0)) => (Grade::Acceptable, ok),
        _ => (Grade::Forbidden, "items lost or invented: a bug"),
    }
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let s = Arc::new((
        <R::Mutex<StdLock, u64>>::new(0),
        R::Condvar::new(),
        R::Condvar::new(),
    ));
    let (m, n) = (p.iters, p.threads);
    let (ops, elapsed) = workers::<R, _>(p, &s, move |(buffer, not_full, not_empty), t| {
        let mut ops = 0;
        for _ in 0..m {
            if role(t, n) != Role::Take {
                let mut b = not_full.wait_while(buffer.lock(), |b| *b == SLOTS);
                *b += 1;
                drop(b);
                not_empty.notify_one(); // only takers sleep here
            }
            if role(t, n) != Role::Put {
                let mut b = not_empty.wait_while(buffer.lock(), |b| *b == 0);
                *b -= 1;
                drop(b);
                not_full.notify_one(); // only putters sleep here
            }
            ops += 1;
        }
        ops
    });
    let left = *s.0.lock();
    Run::of(Outcome::of(&[("ops", ops), ("left", left)]), elapsed)
}
