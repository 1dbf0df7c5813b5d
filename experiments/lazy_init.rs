//! # lazy-init — check, then act
//!
//! **Question.** M values are created lazily: the first thread that needs value i runs its
//! initialiser, later ones find it ready. The check is an atomic load of value i's `ready`
//! flag; the act is to run the initialiser, then set the flag. N threads each need every
//! value once. How many times does an initialiser run?
//!
//! **Expect.** Sometimes more than once per value. Two threads load `ready = false` before
//! either sets it, and both initialise: the check and the act are each atomic, the pair is
//! not (the lost update again, with "initialise" where "add one" was). If the initialiser
//! opens a file or hands out an id, it now did so twice. Every world shows it: `run`
//! natively (threads meet at the same value), `explore` and `hunt` at 2 × 1. The fixes make
//! check and act one step: `lazy-init-once`, `lazy-init-cas`, `lazy-init-locked`.
//!
//! **Outcomes.** `uses` = N × M with `inits` = M (each initialiser ran once): ACCEPTABLE;
//! `inits` > M: INTERESTING (an initialiser ran twice); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "lazy-init",
    summary: "if not initialised, initialise: two threads both initialise",
    class: Class::LogicRace,
    atomics: &["inits", "ready0", "ready1", "ready2"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge),
    default_threads: 2,
    default_iters: 1_000_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    grade_inits(p, o, "inits")
}

/// Each of the M initialisers (counted in field `runs`) must run exactly once, and every
/// use must be counted.
pub fn grade_inits(p: &Params, o: &Outcome, runs: &str) -> (Grade, &'static str) {
    let inits = o.get(runs).unwrap_or(0);
    match () {
        _ if o.primary() != p.expected() => (Grade::Forbidden, "uses lost: a bug in the lab"),
        _ if inits == p.iters => (Grade::Acceptable, "each initialiser ran exactly once"),
        _ if inits > p.iters => (
            Grade::Interesting,
            "initialised twice: two threads checked before either acted",
        ),
        _ => (Grade::Forbidden, "a value was used but never initialised"),
    }
}

/// The lazy-init outcome: uses, then initialiser runs.
pub fn outcome(uses: u64, inits: u64) -> Outcome {
    Outcome::of(&[("uses", uses), ("inits", inits)])
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let inits = R::AtomicU64::new(0);
    let ready: Vec<R::AtomicBool> = (0..p.iters).map(|_| RtAtomic::new(false)).collect();
    let lazy = Arc::new((inits, ready));
    let (uses, elapsed) = workers::<R, _>(p, &lazy, |(inits, ready), _| {
        for r in ready {
            if !r.load(Ordering::SeqCst) {
                // another thread may pass the same check here…
                inits.fetch_add(1, Ordering::SeqCst); // …and both run the initialiser
                r.store(true, Ordering::SeqCst);
            }
        }
        ready.len() as u64
    });
    Run::of(outcome(uses, lazy.0.load(Ordering::SeqCst)), elapsed)
}
