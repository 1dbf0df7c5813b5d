//! # lazy-init-once — `Once`: the check and the act in one call
//!
//! **Question.** The `lazy-init` values, each created through a `Once` (`call_once` runs the
//! initialiser if no call has yet). How many times does an initialiser run?
//!
//! **Expect.** Exactly once per value. `call_once` checks a flag with Acquire and, if it is
//! not set, takes a lock and checks again before running the initialiser and setting the
//! flag with Release (see `src/rt/once.rs`: double-checked locking done right). The second
//! check, under the lock, is what the broken version lacks; the Acquire/Release pair is what
//! `dcl-relaxed` lacks. `explore` proves it at 2 × 2 and 3 × 1.
//!
//! **Outcomes.** `uses` = N × M and `inits` = M: ACCEPTABLE; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "lazy-init",
    summary: "each value behind a Once: its initialiser runs exactly once",
    class: Class::Fixed,
    atomics: &["inits", "done0", "done1", "done2"],
    locks: &["once0", "once1", "once2"],
    proof: Size {
        threads: 2,
        iters: 2,
    },
    judge: Some(super::lazy_init::judge),
    default_threads: 4,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let inits = R::AtomicU64::new(0);
    let once: Vec<Once<R>> = (0..p.iters).map(|_| Once::new()).collect();
    let lazy = Arc::new((inits, once));
    let (uses, elapsed) = workers::<R, _>(p, &lazy, |(inits, once), _| {
        for o in once {
            o.call_once(|| {
                inits.fetch_add(1, Ordering::SeqCst); // one thread, once
            });
        }
        once.len() as u64
    });
    Run::of(
        super::lazy_init::outcome(uses, lazy.0.load(Ordering::SeqCst)),
        elapsed,
    )
}
