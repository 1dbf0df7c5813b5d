//! # bank-locked — one lock around both balances
//!
//! **Question.** The `bank-atomics` tellers and audits again, with both balances behind one
//! mutex: a transfer changes A and B under the lock, an audit reads both under it. Does
//! every audit balance now?
//!
//! **Expect.** Always. While a teller holds the lock no audit can run, so nobody ever sees
//! the money between the accounts: the lock makes the two updates one step as far as
//! everyone else can tell. What must stay true together must be guarded together. `explore`
//! proves it at 2 × 2 and 3 × 1; `hunt` finds nothing.
//!
//! **Outcomes.** `moved` = N × M and `torn` = 0: ACCEPTABLE; anything else FORBIDDEN.

use super::shared::grade_failures;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "atomicity",
    summary: "the same transfers and audits with both balances under one mutex",
    class: Class::Fixed,
    locks: &["bank"],
    proof: Size {
        threads: 2,
        iters: 2,
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
    let bank = Arc::new(<R::Mutex<StdLock, (u64, u64)>>::new((total, 0)));
    let m = p.iters;
    let (torn, elapsed) = workers::<R, _>(p, &bank, move |bank, _| {
        let mut torn = 0;
        for _ in 0..m {
            let mut acc = bank.lock(); // both balances change while nobody can look
            acc.0 -= 1;
            acc.1 += 1;
            drop(acc);
            let (a, b) = *bank.lock(); // and an audit reads both at one moment
            torn += u64::from(a + b != total);
        }
        torn
    });
    let moved = bank.lock().1;
    Run::of(Outcome::of(&[("moved", moved), ("torn", torn)]), elapsed)
}
