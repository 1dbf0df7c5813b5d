//! # cas-failure-acquire — the loser of a compare_exchange reads what the winner published
//!
//! **Question.** N threads race to publish a value, M rounds. Each writes its payload (the
//! round number) into its own slot `data[t]` (Relaxed), then tries `compare_exchange(0, t +
//! 1)` on the round's `winner` (AcqRel on success, Acquire on failure). The winner uses its
//! own payload; a loser learns from the failure who won, and reads the winner's slot. Does a
//! loser always see the winner's payload of this round (or a later one: the winner may have
//! moved on)?
//!
//! **Expect.** Always. The failure ordering is the ordering of the *load* a failed exchange
//! does: Acquire makes the loser's failed exchange synchronise with the winner's successful
//! one (a Release), so the winner's payload happens before the loser's read. This is how
//! `OnceLock`-style races are settled (the loser drops its value and uses the winner's).
//! With a Relaxed failure ordering nothing is ordered (`cas-failure-relaxed`). `explore`
//! proves it at 2 × 1.
//!
//! **Outcomes.** `gets` = N × M and `stale` = 0: ACCEPTABLE; anything else FORBIDDEN.

use super::shared::grade_failures;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "compare-exchange",
    summary: "losers of a publishing compare_exchange read the winner's data (failure: Acquire)",
    class: Class::Fixed,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge),
    default_threads: 4,
    default_iters: 100_000,
};

/// A stale read by a loser is the failure.
pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    grade_failures(
        p,
        o,
        "stale",
        "a loser read the winner's slot before its payload",
    )
}

/// M rounds of the race; `failure`: the exchange's ordering when it fails.
pub fn race_to_publish<R: Rt>(p: &Params, failure: Ordering) -> Run {
    let (n, m) = (p.threads, p.iters);
    let s = Arc::new((
        (0..m).map(|_| R::AtomicU64::new(0)).collect::<Vec<_>>(),
        (0..n).map(|_| R::AtomicU64::new(0)).collect::<Vec<_>>(),
    ));
    let (tally, elapsed) = workers_counting::<R, _, _>(p, &s, move |(winner, data), me| {
        let mut stale = 0;
        for (r, w) in (1..).zip(winner) {
            data[me].store(r, Ordering::Relaxed); // my payload for round r
            let won = w.compare_exchange(0, me as u64 + 1, Ordering::AcqRel, failure);
            if let Err(who) = won {
                // The winner's slot holds round r's payload, or a later round's.
                if data[(who - 1) as usize].load(Ordering::Relaxed) < r {
                    stale += 1;
                }
            }
        }
        (m, stale)
    });
    let (gets, stale) = tally;
    Run::of(Outcome::of(&[("gets", gets), ("stale", stale)]), elapsed)
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    race_to_publish::<R>(p, Ordering::Acquire)
}
