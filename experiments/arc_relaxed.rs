//! # arc-relaxed — a reference count that frees too early
//!
//! **Question.** `arc`, with the decrement `fetch_sub(1, Relaxed)` and no fence before the
//! free. The count still reaches 0 exactly once, so exactly one thread frees. Can a use
//! touch freed data?
//!
//! **Expect.** Under the memory model, yes. The count is right, but a Relaxed decrement
//! orders nothing: another thread's read of the data, done before its own decrement, is not
//! ordered before the free, so the free may take effect first, and the read sees freed
//! memory. That is a use after free: undefined behaviour, not a wrong count. The rc11 and
//! loom worlds find it at 2 × 1 and name it so; under sequential consistency every
//! use that comes first in program order also comes first in time, so the scheduled world
//! proves the kernel and says the bug needs weak memory; x86 does not reorder these either.
//! ThreadSanitizer and Miri see the unordered accesses. The fix: Release on the decrement,
//! an Acquire fence before the free (`arc`).
//!
//! **Outcomes.** `uses` = N × M, `frees` = M, `use_after_free` = 0: ACCEPTABLE; a use after
//! free: INTERESTING (in the weak-memory worlds, the race with the free ends the run as a
//! USE AFTER FREE); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "refcount",
    summary: "hand-made Arc with a Relaxed decrement and no fence: use after free",
    class: Class::DataRace,
    bug_shows_in: Worlds::WEAK_MEMORY,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(super::arc::judge),
    default_threads: 4,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::arc::share::<R>(p, Ordering::Relaxed, false)
}
