//! # atomic — one indivisible read-modify-write
//!
//! **Question.** Replace the load and the store with one `fetch_add(1)`. Is the count exact?
//!
//! **Expect.** Always N × M, under every ordering, even `relaxed`: a read-modify-write always
//! acts on the latest value of the counter (its place in the counter's modification order is
//! after every earlier one). Orderings matter only for *other* memory published with the
//! counter. The cost: on x86 a `lock xadd` — 3–5 ns alone — plus the cache line holding the
//! counter bouncing between CPUs when several threads hammer it (7 ns per increment on the
//! 2-CPU VM the README's figures come from, 12–15 ns on others: `race-lab compare` measures
//! yours).
//!
//! **Outcomes.** N × M ACCEPTABLE; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    summary: "fetch_add: one indivisible read-modify-write per increment",
    class: Class::Fixed,
    options: &[Opt::Ordering],
    metric: None,
    default_threads: 8,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let counter = Arc::new(R::AtomicU64::new(0));
    let (m, ord) = (p.iters, p.ordering);
    let (metric, elapsed) = workers::<R, _>(p, &counter, move |c, _| {
        for _ in 0..m {
            c.fetch_add(1, ord.rmw()); // read, add, write: one step nobody can split.
        }
        0
    });
    Run::counted(counter.load(Ordering::SeqCst), metric, elapsed)
}
