//! # local — count locally, publish once
//!
//! **Question.** Each thread counts in a local variable and adds its total to the shared
//! counter once, with one `fetch_add`, at the end. Exact? How fast?
//!
//! **Expect.** Always N × M, with N shared operations instead of N × M. A local variable is
//! invisible to other threads, so the optimiser keeps it in a register (it may even fold the
//! loop into one addition): the fastest counter is the one nobody shares.
//!
//! **Outcomes.** N × M ACCEPTABLE; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    summary: "a thread-local sum, added to the shared counter once at the end",
    class: Class::Fixed,
    options: &[],
    metric: None,
    default_threads: 8,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let counter = Arc::new(R::AtomicU64::new(0));
    let m = p.iters;
    let (metric, elapsed) = workers::<R, _>(p, &counter, move |c, _| {
        let mut mine = 0u64;
        for _ in 0..m {
            mine += 1; // nobody else can see `mine`
        }
        c.fetch_add(mine, Ordering::Relaxed); // one shared operation per thread
        0
    });
    Run::counted(counter.load(Ordering::SeqCst), metric, elapsed)
}
