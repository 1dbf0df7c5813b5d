//! # seqlock-nofence — the reader's check that checks nothing
//!
//! **Question.** `seqlock`, without the Acquire fence between the reader's data loads and its
//! second load of `seq`. Does a reader ever accept `x` ≠ `y`?
//!
//! **Expect.** Under the memory model, yes. The second load of `seq` is Relaxed and nothing
//! orders it after the data loads: a reader may see the writer's new `x`, the old `y`, and
//! still read the old even `seq` twice, so it accepts a torn pair. On x86 loads are not
//! reordered with loads and `run` stays clean here; schedules are sequentially consistent
//! and prove the kernel; `explore` in the weak-memory worlds finds `torn` > 0 at 2 × 1.
//! The fix: the fence (`seqlock`); Acquire data loads would also do, each then
//! synchronising with the writer's Release fence, at the price of one barrier per load on
//! ARM.
//!
//! **Outcomes.** `ops` = N × M with `torn` = 0: ACCEPTABLE; `torn` > 0: INTERESTING
//! (the lesson); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "lock-free",
    summary: "seqlock without the reader's Acquire fence: a torn read passes the check",
    class: Class::LogicRace,
    atomics: &["seq", "x", "y"],
    bug_shows_in: Worlds::WEAK_MEMORY,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(super::seqlock::judge),
    default_threads: 2,
    default_iters: 1_000_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::seqlock::seqlock::<R>(p, false)
}
