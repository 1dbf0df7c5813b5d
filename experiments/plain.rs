//! # plain — the compiler is a participant too
//!
//! **Question.** The same unsynchronised counter, written as a person first writes it:
//! `*counter += 1` in a loop. Does it lose updates like `unsynced`?
//!
//! **Expect.** Almost never, and for a surprising reason. With no synchronisation in the
//! loop, the optimiser may assume no other thread looks at the counter, keep it in a
//! register and fold the M increments into one `add M`. Each thread then touches shared
//! memory once, and the race window is a few nanoseconds wide. The program is just as wrong
//! as `unsynced` (a data race: UB), and loom, Miri and ThreadSanitizer say so; it only
//! *looks* right. The lesson: a race detector, not a test run, tells you code is correct.
//!
//! **Outcomes.** As for `unsynced`: N × M ACCEPTABLE, fewer INTERESTING, anything else
//! FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    summary: "`*counter += 1` in a loop: folded by the optimiser, so it rarely shows (still UB)",
    class: Class::DataRace,
    options: &[],
    metric: None,
    default_threads: 8,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let counter = Arc::new(R::Cell::new(0));
    let m = p.iters;
    let (metric, elapsed) = workers::<R, _>(p, &counter, move |c, _| {
        c.add_plain(m); // for _ in 0..m { *counter += 1 }
        0
    });
    Run::counted(counter.read(), metric, elapsed)
}
