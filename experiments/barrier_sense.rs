//! # barrier-sense — a reusable barrier that flips a sense
//!
//! **Question.** N threads do M rounds; at the end of each, every thread waits at a
//! barrier until all N have arrived. Before it arrives, a thread writes the round number
//! into its own `arrived` slot; after the barrier, it checks that every slot shows at least
//! this round. The barrier: a count of arrivals and a shared `sense` flag. Each thread flips
//! its own local sense, then adds one to the count (AcqRel); the last to arrive resets the
//! count to 0 and stores its sense into the flag (Release); the others spin until the flag
//! equals their sense (Acquire). Can a thread pass before everyone has arrived?
//!
//! **Expect.** Never. The flag means "round r is over" by its *value*, not by being set: a
//! fast thread that races ahead to the next round waits for the opposite value, which only
//! the next round's last arrival stores, so it cannot lap the others (compare
//! `barrier-reset`). The count's AcqRel chain and the flag's Release/Acquire make every
//! arrival happen before every pass, so even under weak memory no slot is seen behind.
//! `explore` proves it at 2 × 2.
//!
//! **Outcomes.** `passes` = N × M with `early` = 0: ACCEPTABLE; anything else FORBIDDEN.

use super::shared::grade_failures;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "barriers",
    summary: "sense-reversing barrier: reusable, no thread laps the others",
    class: Class::Fixed,
    atomics: &["count", "sense"],
    judge: Some(judge),
    default_threads: 2,
    default_iters: 100_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    grade_failures(
        p,
        o,
        "early",
        "a thread passed the barrier before every thread had arrived",
    )
}

/// A barrier's shared state: the count of arrivals and a flag.
pub type Barrier<R> = (<R as Rt>::AtomicU64, <R as Rt>::AtomicBool);

/// Runs M rounds of N threads through `wait` (given the barrier, the number of threads and
/// the thread's own local sense), counting the passes that came too early.
pub fn rounds<R: Rt>(p: &Params, wait: fn(&Barrier<R>, u64, &mut bool)) -> Run {
    let n = p.threads;
    let s = Arc::new((
        (R::AtomicU64::new(0), R::AtomicBool::new(false)),
        (0..n).map(|_| R::AtomicU64::new(0)).collect::<Vec<_>>(),
    ));
    let m = p.iters;
    let (tally, elapsed) = workers_counting::<R, _, _>(p, &s, move |(barrier, arrived), me| {
        let (mut sense, mut early) = (false, 0);
        for r in 1..=m {
            arrived[me].store(r, Ordering::Relaxed);
            wait(barrier, n as u64, &mut sense);
            early += super::shared::behind(arrived, r);
        }
        (m, early)
    });
    let (passes, early) = tally;
    Run::of(
        Outcome::of(&[("passes", passes), ("early", early)]),
        elapsed,
    )
}

/// The sense-reversing barrier.
pub fn wait<R: Rt>((count, flag): &Barrier<R>, n: u64, sense: &mut bool) {
    *sense = !*sense;
    if count.fetch_add(1, Ordering::AcqRel) + 1 == n {
        count.store(0, Ordering::Relaxed); // ready for the next round…
        flag.store(*sense, Ordering::Release); // …which this store opens
    } else {
        while flag.load(Ordering::Acquire) != *sense {
            R::yield_now();
        }
    }
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    rounds::<R>(p, wait::<R>)
}
