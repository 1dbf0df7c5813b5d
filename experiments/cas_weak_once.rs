//! # cas-weak-once — a weak compare-exchange that is not retried
//!
//! **Question.** `cas-once` with `compare_exchange_weak`: load v, one
//! `compare_exchange_weak(v, v + 1)`, the failure ignored. Run it on one thread alone.
//! Is the count exact?
//!
//! **Expect.** Not even on one thread. A weak compare-exchange may fail although the value
//! *is* the expected one: on ARM, POWER and RISC-V it is a load-linked/store-conditional
//! pair, and the store fails if anything (an interrupt, a cache line evicted) disturbed the
//! reservation. std allows that on every call, which is why the weak form belongs in a
//! loop (`cas-weak-loop`). The scheduled and rc11 worlds explore the spurious failure
//! wherever the value matches, so `explore` finds a dropped increment at 1 × 1, with no
//! other thread in sight; loom does not model spurious failures (its gap: declared); x86
//! has no LL/SC, so `run` on x86 never shows it.
//!
//! **Outcomes.** N × M ACCEPTABLE; fewer INTERESTING (an increment dropped); anything else
//! FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "compare-exchange",
    summary: "one compare_exchange_weak per increment: fails spuriously even on one thread",
    class: Class::LogicRace,
    bug_shows_in: Worlds {
        native: false,
        loom: false,
        scheduled: true,
    },
    play: Play::Not("a spurious failure is the hardware's choice, not the scheduler's: play chooses threads only"),
    loom_limit: Some("loom does not model a spurious failure of compare_exchange_weak: weak is strong there"),
    proof: Size {
        threads: 1,
        iters: 1,
    },
    judge: Some(judge),
    metric: Some("failed exchanges"),
    default_threads: 1,
    default_iters: 1_000_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    match o.get("value") {
        Some(v) if v == p.expected() => (Grade::Acceptable, "no exchange failed this time"),
        Some(v) if v < p.expected() => (
            Grade::Interesting,
            "increments dropped: a compare_exchange_weak failed (spuriously or not) and was not retried",
        ),
        _ => (Grade::Forbidden, "impossible: a failed exchange changes nothing"),
    }
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::cas_once::increments::<R>(p, true, false)
}
