//! # cas — compare-and-swap, and what contention costs
//!
//! **Question.** Build the increment from `compare_exchange`: read v, then "if the counter
//! is still v, make it v + 1", and retry when another thread got there first. Is it exact,
//! and how often does it retry?
//!
//! **Expect.** Always N × M: a failed exchange changes nothing and the loop tries again with
//! the value it saw. The metric `cas retries` counts the failures: zero with one thread,
//! thousands when threads collide. This is the shape of every lock-free update that
//! `fetch_add` cannot express (a maximum, a pointer swing).
//!
//! **Outcomes.** N × M ACCEPTABLE; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    summary: "compare-exchange loop; reports how many retries contention cost",
    class: Class::Fixed,
    options: &[Opt::Ordering],
    metric: Some("cas retries"),
    default_threads: 8,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let counter = Arc::new(R::AtomicU64::new(0));
    let (m, ord) = (p.iters, p.ordering);
    let (retries, elapsed) = workers::<R, _>(p, &counter, move |c, _| {
        let mut retries = 0;
        for _ in 0..m {
            let mut v = c.load(Ordering::Relaxed);
            // Succeeds only if nobody stored since our load; otherwise learn the new value.
            while let Err(seen) = c.compare_exchange_weak(v, v + 1, ord.rmw(), Ordering::Relaxed) {
                v = seen;
                retries += 1;
            }
        }
        retries
    });
    Run::counted(counter.load(Ordering::SeqCst), retries, elapsed)
}
