//! # bank-atomics — two atomics are not one transaction
//!
//! **Question.** A bank keeps two accounts, A and B, each an atomic. N tellers each move 1
//! from A to B, M times (`fetch_sub` on A, then `fetch_add` on B), and after every transfer
//! audit the bank: read A, read B, check that the total is what the bank started with.
//! Every access is atomic and not a cent is lost at the end. Does every audit balance?
//!
//! **Expect.** No. A transfer is two atomic steps, and an audit that reads between them finds
//! the money in neither account; an audit whose two reads straddle another teller's transfer
//! finds it in both. The invariant "A + B is constant" holds before and after a transfer,
//! never during one: an atomic protects one value, not a relation between two. The final
//! balances are always right (`moved` = N × M), which is why such bugs pass tests that only
//! look at the end. Every world shows it: `run` natively, `explore` and `hunt` at 2 × 1.
//! The fix: one lock around both balances (`bank-locked`).
//!
//! **Outcomes.** `moved` = N × M and `torn` = 0 (no audit saw a wrong total): ACCEPTABLE;
//! `torn` > 0: INTERESTING (an audit saw the bank mid-transfer); `moved` ≠ N × M: FORBIDDEN.

use super::shared::grade_failures;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "atomicity",
    summary: "transfer between two atomic balances while auditing the total (torn audits)",
    class: Class::LogicRace,
    atomics: &["A", "B"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge),
    default_threads: 4,
    default_iters: 100_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    grade_failures(p, o, "torn", "an audit saw the bank mid-transfer")
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let total = p.expected();
    let bank = Arc::new((R::AtomicU64::new(total), R::AtomicU64::new(0)));
    let m = p.iters;
    let (torn, elapsed) = workers::<R, _>(p, &bank, move |(a, b), _| {
        let mut torn = 0;
        for _ in 0..m {
            a.fetch_sub(1, Ordering::SeqCst); // the money has left A…
            b.fetch_add(1, Ordering::SeqCst); // …and only now reaches B
            let seen = a.load(Ordering::SeqCst) + b.load(Ordering::SeqCst); // two moments
            torn += u64::from(seen != total);
        }
        torn
    });
    let moved = bank.1.load(Ordering::SeqCst);
    Run::of(Outcome::of(&[("moved", moved), ("torn", torn)]), elapsed)
}
