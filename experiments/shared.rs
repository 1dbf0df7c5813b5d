//! What several lessons share: the tally of threads inside a critical section (the `locks`
//! family), the roles of the producer/consumer lessons (`condvars`), and the grading of an
//! outcome that counts failures.

use crate::prelude::*;

/// How many threads are inside a critical section now, and the most there ever were.
///
/// Relaxed on purpose: the tally must not synchronise the threads it watches, or it would
/// hand a broken lock the ordering the lock itself fails to give. Each read-modify-write
/// reads the latest value in `now`'s modification order, so a peak of 2 means two entries
/// came before either exit in that order — which is all "at once" means to the memory
/// model: a lock that hands over nothing (Relaxed) can show 2 though it let one thread in
/// at a time, and under a weak model two overlapping critical sections need not show 2.
pub struct Inside<R: Rt> {
    now: R::AtomicU64,
    peak: R::AtomicU64,
}

impl<R: Rt> Inside<R> {
    pub fn new() -> Self {
        Inside {
            now: RtAtomic::new(0),
            peak: RtAtomic::new(0),
        }
    }
    pub fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::Relaxed) + 1;
        raise::<R>(&self.peak, now);
    }
    pub fn leave(&self) {
        self.now.fetch_sub(1, Ordering::Relaxed);
    }
    /// The most threads ever inside at once (read it after joining the workers).
    pub fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }
}

impl<R: Rt> Default for Inside<R> {
    fn default() -> Self {
        Self::new()
    }
}

/// A lock's outcome: the count it protected, then the most threads seen inside at once.
pub fn lock_outcome(count: u64, in_cs: u64) -> Outcome {
    Outcome::of(&[("count", count), ("in_cs", in_cs)])
}

/// The judge of a lock's outcome: two threads inside, or updates lost, is the failure (a
/// lesson's INTERESTING outcome, a fix's FORBIDDEN one: [`Experiment::grade`]).
pub fn judge_lock(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    let (count, in_cs) = (o.get("count"), o.get("in_cs").unwrap_or(0));
    match count {
        _ if in_cs > 1 => (
            Grade::Interesting,
            "two threads in the critical section at once: the lock did not exclude",
        ),
        Some(c) if c == p.expected() => (Grade::Acceptable, "one thread at a time; exact"),
        Some(c) if c < p.expected() => (
            Grade::Interesting,
            "one thread at a time, yet updates lost: a holder read what the last one wrote too early",
        ),
        _ => (Grade::Forbidden, "more updates than increments: a bug in the lab"),
    }
}

/// Grades an outcome whose first field must be N × M and whose field `bad` counts
/// failures: none is ACCEPTABLE; some are the failure (INTERESTING in a lesson, FORBIDDEN in
/// a fix: [`Experiment::grade`]). `seen` says what a failure was.
pub fn grade_failures(
    p: &Params,
    o: &Outcome,
    bad: &str,
    seen: &'static str,
) -> (Grade, &'static str) {
    if o.primary() != p.expected() {
        return (
            Grade::Forbidden,
            "the operations do not add up to N × M: a bug in the lab",
        );
    }
    match o.get(bad) {
        Some(0) => (Grade::Acceptable, "no failure this time"),
        Some(_) => (Grade::Interesting, seen),
        None => (
            Grade::Forbidden,
            "the failures went uncounted: a bug in the lab",
        ),
    }
}

/// As [`grade_failures`], for a failure that is no version's lesson: the broken version that
/// shares this judge fails another way (it hangs), so a failure is FORBIDDEN wherever it shows.
pub fn grade_bugs(p: &Params, o: &Outcome, bad: &str, seen: &'static str) -> (Grade, &'static str) {
    match grade_failures(p, o, bad, seen) {
        (Grade::Interesting, seen) => (Grade::Forbidden, seen),
        graded => graded,
    }
}

/// How many of `slots` (each thread's last round number) are behind round `r`: the threads
/// a barrier or latch let another pass before they arrived (the `barriers` family).
pub fn behind<A: RtAtomicInt<u64>>(slots: &[A], r: u64) -> u64 {
    slots
        .iter()
        .filter(|a| a.load(Ordering::Relaxed) < r)
        .count() as u64
}

/// What a worker does in the producer/consumer lessons: even workers put, odd ones take;
/// with an odd number of workers the last one does both, so every item put is taken.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Put,
    Take,
    Both,
}

pub fn role(t: usize, n: usize) -> Role {
    match t % 2 {
        1 => Role::Take,
        _ if t + 1 == n => Role::Both,
        _ => Role::Put,
    }
}

/// Raises `max` to `v` if `v` is larger: `fetch_max`, written as the compare-exchange loop it
/// is. Relaxed: a tally, read after the workers are joined. Timelines name the caller's line.
#[track_caller]
pub fn raise<R: Rt>(max: &R::AtomicU64, v: u64) {
    let mut seen = max.load(Ordering::Relaxed);
    while v > seen {
        match max.compare_exchange(seen, v, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => break,
            Err(now) => seen = now,
        }
    }
}
