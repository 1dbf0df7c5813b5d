//! # seqlock — readers that retry instead of locking
//!
//! **Question.** A sequence lock guards two values that must match. The writer (thread 0),
//! M times: makes `seq` odd (Relaxed store, then a Release fence), writes the round number
//! into `x` and `y` (Relaxed), makes `seq` even again (Release). A reader (every other
//! thread), M times: loads `seq` (Acquire), retries if odd, loads `x` and `y` (Relaxed),
//! an Acquire fence, loads `seq` again, and retries if it changed. Does a reader ever
//! accept `x` ≠ `y` (a torn read)?
//!
//! **Expect.** Never. The fences make the second load of `seq` a real check: if the reader
//! saw any of the writer's new data, the Acquire fence after the data loads synchronises
//! with the writer's Release fence, so the second load must see the odd `seq` (or later)
//! and the reader retries. Without the reader's fence the check checks nothing
//! (`seqlock-nofence`). This is Boehm's seqlock in C11 (*Can seqlocks get along with
//! programming language memory models?*, 2012), used by the Linux kernel for its clocks.
//! `explore` proves it at 2 × 1.
//!
//! **Outcomes.** `ops` = N × M (M writes, M reads per reader) with `torn` = 0: ACCEPTABLE;
//! anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "lock-free",
    summary: "seqlock: readers retry if seq changed; fences make the check sound",
    class: Class::Fixed,
    atomics: &["seq", "x", "y"],
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge),
    default_threads: 2,
    default_iters: 1_000_000,
};

/// Every thread's M operations done (writes, or reads never torn).
pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    let ops = p.expected();
    match (o.get("ops"), o.get("torn")) {
        (Some(r), Some(0)) if r == ops => (Grade::Acceptable, "every read consistent"),
        (Some(r), Some(_)) if r == ops => (
            Grade::Interesting,
            "a reader accepted x ≠ y: a torn read the sequence check missed",
        ),
        _ => (Grade::Forbidden, "reads lost or torn: a bug"),
    }
}

/// The seqlock; `reader_fence`: the reader's Acquire fence before it re-checks `seq`.
pub fn seqlock<R: Rt>(p: &Params, reader_fence: bool) -> Run {
    let s = Arc::new((
        R::AtomicU64::new(0),
        R::AtomicU64::new(0),
        R::AtomicU64::new(0),
    ));
    let m = p.iters;
    let (tally, elapsed) = workers_counting::<R, _, _>(p, &s, move |(seq, x, y), me| {
        if me == 0 {
            for r in 1..=m {
                let s0 = seq.load(Ordering::Relaxed); // only this thread writes seq
                seq.store(s0 + 1, Ordering::Relaxed); // odd: writing
                R::fence(Ordering::Release);
                x.store(r, Ordering::Relaxed);
                y.store(r, Ordering::Relaxed);
                seq.store(s0 + 2, Ordering::Release); // even: done
            }
            return (m, 0);
        }
        let mut torn = 0;
        for _ in 0..m {
            loop {
                let s1 = seq.load(Ordering::Acquire);
                if s1 % 2 == 1 {
                    R::yield_now();
                    continue;
                }
                let (a, b) = (x.load(Ordering::Relaxed), y.load(Ordering::Relaxed));
                if reader_fence {
                    R::fence(Ordering::Acquire);
                }
                if seq.load(Ordering::Relaxed) == s1 {
                    torn += u64::from(a != b);
                    break;
                }
                R::yield_now();
            }
        }
        (m, torn)
    });
    let (ops, torn) = tally;
    Run::of(Outcome::of(&[("ops", ops), ("torn", torn)]), elapsed)
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    seqlock::<R>(p, true)
}
