//! The runtime facade: the only way an experiment touches threads or shared memory.
//!
//! Every experiment is written once, generic over [`Rt`], and run in three worlds:
//!
//! | world | type | what it is for |
//! |-------|------|----------------|
//! | native | [`Native`] | real OS threads (std, parking_lot, crossbeam-utils): `race-lab run`, timing |
//! | loom | [`Loom`] | loom's exhaustive model checker: `race-lab explore`, the loom suite |
//! | scheduled | [`Sched`] | coroutines taking turns by a schedule: `hunt`, `replay`, `explore --world scheduled`, proptest |
//!
//! The vocabulary mirrors `std` (atomics with `load`/`store`/`swap`/`fetch_add`/
//! `compare_exchange`, `fence`, `Mutex` with `try_lock`, `RwLock`, `Condvar`, [`Once`], mpsc,
//! `spawn`/`join`, `yield_now`, `spin_loop`), so a kernel reads like ordinary Rust. The native world compiles to
//! exactly the std operation (every method is `#[inline(always)]`, nothing is recorded), so
//! the loop `race-lab run` times is the loop a person would write by hand.

use std::fmt::Debug;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::Ordering;
use std::time::Instant;

mod native;
mod once;
pub(crate) mod racy;

/// Declares the checked worlds' engines: public with the `engines` feature (the suites and
/// benches that test and time the engines themselves turn it on), else private to the lab,
/// which reaches them through this facade and its drivers.
macro_rules! engines {
    ($($engine:ident),*) => {$(
        #[cfg(feature = "engines")]
        pub mod $engine;
        #[cfg(not(feature = "engines"))]
        #[allow(dead_code, unused_imports)] // what only the oracles and the benches name
        pub(crate) mod $engine;
    )*};
}
engines!(loom_world, rc11, sched);

pub use loom_world::Loom;
pub use native::Native;
pub use once::Once;
pub use rc11::Rc11;
pub use sched::Sched;

/// A value an atomic can hold: `u64`, `usize` or `bool`. The checked worlds store every
/// atomic as a `u64`; these conversions are exact.
pub trait AtomicValue: Copy + Eq + Debug + Send + Sync + 'static {
    fn to_u64(self) -> u64;
    fn from_u64(v: u64) -> Self;
}

impl AtomicValue for u64 {
    #[inline(always)]
    fn to_u64(self) -> u64 {
        self
    }
    #[inline(always)]
    fn from_u64(v: u64) -> Self {
        v
    }
}

impl AtomicValue for usize {
    #[inline(always)]
    fn to_u64(self) -> u64 {
        self as u64
    }
    #[inline(always)]
    fn from_u64(v: u64) -> Self {
        v as usize
    }
}

impl AtomicValue for bool {
    #[inline(always)]
    fn to_u64(self) -> u64 {
        self as u64
    }
    #[inline(always)]
    fn from_u64(v: u64) -> Self {
        v != 0
    }
}

/// An atomic, as `std::sync::atomic::AtomicU64` / `AtomicUsize` / `AtomicBool`.
pub trait RtAtomic<V: AtomicValue>: Send + Sync + 'static {
    fn new(v: V) -> Self;
    fn load(&self, order: Ordering) -> V;
    fn store(&self, v: V, order: Ordering);
    fn swap(&self, v: V, order: Ordering) -> V;
    fn compare_exchange(
        &self,
        current: V,
        new: V,
        success: Ordering,
        failure: Ordering,
    ) -> Result<V, V>;
    /// As std's: may fail even when the value is the expected one (on LL/SC machines: ARM,
    /// POWER, RISC-V), so it belongs in a loop. The scheduled and rc11 worlds explore that
    /// spurious failure wherever the value matches (not twice in a row on one thread, so a
    /// retry loop ends); loom does not model it (its gap, declared where a lesson needs it).
    fn compare_exchange_weak(
        &self,
        current: V,
        new: V,
        success: Ordering,
        failure: Ordering,
    ) -> Result<V, V>;
}

/// The arithmetic read-modify-writes of the integer atomics.
pub trait RtAtomicInt<V: AtomicValue>: RtAtomic<V> {
    /// Wrapping add, as std's; returns the previous value.
    fn fetch_add(&self, v: V, order: Ordering) -> V;
    /// Wrapping subtract, as std's; returns the previous value.
    fn fetch_sub(&self, v: V, order: Ordering) -> V;
}

/// Which mutex an experiment takes in the native world: std's or parking_lot's. The checked
/// worlds model every kind the same way (a lock is a lock to a model checker).
pub trait LockKind: Send + Sync + 'static {
    /// `std` or `parking_lot`.
    const NAME: &'static str;
    /// The real lock of this kind.
    type Native<T: Send + 'static>: RtMutex<T>;
}

/// `std::sync::Mutex`.
pub struct StdLock;
/// `parking_lot::Mutex`.
pub struct ParkingLot;

impl LockKind for StdLock {
    const NAME: &'static str = "std";
    type Native<T: Send + 'static> = std::sync::Mutex<T>;
}

impl LockKind for ParkingLot {
    const NAME: &'static str = "parking_lot";
    type Native<T: Send + 'static> = parking_lot::Mutex<T>;
}

/// A mutual-exclusion lock, as `std::sync::Mutex` (poisoning is ignored: the guard is
/// returned either way) or `parking_lot::Mutex`.
pub trait RtMutex<T>: Send + Sync + 'static {
    type Guard<'a>: DerefMut<Target = T>
    where
        Self: 'a;
    fn new(v: T) -> Self;
    fn lock(&self) -> Self::Guard<'_>;
    /// The lock if it is free now, `None` if another thread holds it.
    fn try_lock(&self) -> Option<Self::Guard<'_>>;
}

/// A reader-writer lock, as `std::sync::RwLock`: many readers or one writer.
pub trait RtRwLock<T>: Send + Sync + 'static {
    type ReadGuard<'a>: Deref<Target = T>
    where
        Self: 'a;
    type WriteGuard<'a>: DerefMut<Target = T>
    where
        Self: 'a;
    fn new(v: T) -> Self;
    fn read(&self) -> Self::ReadGuard<'_>;
    fn write(&self) -> Self::WriteGuard<'_>;
}

/// The guard of a world's std-kind mutex: what a [`RtCondvar`] waits with.
pub type MutexGuard<'a, R, T> = <<R as Rt>::Mutex<StdLock, T> as RtMutex<T>>::Guard<'a>;

/// A condition variable, as `std::sync::Condvar`, paired with the world's std-kind mutex.
/// No world wakes a waiter spuriously (loom does not model it, and the scheduled world
/// does not either), so a wait without a predicate loop shows its bug as a lost wake-up.
pub trait RtCondvar<R: Rt>: Send + Sync + 'static {
    fn new() -> Self;
    /// Releases the guard's lock, sleeps until notified, takes the lock again.
    fn wait<'a, T: Send + 'static>(&self, guard: MutexGuard<'a, R, T>) -> MutexGuard<'a, R, T>;
    fn notify_one(&self);
    fn notify_all(&self);
    /// Waits while `condition` holds, re-checking it after every wake-up — built from
    /// [`wait`](Self::wait) identically in every world (loom 0.7 has no `wait_while`).
    fn wait_while<'a, T: Send + 'static>(
        &self,
        mut guard: MutexGuard<'a, R, T>,
        mut condition: impl FnMut(&mut T) -> bool,
    ) -> MutexGuard<'a, R, T> {
        while condition(&mut *guard) {
            guard = self.wait(guard);
        }
        guard
    }
}

/// The deliberately unsynchronised cell: a `u64` that several threads read and write with
/// no synchronisation at all. In the native world this is undefined behaviour on purpose
/// (see `src/rt/racy.rs`); loom reports it as a data race.
pub trait RtCell: Send + Sync + 'static {
    fn new(v: u64) -> Self;
    /// One read of the cell (a volatile load in the native world).
    fn read(&self) -> u64;
    /// One write to the cell (a volatile store in the native world).
    fn write(&self, v: u64);
    /// `m` times `*cell += 1` as plain Rust: the optimiser may fold the loop.
    fn add_plain(&self, m: u64);
    /// Frees the object the cell stands for (a `Box` dropped, an `Arc`'s last reference
    /// gone): a plain write of [`FREED`], the poison a later read sees. Every world tracks
    /// it as such: an access racing with the free, or reading the poison, is a USE AFTER
    /// FREE (the rc11 and loom worlds stop at it and name it; the scheduled and native worlds
    /// hand the kernel the poison, which it counts).
    #[track_caller]
    fn free(&self) {
        self.write(FREED);
    }
}

/// What a freed cell holds: the poison that [`RtCell::free`] writes. A read that returns it
/// read a freed object.
pub const FREED: u64 = 0xDEAD_F4EE_DEAD_F4EE;

/// The payload a loom execution panics with when a freed cell is accessed (or freed while an
/// access to it is not ordered before the free): read back by type, never by text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UseAfterFree;

/// The sending half of a channel of counts, as `std::sync::mpsc::Sender<u64>`.
pub trait RtSender: Clone + Send + Sync + 'static {
    fn send(&self, v: u64);
}

/// The receiving half of a channel of counts, as `std::sync::mpsc::Receiver<u64>`.
pub trait RtReceiver: Send + 'static {
    /// Blocks until a message arrives. Callers receive an exact count: loom does not model
    /// disconnection.
    fn recv(&self) -> u64;
}

/// A world in which an experiment runs: std's vocabulary, three implementations.
pub trait Rt: Sized + 'static {
    /// `native`, `loom` or `scheduled`.
    const NAME: &'static str;
    type AtomicU64: RtAtomicInt<u64>;
    type AtomicUsize: RtAtomicInt<usize>;
    type AtomicBool: RtAtomic<bool>;
    type Cell: RtCell;
    /// A mutex of kind `K` ([`StdLock`] or [`ParkingLot`] in the native world).
    type Mutex<K: LockKind, T: Send + 'static>: RtMutex<T>;
    type RwLock<T: Send + Sync + 'static>: RtRwLock<T>;
    type Condvar: RtCondvar<Self>;
    type Sender: RtSender;
    type Receiver: RtReceiver;
    type Join<T: Send + 'static>;
    /// A start line that all workers reach before any of them begins (a spin barrier in the
    /// native world, as jcstress does; nothing in the checked worlds, where it would only
    /// multiply the interleavings to explore).
    type Gate: Send + Sync + 'static;

    fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Self::Join<T>;
    fn join<T: Send + 'static>(h: Self::Join<T>) -> T;
    fn channel() -> (Self::Sender, Self::Receiver);
    fn gate(parties: usize) -> Self::Gate;
    fn wait(gate: &Self::Gate);
    /// `std::thread::yield_now`. In the scheduled world: hand the turn to another worker
    /// (and, in a spin loop that re-reads what it read, sleep until someone writes it).
    fn yield_now();
    /// `std::hint::spin_loop`: a spin-wait iteration; in the checked worlds, as `yield_now`.
    fn spin_loop();
    /// `while *cell < at_least {}` on a plain (non-atomic) cell. Natively the optimiser may
    /// hoist the read and spin forever ([`racy::RacyCell::spin_until_plain`]); the checked
    /// worlds read the cell (a plain access their race checks see) and yield between reads.
    #[track_caller]
    fn spin_until_plain(cell: &Self::Cell, at_least: u64) {
        while cell.read() < at_least {
            Self::yield_now();
        }
    }
    /// `std::sync::atomic::fence`.
    fn fence(order: Ordering);
    /// `w` units of busy work that touch no shared memory: widens the window between a
    /// load and the store that depends on it (nothing in the checked worlds).
    fn window(w: u32);
    /// The clock, in the native world only.
    fn now() -> Option<Instant>;
}

/// Memory ordering chosen on the command line with `--ordering`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum MemOrder {
    /// Relaxed loads, stores and read-modify-writes.
    Relaxed,
    /// Acquire loads, Release stores, AcqRel read-modify-writes.
    Acqrel,
    /// SeqCst everywhere.
    Seqcst,
}

impl MemOrder {
    #[inline(always)]
    pub fn load(self) -> Ordering {
        match self {
            MemOrder::Relaxed => Ordering::Relaxed,
            MemOrder::Acqrel => Ordering::Acquire,
            MemOrder::Seqcst => Ordering::SeqCst,
        }
    }
    #[inline(always)]
    pub fn store(self) -> Ordering {
        match self {
            MemOrder::Relaxed => Ordering::Relaxed,
            MemOrder::Acqrel => Ordering::Release,
            MemOrder::Seqcst => Ordering::SeqCst,
        }
    }
    #[inline(always)]
    pub fn rmw(self) -> Ordering {
        match self {
            MemOrder::Relaxed => Ordering::Relaxed,
            MemOrder::Acqrel => Ordering::AcqRel,
            MemOrder::Seqcst => Ordering::SeqCst,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            MemOrder::Relaxed => "relaxed",
            MemOrder::Acqrel => "acqrel",
            MemOrder::Seqcst => "seqcst",
        }
    }
}
