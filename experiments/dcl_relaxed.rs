//! # dcl-relaxed — double-checked locking, broken by Relaxed
//!
//! **Question.** M values are initialised lazily with double-checked locking: check the
//! value's `ready` flag without the lock; if unset, lock, check again, store the value,
//! set the flag. The flag is loaded and stored Relaxed. Each of N threads uses every value.
//! Can a thread use a value before it is there?
//!
//! **Expect.** Yes, under the memory model. The slow path is fine (the lock orders it), but a
//! thread on the fast path that sees `ready` = true has no ordering with the store of the
//! value: it may read the value as it was before (0). It is `publish-relaxed` in disguise,
//! and the classic bug of the pattern (Java before 5, C++ before 11). `explore` finds
//! `uninit` > 0 at 2 × 1; x86 does not reorder these (`run` stays clean here); schedules
//! cannot show it. The fix: Acquire on the fast-path load, Release on the flag's store
//! (`dcl-acquire`, and `rt::Once`).
//!
//! **Outcomes.** `gets` = N × M and `uninit` = 0: ACCEPTABLE; `uninit` > 0: INTERESTING (a
//! fast path saw the flag but not the value); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "publication",
    summary: "double-checked locking with a Relaxed flag: the fast path sees an empty value",
    class: Class::LogicRace,
    atomics: &["ready0", "value0", "ready1", "value1"],
    locks: &["init"],
    bug_shows_in: Worlds::WEAK_MEMORY,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(super::dcl_acquire::judge),
    default_threads: 4,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    // `dcl-acquire`'s kernel with a Relaxed flag: the publication publishes nothing.
    super::dcl_acquire::double_checked::<R>(p, Ordering::Relaxed, Ordering::Relaxed)
}
