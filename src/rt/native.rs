//! The native world: real OS threads and the real std / parking_lot primitives.
//!
//! Every method is `#[inline(always)]` and records nothing, so an experiment's timed loop
//! compiles to the same instructions as the loop written by hand (see `benches/`).

use super::racy::RacyCell;
use super::{Rt, RtAtomic, RtCell, RtMutex, RtReceiver, RtSender};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

/// Real threads. See the module docs.
pub struct Native;

impl RtAtomic for AtomicU64 {
    #[inline(always)]
    fn new(v: u64) -> Self {
        AtomicU64::new(v)
    }
    #[inline(always)]
    fn load(&self, order: Ordering) -> u64 {
        AtomicU64::load(self, order)
    }
    #[inline(always)]
    fn store(&self, v: u64, order: Ordering) {
        AtomicU64::store(self, v, order)
    }
    #[inline(always)]
    fn fetch_add(&self, v: u64, order: Ordering) -> u64 {
        AtomicU64::fetch_add(self, v, order)
    }
    #[inline(always)]
    fn compare_exchange(&self, c: u64, n: u64, s: Ordering, f: Ordering) -> Result<u64, u64> {
        AtomicU64::compare_exchange_weak(self, c, n, s, f)
    }
}

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
    type Cell = RacyCell;
    type Mutex<T: Send + 'static> = std::sync::Mutex<T>;
    type PlMutex<T: Send + 'static> = parking_lot::Mutex<T>;
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
