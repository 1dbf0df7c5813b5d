//! # oneshot-relaxed — a one-shot channel whose flag publishes nothing
//!
//! **Question.** `oneshot`, with the `ready` flag stored and loaded Relaxed. Does the
//! receiver still read the message that was sent?
//!
//! **Expect.** The program has a data race: nothing orders the write of the message before
//! the read, so the two plain accesses race, and that is undefined behaviour whatever value
//! the read happens to return. loom and the rc11 world find the race at 2 × 1; schedules are
//! sequentially consistent and prove the kernel (the bug needs weak memory); x86 keeps the
//! stores in order and `run` reads the right message here, which is how this bug ships.
//! ThreadSanitizer and Miri see it on any machine. The fix: Release on the store, Acquire
//! on the load (`oneshot`).
//!
//! **Outcomes.** `ops` = N × M with `wrong` = 0: ACCEPTABLE; in the weak-memory worlds the
//! run ends at the DATA RACE; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "refcount",
    summary: "one-shot channel with a Relaxed ready flag: the message read races its write",
    class: Class::DataRace,
    threads: (2, 2),
    bug_shows_in: Worlds::WEAK_MEMORY,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(super::oneshot::judge),
    default_threads: 2,
    default_iters: 1_000_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::oneshot::channels::<R>(p, Ordering::Relaxed, Ordering::Relaxed)
}
