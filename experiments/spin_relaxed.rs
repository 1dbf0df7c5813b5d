//! # spin-relaxed — a spin lock with Relaxed ordering
//!
//! **Question.** A spin lock taken with `compare_exchange(false → true)` (whoever turns
//! `false` into `true` owns it) and released with `store(false)`, all Relaxed, guarding a plain count (the racy cell: read,
//! then write plus one). Does only one thread at a time get in? Is the count exact?
//!
//! **Expect.** Mutual exclusion holds: a compare-exchange is one indivisible step, so only one thread
//! at a time succeeds, and in every sequentially consistent schedule `in_cs` stays 1. (Under
//! the memory model even the Relaxed tally is not handed over: the next holder's entry may
//! come before the last holder's exit in the tally's modification order, and show 2.) But a lock must also hand
//! over what the last holder wrote, and Relaxed hands over nothing: the next holder's read
//! of the count is not ordered after the last holder's write. To the memory model that is a
//! data race on plain memory (undefined behaviour), and `explore` reports it at 2 × 1.
//! x86 gives the ordering anyway (its `lock cmpxchg` is a full barrier), so `run` counts exactly
//! here, and so does every sequentially consistent schedule (`hunt`): only the model catches
//! it. The fix: Acquire on the compare-exchange, Release on the store (`spin-lock`).
//!
//! **Outcomes.** `count` = N × M with `in_cs` = 1: ACCEPTABLE; `in_cs` = 2 or a lost count:
//! INTERESTING; anything else FORBIDDEN. loom stops at the data race first.

use super::shared::judge_lock;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "locks",
    summary: "compare-exchange spin lock with Relaxed ordering: excludes, but publishes nothing",
    class: Class::DataRace,
    atomics: &["locked", "inside", "peak"],
    bug_shows_in: Worlds::WEAK_MEMORY,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge_lock),
    default_threads: 2,
    default_iters: 1_000_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    // `spin-lock`'s lock, with nothing ordering one holder's writes before the next's reads.
    super::spin_lock::spin_lock::<R>(p, Ordering::Relaxed, Ordering::Relaxed)
}
