//! # unsynced — two instructions where one was meant
//!
//! **Question.** N threads each add 1 to a shared `u64`, M times, with no synchronisation at
//! all: read the value, then write the value plus one. Does the count reach N × M?
//!
//! **Expect.** No. Between one thread's read and its write, another thread writes; the first
//! then writes back a value computed from an old read, and the other's increment is gone.
//! On two CPUs this happens in most runs; on one CPU (`--pin 0`) it needs a preemption that
//! lands between the read and the write, which `--window W` makes likely.
//!
//! **Undefined behaviour, on purpose.** This is a *data race*: Rust's rules make the whole
//! program undefined, which is why it needs `unsafe` (quarantined in `src/rt/racy.rs`). loom,
//! Miri and ThreadSanitizer all report it; the scheduled world replays its interleavings
//! without UB.
//!
//! **Outcomes.** N × M: ACCEPTABLE (no update lost this time). From the theoretical minimum
//! (1 if M = 1, else 2) up to N × M − 1: INTERESTING (lost updates). Anything else: FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    summary: "unsynchronised read, then write, of a shared u64 (data race, UB on purpose)",
    class: Class::DataRace,
    options: &[Opt::Window],
    metric: None,
    default_threads: 8,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let counter = Arc::new(R::Cell::new(0));
    let (m, w) = (p.iters, p.window);
    let (metric, elapsed) = workers::<R, _>(p, &counter, move |c, _| {
        for _ in 0..m {
            let v = c.read(); // another thread may write here…
            R::window(w); // …and more likely with a wider window…
            c.write(v + 1); // …and this write then erases its increment.
        }
        0
    });
    Run::counted(counter.read(), metric, elapsed)
}
