//! # rwlock-upgrade — check under the read lock, act under the write lock
//!
//! **Question.** A cache of M entries behind an `RwLock`. To look entry i up, a thread takes
//! the read lock and checks whether it is filled; if not, it drops the read lock, takes the
//! write lock and fills the entry. N threads each look up every entry. How many times is
//! an entry filled?
//!
//! **Expect.** Sometimes more than once. Between dropping the read lock and getting the
//! write lock, another thread can do the same check and fill the entry; the first then
//! fills it again (in real code: computes it twice, or overwrites a value others already
//! hold). Each lock is used correctly: it is the gap between the two that is the bug, a
//! check-then-act across a re-lock (std's `RwLock` has no atomic upgrade). Every world
//! shows it: `run` natively, `explore` and `hunt` at 2 × 1. The fix: check again under the
//! write lock (`rwlock-recheck`).
//!
//! **Outcomes.** `lookups` = N × M with `fills` = M: ACCEPTABLE; `fills` > M: INTERESTING
//! (an entry filled twice); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "rwlock",
    summary: "check under a read lock, re-lock for writing and fill: filled twice",
    class: Class::LogicRace,
    atomics: &["fills"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge),
    default_threads: 4,
    default_iters: 100_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    super::lazy_init::grade_inits(p, o, "fills")
}

/// The cache's outcome: lookups, then fills.
pub fn outcome(lookups: u64, fills: u64) -> Outcome {
    Outcome::of(&[("lookups", lookups), ("fills", fills)])
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let m = p.iters as usize;
    let cache = Arc::new((
        R::AtomicU64::new(0),
        <R::RwLock<Vec<bool>>>::new(vec![false; m]),
    ));
    let (lookups, elapsed) = workers::<R, _>(p, &cache, move |(fills, cache), _| {
        for i in 0..m {
            let filled = cache.read()[i]; // checked under the read lock, which is dropped here…
            if !filled {
                let mut c = cache.write(); // …so another thread may fill it before we get this
                fills.fetch_add(1, Ordering::Relaxed);
                c[i] = true;
            }
        }
        m as u64
    });
    Run::of(outcome(lookups, cache.0.load(Ordering::SeqCst)), elapsed)
}
