//! `Once`: run an initialiser exactly once, however many threads ask at the same time.
//!
//! loom 0.7 has no `Once`, so the facade builds it from its own primitives — an atomic flag
//! and a mutex — identically in every world. That is also the classic double-checked
//! pattern done right: the flag is read with Acquire and set with Release, so a thread that
//! sees it set also sees everything the initialiser wrote.

use super::{Rt, RtAtomic, RtMutex, StdLock};
use std::sync::atomic::Ordering;

/// As `std::sync::Once`, in world `R`.
pub struct Once<R: Rt> {
    done: R::AtomicBool,
    lock: R::Mutex<StdLock, ()>,
}

impl<R: Rt> Once<R> {
    pub fn new() -> Self {
        Once {
            done: RtAtomic::new(false),
            lock: RtMutex::new(()),
        }
    }

    /// Runs `f` if no call has run it yet; returns once it has run (here or elsewhere).
    pub fn call_once(&self, f: impl FnOnce()) {
        if self.done.load(Ordering::Acquire) {
            return; // pairs with the Release below: `f`'s writes are visible here
        }
        let _g = self.lock.lock();
        if !self.done.load(Ordering::Relaxed) {
            f(); // only one thread gets here: the lock orders it before every later check
            self.done.store(true, Ordering::Release);
        }
    }

    /// Whether the initialiser has run.
    pub fn is_completed(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }
}

impl<R: Rt> Default for Once<R> {
    fn default() -> Self {
        Self::new()
    }
}
