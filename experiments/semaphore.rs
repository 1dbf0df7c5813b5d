//! # semaphore — a counting semaphore built from a mutex and a condvar
//!
//! **Question.** A semaphore holds a number of permits: `wait` takes one (sleeping while
//! there are none), `signal` gives one back and wakes a sleeper. Built here from a
//! `Mutex<u64>` and a `Condvar`, with one permit, it guards a read-then-write of a shared
//! count. N threads each do M updates. Does only one thread at a time get in?
//!
//! **Expect.** Yes. `wait` sleeps with `wait_while(permits == 0)`, re-checking after every
//! wake-up (spurious ones included), and takes the permit under the same lock that checked
//! it, so two threads can never take the last permit. A semaphore with one permit is a lock;
//! with K permits it admits K at a time, which is exactly what goes wrong when K is not what
//! the resource can take (`semaphore-extra-permit`). `explore` proves it at 2 × 2.
//!
//! **Outcomes.** `count` = N × M and `in_cs` = 1: ACCEPTABLE; anything else FORBIDDEN.

use super::shared::{judge_lock, lock_outcome, Inside};
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "semaphores",
    summary: "a semaphore (Mutex + Condvar) with one permit guards a read-then-write",
    class: Class::Fixed,
    atomics: &["count", "inside", "peak"],
    locks: &["permits"],
    judge: Some(judge_lock),
    default_threads: 4,
    default_iters: 20_000,
};

/// A counting semaphore: permits behind a mutex, sleepers on a condvar.
pub struct Semaphore<R: Rt> {
    permits: R::Mutex<StdLock, u64>,
    freed: R::Condvar,
}

impl<R: Rt> Semaphore<R> {
    pub fn new(permits: u64) -> Self {
        Semaphore {
            permits: RtMutex::new(permits),
            freed: RtCondvar::new(),
        }
    }
    /// Takes a permit, sleeping while there is none.
    pub fn wait(&self) {
        let mut p = self.freed.wait_while(self.permits.lock(), |p| *p == 0);
        *p -= 1;
    }
    /// Gives a permit back and wakes one sleeper.
    pub fn signal(&self) {
        *self.permits.lock() += 1;
        self.freed.notify_one();
    }
}

/// N workers each do M read-then-write updates of `count` between `wait` and `signal` of
/// a semaphore created with `permits`.
pub fn guarded<R: Rt>(p: &Params, permits: u64) -> Run {
    let s = Arc::new((
        R::AtomicU64::new(0),
        Inside::<R>::new(),
        Semaphore::<R>::new(permits),
    ));
    let m = p.iters;
    let (_, elapsed) = workers::<R, _>(p, &s, move |(count, inside, sem), _| {
        for _ in 0..m {
            sem.wait();
            inside.enter();
            let c = count.load(Ordering::Relaxed);
            count.store(c + 1, Ordering::Relaxed);
            inside.leave();
            sem.signal();
        }
        0
    });
    Run::of(
        lock_outcome(s.0.load(Ordering::SeqCst), s.1.peak()),
        elapsed,
    )
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    guarded::<R>(p, 1)
}
