//! # rwlock-recheck — check again under the write lock
//!
//! **Question.** `rwlock-upgrade` with one more check: after taking the write lock, fill the
//! entry only if it is still empty. How many times is an entry filled?
//!
//! **Expect.** Exactly once. The read-locked check is only a fast path (most lookups hit and
//! never take the write lock); the decision is made under the write lock, where nobody
//! else can fill it in between. It is double-checked locking with an `RwLock`. `explore`
//! proves it at 2 × 2 and 3 × 1; `hunt` finds nothing.
//!
//! **Outcomes.** `lookups` = N × M and `fills` = M: ACCEPTABLE; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "rwlock",
    summary: "the same cache, re-checking under the write lock before filling",
    class: Class::Fixed,
    atomics: &["fills"],
    proof: Size {
        threads: 2,
        iters: 2,
    },
    judge: Some(super::rwlock_upgrade::judge),
    default_threads: 4,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let m = p.iters as usize;
    let cache = Arc::new((
        R::AtomicU64::new(0),
        <R::RwLock<Vec<bool>>>::new(vec![false; m]),
    ));
    let (lookups, elapsed) = workers::<R, _>(p, &cache, move |(fills, cache), _| {
        for i in 0..m {
            let filled = cache.read()[i]; // the fast path
            if !filled {
                let mut c = cache.write();
                if !c[i] {
                    // the decision, where nobody can fill it in between
                    fills.fetch_add(1, Ordering::Relaxed);
                    c[i] = true;
                }
            }
        }
        m as u64
    });
    Run::of(
        super::rwlock_upgrade::outcome(lookups, cache.0.load(Ordering::SeqCst)),
        elapsed,
    )
}
