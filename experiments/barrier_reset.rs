//! # barrier-reset — a barrier whose last thread out resets it
//!
//! **Question.** `barrier-sense`'s rounds, with the barrier written the obvious way: add one
//! to the count; the last to arrive sets `open`; everyone spins until `open` is set; then
//! each takes one off the count on the way out, and the last one out clears `open` for the
//! next round. Can a thread pass before everyone has arrived?
//!
//! **Expect.** Yes, because the barrier is reused. A fast thread leaves, runs its next
//! round, and arrives again while a slow one is still on its way out: the count has not
//! dropped to 0 yet, so `open` is still set, and the fast thread walks through the next
//! barrier alone, lapping the others (`early` > 0). When the slow thread finally leaves, it
//! is the last one out and closes `open`, and the next arrival may spin on it forever: a
//! hang with no lock held. Schedules find the hang at 2 × 2 (`explore` stops at the first
//! one it meets: every lap ends in it). loom cannot show the hang: a spin that never ends
//! looks like work to it; natively the watchdog ends the run ("hung"). The fix: make the flag's *value* say which round
//! it opens (`barrier-sense`), or count rounds.
//!
//! **Outcomes.** `passes` = N × M with `early` = 0: ACCEPTABLE; `early` > 0 (a lap) or a hang:
//! INTERESTING; anything else FORBIDDEN.

use super::shared::grade_failures;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "barriers",
    summary: "reused barrier reset by the last thread out: a fast thread laps the others",
    class: Class::Deadlock,
    atomics: &["count", "open"],
    bug_shows_in: Worlds::ALL,
    hang_spins: true,
    play: Play::Not("every lap ends with a thread spinning forever, and no game reaches the end of that"),
    loom_limit: Some("the hang is a spin on a flag nobody will set again: loom cannot tell it from progress and stops at its branch limit"),
    judge: Some(judge),
    default_threads: 2,
    default_iters: 100_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    grade_failures(
        p,
        o,
        "early",
        "a thread passed the barrier before every thread had arrived: it lapped them",
    )
}

/// The broken barrier (the sense is not used).
pub fn wait<R: Rt>((count, open): &super::barrier_sense::Barrier<R>, n: u64, _: &mut bool) {
    if count.fetch_add(1, Ordering::AcqRel) + 1 == n {
        open.store(true, Ordering::Release);
    }
    while !open.load(Ordering::Acquire) {
        R::yield_now();
    }
    if count.fetch_sub(1, Ordering::AcqRel) == 1 {
        open.store(false, Ordering::Release); // the last one out closes it, too late
    }
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::barrier_sense::rounds::<R>(p, wait::<R>)
}
