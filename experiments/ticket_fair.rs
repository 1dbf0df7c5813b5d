//! # ticket-fair — how long can a thread wait at a fair lock?
//!
//! **Question.** A ticket lock (`fetch_add` a ticket, AcqRel; wait until `serving` shows it)
//! guards a count. Every entry into the critical section is numbered (`entries`). When a
//! thread takes its ticket it notes the entry number; when it gets in, it counts how many
//! entries others made meanwhile. `longest_wait` is the most any thread saw. How large can
//! it get?
//!
//! **Expect.** At most N − 1: the tickets handed out before mine are at most one per other
//! thread, and a thread that leaves and comes back draws a ticket after mine. That bound
//! is what "fair" means (first come, first served, no overtaking; jcstress and *The Art of
//! Multiprocessor Programming* call the property starvation-freedom with bounded bypass).
//! An unfair spin lock has no such bound (`spin-unfair`). `explore` proves the bound at 2 × 2.
//!
//! **Outcomes.** `count` = N × M and `longest_wait` ≤ N − 1: ACCEPTABLE; anything else
//! FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "progress",
    summary: "ticket lock: no thread waits for more than N − 1 others (fair)",
    class: Class::Fixed,
    atomics: &["next", "serving", "count", "entries", "longest"],
    judge: Some(judge),
    default_threads: 2,
    default_iters: 100_000,
};

/// The count must be exact; a wait longer than N − 1 entries is unfair.
pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    let bound = p.threads as u64 - 1;
    match (o.primary() == p.expected(), o.get("longest_wait")) {
        (true, Some(w)) if w <= bound => (
            Grade::Acceptable,
            "no thread waited for more than N − 1 entries by others",
        ),
        (true, Some(_)) => (
            Grade::Interesting,
            "a thread waited while others got in more than N − 1 times: overtaken",
        ),
        _ => (Grade::Forbidden, "updates lost: the lock did not exclude"),
    }
}

/// The entries into a critical section, numbered, and the longest wait seen.
pub struct Waits<R: Rt> {
    entries: R::AtomicU64,
    longest: R::AtomicU64,
}

impl<R: Rt> Waits<R> {
    pub fn new() -> Self {
        Waits {
            entries: RtAtomic::new(0),
            longest: RtAtomic::new(0),
        }
    }
    /// The entry number now: call it right after the lock's doorway (the step that puts a
    /// thread in line). A read-modify-write, so it reads the latest entry in `entries`' order.
    pub fn line_up(&self) -> u64 {
        self.entries.fetch_add(0, Ordering::AcqRel)
    }
    /// Counts an entry (first thing inside); `since`: the caller's `line_up`, if it waited.
    pub fn enter(&self, since: Option<u64>) {
        let now = self.entries.fetch_add(1, Ordering::AcqRel);
        if let Some(since) = since {
            super::shared::raise::<R>(&self.longest, now - since);
        }
    }
    pub fn longest(&self) -> u64 {
        self.longest.load(Ordering::SeqCst)
    }
}

impl<R: Rt> Default for Waits<R> {
    fn default() -> Self {
        Self::new()
    }
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let s = Arc::new((
        (
            R::AtomicU64::new(0),
            R::AtomicU64::new(0),
            R::AtomicU64::new(0),
        ),
        Waits::<R>::new(),
    ));
    let m = p.iters;
    let (_, elapsed) = workers::<R, _>(p, &s, move |((next, serving, count), waits), _| {
        for _ in 0..m {
            let ticket = next.fetch_add(1, Ordering::AcqRel); // the doorway
            let since = waits.line_up();
            while serving.load(Ordering::Acquire) != ticket {
                R::yield_now();
            }
            waits.enter(Some(since));
            let c = count.load(Ordering::Relaxed);
            count.store(c + 1, Ordering::Relaxed);
            serving.store(ticket + 1, Ordering::Release);
        }
        0
    });
    let count = s.0 .2.load(Ordering::SeqCst);
    let o = Outcome::of(&[("count", count), ("longest_wait", s.1.longest())]);
    Run::of(o, elapsed)
}
