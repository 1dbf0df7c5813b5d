//! # deadlock — two locks, taken in opposite orders
//!
//! **Question.** Two mutexes, A and B, guard one counter. Even-numbered threads lock A then
//! B; odd-numbered threads lock B then A. Each increments M times. Does it finish?
//!
//! **Expect.** Sometimes. If thread 0 holds A while thread 1 holds B, each waits forever for
//! the lock the other holds: a deadlock. Every finished run is exact (the locks do protect
//! the count), which is why deadlocks hide in tests. loom finds the deadlocking interleaving
//! every time; `race-lab run` stops on a watchdog (its threads use no CPU for S seconds: "no
//! progress"). The fix:
//! one global lock order (`deadlock-ordered`).
//!
//! **Outcomes.** N × M ACCEPTABLE (finished); a deadlock INTERESTING; anything else
//! FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "deadlock",
    summary: "two mutexes taken in opposite orders by alternate threads",
    class: Class::Deadlock,
    options: &[Opt::Window],
    metric: None,
    default_threads: 2,
    default_iters: 100_000,
    play: Play::At(Size {
        threads: 2,
        iters: 1,
    }),
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let locks = Arc::new((
        <R::Mutex<StdLock, u64>>::new(0),
        <R::Mutex<StdLock, ()>>::new(()),
    ));
    let (m, w) = (p.iters, p.window);
    let (metric, elapsed) = workers::<R, _>(p, &locks, move |(a, b), t| {
        for _ in 0..m {
            if t % 2 == 0 {
                let mut count = a.lock(); // holds A…
                R::window(w);
                let _b = b.lock(); // …and waits for B
                *count += 1;
            } else {
                let _b = b.lock(); // holds B…
                R::window(w);
                let mut count = a.lock(); // …and waits for A
                *count += 1;
            }
        }
        0
    });
    let value = *locks.0.lock();
    Run::counted(value, metric, elapsed)
}
