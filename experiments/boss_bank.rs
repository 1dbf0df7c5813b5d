//! # boss-bank — transfers that deadlock, audits that tear
//!
//! **Question.** A boss level: two bugs in one kernel. Two accounts, each a balance behind
//! its own mutex, 100 in each. Even-numbered workers move 10 from A to B (lock A, then B);
//! odd-numbered ones move 10 from B to A (lock B, then A). After each transfer a worker
//! audits the bank: it reads A under A's lock, then B under B's lock, and checks that the
//! total is 200. Does every transfer finish, and does every audit see 200?
//!
//! **Expect.** No, in two ways. Opposite lock orders deadlock (`deadlock`); and the audit
//! takes the two locks one after the other, so a transfer can run between its two reads:
//! it counts the 10 twice or not at all (`bank-atomics`). Each lock protects its own
//! balance; nothing protects the *sum*. Schedules find both at 2 × 1. The fixes: one lock
//! order (`deadlock-ordered`), and an audit that holds both locks (`bank-locked`).
//!
//! **Outcomes.** `transfers` = N × M with `torn` = 0: ACCEPTABLE; `torn` > 0 (an audit
//! saw a total other than 200) or a deadlock: INTERESTING; anything else FORBIDDEN.

use super::shared::grade_failures;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "boss",
    summary: "boss: transfers lock A,B and B,A (deadlock); audits lock one at a time (torn)",
    class: Class::Deadlock,
    locks: &["A", "B"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge),
    goal: Some("two bugs: make an audit see a torn total, or deadlock the transfers"),
    default_threads: 2,
    default_iters: 10_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    grade_failures(
        p,
        o,
        "torn",
        "an audit saw a total other than 200: a transfer ran between its two reads",
    )
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let s = Arc::new((
        <R::Mutex<StdLock, u64>>::new(100),
        <R::Mutex<StdLock, u64>>::new(100),
    ));
    let m = p.iters;
    let (tally, elapsed) = workers_counting::<R, _, _>(p, &s, move |(a, b), t| {
        let (from, to) = if t % 2 == 0 { (a, b) } else { (b, a) };
        let mut torn = 0;
        for _ in 0..m {
            {
                let mut f = from.lock();
                let mut g = to.lock(); // the other worker takes these in the other order
                *f -= 10;
                *g += 10;
            }
            let seen_a = *a.lock();
            let seen_b = *b.lock(); // a transfer may have run in between
            torn += u64::from(seen_a + seen_b != 200);
        }
        (m, torn)
    });
    let (transfers, torn) = tally;
    let o = Outcome::of(&[("transfers", transfers), ("torn", torn)]);
    Run::of(o, elapsed)
}
