//! The runtime facade: the only way an experiment touches threads or shared memory.
//!
//! Every experiment is written once, generic over [`Rt`], and run in three worlds:
//!
//! | world | type | what it is for |
//! |-------|------|----------------|
//! | native | [`Native`] | real OS threads (std, parking_lot, crossbeam-utils): `race-lab run`, timing |
//! | loom | [`Loom`] | loom's exhaustive model checker: `race-lab explore`, the loom suite |
//! | scheduled | [`Sched`] | real threads taking turns by an explicit schedule: `hunt`, `replay`, proptest |
//!
//! The vocabulary mirrors `std` (`load`, `store`, `fetch_add`, `lock`, `send`, `recv`,
//! `spawn`, `join`), so a kernel reads like ordinary Rust. The native world compiles to
//! exactly the std operation (every method is `#[inline(always)]`, nothing is recorded), so
//! the loop `race-lab run` times is the loop a person would write by hand.

use std::ops::DerefMut;
use std::sync::atomic::Ordering;
use std::time::Instant;

pub mod loom_world;
mod native;
pub mod racy;
pub mod sched;

pub use loom_world::Loom;
pub use native::Native;
pub use sched::Sched;

/// An atomic `u64`, as `std::sync::atomic::AtomicU64`.
pub trait RtAtomic: Send + Sync + 'static {
    fn new(v: u64) -> Self;
    fn load(&self, order: Ordering) -> u64;
    fn store(&self, v: u64, order: Ordering);
    fn fetch_add(&self, v: u64, order: Ordering) -> u64;
    fn compare_exchange(
        &self,
        current: u64,
        new: u64,
        success: Ordering,
        failure: Ordering,
    ) -> Result<u64, u64>;
}

/// A mutual-exclusion lock, as `std::sync::Mutex` (poisoning is ignored: the guard is
/// returned either way) or `parking_lot::Mutex`.
pub trait RtMutex<T>: Send + Sync + 'static {
    type Guard<'a>: DerefMut<Target = T>
    where
        Self: 'a;
    fn new(v: T) -> Self;
    fn lock(&self) -> Self::Guard<'_>;
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
}

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

/// A world in which an experiment runs.
pub trait Rt: Sized + 'static {
    /// `native`, `loom` or `scheduled`.
    const NAME: &'static str;
    type AtomicU64: RtAtomic;
    type Cell: RtCell;
    /// `std::sync::Mutex` in the native world.
    type Mutex<T: Send + 'static>: RtMutex<T>;
    /// `parking_lot::Mutex` in the native world.
    type PlMutex<T: Send + 'static>: RtMutex<T>;
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
