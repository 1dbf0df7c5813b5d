//! # lazy-init-locked — check and act under one lock
//!
//! **Question.** The `lazy-init` values with their `ready` flags behind a mutex: lock, check,
//! initialise if needed, unlock. How many times does an initialiser run?
//!
//! **Expect.** Exactly once per value: no thread can check while another is between its
//! check and its act. The price: every use takes the lock, even long after every value is
//! ready (`lazy-init-once` skips it then, with one Acquire load). `explore` proves it at
//! 2 × 2 and 3 × 1.
//!
//! **Outcomes.** `uses` = N × M and `inits` = M: ACCEPTABLE; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "lazy-init",
    summary: "check and initialise under one mutex",
    class: Class::Fixed,
    atomics: &["inits"],
    locks: &["ready"],
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
    let ready = <R::Mutex<StdLock, Vec<bool>>>::new(vec![false; p.iters as usize]);
    let lazy = Arc::new((inits, ready));
    let m = p.iters as usize;
    let (uses, elapsed) = workers::<R, _>(p, &lazy, move |(inits, ready), _| {
        for i in 0..m {
            let mut ready = ready.lock(); // nobody else can check until we have acted
            if !ready[i] {
                inits.fetch_add(1, Ordering::Relaxed);
                ready[i] = true;
            }
        }
        m as u64
    });
    Run::of(
        super::lazy_init::outcome(uses, lazy.0.load(Ordering::SeqCst)),
        elapsed,
    )
}
