//! # spin-atomic — waiting on an atomic flag
//!
//! **Question.** Thread 0 announces rounds 1, 2, …, M on a flag and waits until every other
//! thread has acknowledged each one; the others spin until the flag reaches the round, then
//! acknowledge (an atomic count). The flag is an `AtomicU64`, stored and loaded Relaxed. Does
//! every wait end?
//!
//! **Expect.** Always. An atomic load is a real read every time round the loop: the compiler
//! may not keep it in a register, because another thread may store to it (that is what an
//! atomic says), and the store becomes visible in finite time. Relaxed is enough here: nothing
//! but the flag itself is handed over, so no ordering is needed, only the atomic. Compare
//! `spin-plain`, the same wait on a plain variable, which the optimiser turns into a loop that
//! never reads again. `explore` proves this one at 2 × 2 in every world.
//!
//! **Outcomes.** `ops` = N × M (M announcements, M waits per other thread): ACCEPTABLE;
//! anything else FORBIDDEN. A hang is not expected.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "progress",
    summary: "spin until an AtomicU64 flag reaches the round (Relaxed): every wait ends",
    class: Class::Fixed,
    threads: (2, usize::MAX),
    atomics: &["flag", "acks"],
    judge: Some(judge),
    default_threads: 2,
    default_iters: 100_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    match o.get("ops") {
        Some(ops) if ops == p.expected() => (Grade::Acceptable, "every wait ended"),
        _ => (Grade::Forbidden, "a wait or an announcement went missing"),
    }
}

/// The shared state of the rounds: the atomic flag, the plain one (the racy cell), and the
/// acknowledgements. Each lesson uses one of the two flags.
pub type Rounds<R> = (<R as Rt>::AtomicU64, <R as Rt>::Cell, <R as Rt>::AtomicU64);

/// M rounds: thread 0 announces each (`announce`) and waits for every other thread's
/// acknowledgement; the others wait for the flag (`wait`), then acknowledge.
pub fn rounds<R: Rt>(p: &Params, announce: fn(&Rounds<R>, u64), wait: fn(&Rounds<R>, u64)) -> Run {
    let (m, others) = (p.iters, p.threads as u64 - 1);
    let s: Arc<Rounds<R>> = Arc::new((R::AtomicU64::new(0), R::Cell::new(0), R::AtomicU64::new(0)));
    let (ops, elapsed) = workers_counting::<R, _, _>(p, &s, move |s, me| {
        for round in 1..=m {
            if me == 0 {
                announce(s, round);
                while s.2.load(Ordering::Relaxed) < others * round {
                    R::yield_now();
                }
            } else {
                wait(s, round);
                s.2.fetch_add(1, Ordering::Relaxed);
            }
        }
        m
    });
    Run::of(Outcome::of(&[("ops", ops)]), elapsed)
}

fn announce<R: Rt>((flag, _, _): &Rounds<R>, round: u64) {
    flag.store(round, Ordering::Relaxed);
}

fn wait<R: Rt>((flag, _, _): &Rounds<R>, round: u64) {
    while flag.load(Ordering::Relaxed) < round {
        R::yield_now();
    }
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    rounds::<R>(p, announce::<R>, wait::<R>)
}
