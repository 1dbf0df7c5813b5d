//! # spin-lock — a compare-exchange spin lock with Acquire/Release
//!
//! **Question.** The `spin-relaxed` lock with the compare-exchange made Acquire and the
//! releasing store Release. Exact now, in every world?
//!
//! **Expect.** Yes. The Release store publishes everything the holder wrote; the Acquire
//! compare-exchange that takes the lock next reads that store and sees it all. That pair is what a lock
//! is, beyond exclusion. `explore` proves it at 2 × 2, with no data race (3 × 1 is too large to finish);
//! `hunt` finds nothing. (A spin lock burns a CPU while it waits: fine for a few
//! instructions, poor when the holder is descheduled. std's `Mutex` sleeps instead.)
//!
//! **Outcomes.** `count` = N × M and `in_cs` = 1: ACCEPTABLE; anything else FORBIDDEN.

use super::shared::{judge_lock, lock_outcome, Inside};
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "locks",
    summary: "compare-exchange spin lock, Acquire to take it, Release to give it back",
    class: Class::Fixed,
    atomics: &["locked", "inside", "peak"],
    proof: Size {
        threads: 2,
        iters: 2,
    },
    witnessed: true, // Miri and ThreadSanitizer find it clean, as they find `spin-relaxed` racy
    judge: Some(judge_lock),
    default_threads: 2,
    default_iters: 1_000_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    spin_lock::<R>(p, Ordering::Acquire, Ordering::Release)
}

/// The compare-exchange spin lock around an unsynchronised counter, taken with ordering
/// `take` and given back with `give` (`spin-relaxed`: both Relaxed).
pub fn spin_lock<R: Rt>(p: &Params, take: Ordering, give: Ordering) -> Run {
    let s = Arc::new((
        R::AtomicBool::new(false),
        R::Cell::new(0),
        Inside::<R>::new(),
    ));
    let m = p.iters;
    let (_, elapsed) = workers::<R, _>(p, &s, move |(locked, count, inside), _| {
        for _ in 0..m {
            // Only one thread at a time turns `false` into `true`; a failed
            // compare-exchange writes nothing: it only waits.
            while locked
                .compare_exchange(false, true, take, Ordering::Relaxed)
                .is_err()
            {
                R::yield_now();
            }
            inside.enter();
            let c = count.read(); // ordered after the last holder's write by an Acquire `take`…
            count.write(c + 1);
            inside.leave();
            locked.store(false, give); // …that reads a Release `give` (Relaxed orders nothing)
        }
        0
    });
    Run::of(lock_outcome(s.1.read(), s.2.peak()), elapsed)
}
