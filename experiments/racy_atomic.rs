//! # racy-atomic — atomic is not the same as correct
//!
//! **Question.** Make every access atomic: `load`, then `store(v + 1)`. There is no data race
//! any more (no UB, Miri and ThreadSanitizer stay quiet). Does the count reach N × M?
//!
//! **Expect.** No. Each access is indivisible, but the *pair* is not: two threads can load
//! the same value and both store its successor. This is a race condition that is not a data
//! race. The ordering (`--ordering`) does not help: orderings say what *other* memory a
//! thread sees, not that a load and a store happen together. Under `relaxed` loom even finds
//! executions where a load returns an *old* value with no preemption at all (a stale read).
//! The fix is one indivisible read-modify-write: see `atomic` and `cas`.
//!
//! **Outcomes.** N × M ACCEPTABLE; from the theoretical minimum (1 if M = 1, else 2) to
//! N × M − 1 INTERESTING; anything else FORBIDDEN. For 2 threads × 3 increments, loom finds
//! exactly {2, 3, 4, 5, 6}.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    summary: "atomic load, then atomic store of v+1: no UB, still loses updates",
    class: Class::LogicRace,
    options: &[Opt::Ordering, Opt::Window],
    metric: None,
    default_threads: 8,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let counter = Arc::new(R::AtomicU64::new(0));
    let (m, w, ord) = (p.iters, p.window, p.ordering);
    let (metric, elapsed) = workers::<R, _>(p, &counter, move |c, _| {
        for _ in 0..m {
            let v = c.load(ord.load()); // indivisible…
            R::window(w);
            c.store(v + 1, ord.store()); // …and indivisible, but not together.
        }
        0
    });
    Run::counted(counter.load(Ordering::SeqCst), metric, elapsed)
}
