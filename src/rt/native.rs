//! The native world: real OS threads and the real std / parking_lot primitives.
//!
//! Every method is `#[inline(always)]` and records nothing, so an experiment's timed loop
//! compiles to the same instructions as the loop written by hand (see `benches/`).

use super::racy::RacyCell;
use super::{
    LockKind, MutexGuard, Rt, RtAtomic, RtAtomicInt, RtCell, RtCondvar, RtMutex, RtReceiver,
    RtRwLock, RtSender,
};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

/// Real threads. See the module docs.
pub struct Native;

/// The std atomics are the facade's atomics, method for method.
macro_rules! std_atomic {
    ($atomic:ty, $v:ty) => {
        impl RtAtomic<$v> for $atomic {
            #[inline(always)]
            fn new(v: $v) -> Self {
                <$atomic>::new(v)
            }
            #[inline(always)]
            fn load(&self, order: Ordering) -> $v {
                <$atomic>::load(self, order)
            }
            #[inline(always)]
            fn store(&self, v: $v, order: Ordering) {
                <$atomic>::store(self, v, order)
            }
            #[inline(always)]
            fn swap(&self, v: $v, order: Ordering) -> $v {
                <$atomic>::swap(self, v, order)
            }
            #[inline(always)]
            fn compare_exchange(&self, c: $v, n: $v, s: Ordering, f: Ordering) -> Result<$v, $v> {
                <$atomic>::compare_exchange(self, c, n, s, f)
            }
            #[inline(always)]
            fn compare_exchange_weak(
                &self,
                c: $v,
                n: $v,
                s: Ordering,
                f: Ordering,
            ) -> Result<$v, $v> {
                <$atomic>::compare_exchange_weak(self, c, n, s, f)
            }
        }
    };
    ($atomic:ty, $v:ty, int) => {
        std_atomic!($atomic, $v);
        impl RtAtomicInt<$v> for $atomic {
            #[inline(always)]
            fn fetch_add(&self, v: $v, order: Ordering) -> $v {
                <$atomic>::fetch_add(self, v, order)
            }
            #[inline(always)]
            fn fetch_sub(&self, v: $v, order: Ordering) -> $v {
                <$atomic>::fetch_sub(self, v, order)
            }
        }
    };
}

std_atomic!(AtomicU64, u64, int);
std_atomic!(AtomicUsize, usize, int);
std_atomic!(AtomicBool, bool);

impl<T: Send + 'static> RtMutex<T> for std::sync::Mutex<T> {
    type Guard<'a> = std::sync::MutexGuard<'a, T>;
    #[inline(always)]
    fn new(v: T) -> Self {
        std::sync::Mutex::new(v)
    }
    #[inline(always)]
    fn lock(&self) -> Self::Guard<'_> {
        // A poisoned lock still guards a valid counter: take it either way.
        std::sync::Mutex::lock(self).unwrap_or_else(|e| e.into_inner())
    }
    #[inline(always)]
    fn try_lock(&self) -> Option<Self::Guard<'_>> {
        match std::sync::Mutex::try_lock(self) {
            Ok(g) => Some(g),
            Err(std::sync::TryLockError::Poisoned(e)) => Some(e.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }
}

impl<T: Send + 'static> RtMutex<T> for parking_lot::Mutex<T> {
    type Guard<'a> = parking_lot::MutexGuard<'a, T>;
    #[inline(always)]
    fn new(v: T) -> Self {
        parking_lot::Mutex::new(v)
    }
    #[inline(always)]
    fn lock(&self) -> Self::Guard<'_> {
        parking_lot::Mutex::lock(self)
    }
    #[inline(always)]
    fn try_lock(&self) -> Option<Self::Guard<'_>> {
        parking_lot::Mutex::try_lock(self)
    }
}

impl<T: Send + Sync + 'static> RtRwLock<T> for std::sync::RwLock<T> {
    type ReadGuard<'a> = std::sync::RwLockReadGuard<'a, T>;
    type WriteGuard<'a> = std::sync::RwLockWriteGuard<'a, T>;
    fn new(v: T) -> Self {
        std::sync::RwLock::new(v)
    }
    fn read(&self) -> Self::ReadGuard<'_> {
        std::sync::RwLock::read(self).unwrap_or_else(|e| e.into_inner())
    }
    fn write(&self) -> Self::WriteGuard<'_> {
        std::sync::RwLock::write(self).unwrap_or_else(|e| e.into_inner())
    }
}

impl RtCondvar<Native> for std::sync::Condvar {
    fn new() -> Self {
        std::sync::Condvar::new()
    }
    fn wait<'a, T: Send + 'static>(
        &self,
        guard: MutexGuard<'a, Native, T>,
    ) -> MutexGuard<'a, Native, T> {
        std::sync::Condvar::wait(self, guard).unwrap_or_else(|e| e.into_inner())
    }
    fn notify_one(&self) {
        std::sync::Condvar::notify_one(self)
    }
    fn notify_all(&self) {
        std::sync::Condvar::notify_all(self)
    }
}

impl RtCell for RacyCell {
    #[inline(always)]
    fn new(v: u64) -> Self {
        RacyCell::new(v)
    }
    #[inline(always)]
    fn read(&self) -> u64 {
        RacyCell::read(self)
    }
    #[inline(always)]
    fn write(&self, v: u64) {
        RacyCell::write(self, v)
    }
    #[inline(always)]
    fn add_plain(&self, m: u64) {
        RacyCell::add_plain(self, m)
    }
}

impl RtSender for std::sync::mpsc::Sender<u64> {
    #[inline(always)]
    fn send(&self, v: u64) {
        std::sync::mpsc::Sender::send(self, v).expect("the owner thread outlives every sender")
    }
}

impl RtReceiver for std::sync::mpsc::Receiver<u64> {
    #[inline(always)]
    fn recv(&self) -> u64 {
        std::sync::mpsc::Receiver::recv(self).expect("the kernel receives an exact count")
    }
}

/// A spin barrier: every worker announces itself, then spins until all have. Spinning (with
/// a yield, for runs pinned to fewer CPUs than threads) starts them within nanoseconds of
/// each other, where a sleeping barrier would stagger them by wake-up latency.
pub struct SpinGate {
    arrived: AtomicUsize,
    parties: usize,
}

impl Rt for Native {
    const NAME: &'static str = "native";
    type AtomicU64 = AtomicU64;
    type AtomicUsize = AtomicUsize;
    type AtomicBool = AtomicBool;
    type Cell = RacyCell;
    type Mutex<K: LockKind, T: Send + 'static> = K::Native<T>;
    type RwLock<T: Send + Sync + 'static> = std::sync::RwLock<T>;
    type Condvar = std::sync::Condvar;
    type Sender = std::sync::mpsc::Sender<u64>;
    type Receiver = std::sync::mpsc::Receiver<u64>;
    type Join<T: Send + 'static> = std::thread::JoinHandle<T>;
    type Gate = SpinGate;

    fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Self::Join<T> {
        std::thread::spawn(f)
    }
    fn join<T: Send + 'static>(h: Self::Join<T>) -> T {
        match h.join() {
            Ok(v) => v,
            Err(payload) => std::panic::resume_unwind(payload),
        }
    }
    fn channel() -> (Self::Sender, Self::Receiver) {
        std::sync::mpsc::channel()
    }
    fn gate(parties: usize) -> SpinGate {
        SpinGate {
            arrived: AtomicUsize::new(0),
            parties,
        }
    }
    fn wait(gate: &SpinGate) {
        gate.arrived.fetch_add(1, Ordering::AcqRel);
        let mut spins = 0u32;
        while gate.arrived.load(Ordering::Acquire) < gate.parties {
            spins += 1;
            if spins % 64 == 0 {
                std::thread::yield_now();
            } else {
                std::hint::spin_loop();
            }
        }
    }
    #[inline(always)]
    fn yield_now() {
        std::thread::yield_now()
    }
    #[inline(always)]
    fn spin_loop() {
        std::hint::spin_loop()
    }
    fn spin_until_plain(cell: &RacyCell, at_least: u64) {
        cell.spin_until_plain(at_least)
    }
    #[inline(always)]
    fn fence(order: Ordering) {
        std::sync::atomic::fence(order)
    }
    #[inline(always)]
    fn window(w: u32) {
        for i in 0..w {
            std::hint::black_box(i);
        }
    }
    #[inline(always)]
    fn now() -> Option<Instant> {
        Some(Instant::now())
    }
}
