//! # The deliberately racy code of the lab — the one place where undefined behaviour is wanted.
//!
//! `RacyCell` is a `u64` that several threads read and write with no synchronisation. That
//! is a data race, and a data race is undefined behaviour in Rust. It is **racy on purpose**:
//! the `unsynced` and `plain` experiments exist to show what such code does on real hardware
//! (it loses updates) and to let loom, Miri and ThreadSanitizer catch it. Nothing else in the
//! lab uses it, and no other module contains `unsafe` without a `// SAFETY:` proof.
//!
//! Safe Rust refuses to write this program, which is why it takes `unsafe`. Sharing a plain
//! `Cell` between threads does not compile (`Cell` is not `Sync`):
//!
//! ```compile_fail
//! let counter = std::cell::Cell::new(0u64);
//! std::thread::scope(|s| {
//!     s.spawn(|| counter.set(counter.get() + 1)); // error: `Cell<u64>` cannot be shared
//!     s.spawn(|| counter.set(counter.get() + 1));
//! });
//! ```
//!
//! and neither does mutating a plain shared integer from two threads:
//!
//! ```compile_fail
//! let mut counter = 0u64;
//! std::thread::scope(|s| {
//!     s.spawn(|| counter += 1); // error: cannot borrow `counter` as mutable twice
//!     s.spawn(|| counter += 1);
//! });
//! ```
//!
//! whereas the atomic version compiles and is exact:
//!
//! ```
//! use std::sync::atomic::{AtomicU64, Ordering};
//! let counter = AtomicU64::new(0);
//! std::thread::scope(|s| {
//!     s.spawn(|| counter.fetch_add(1, Ordering::Relaxed));
//!     s.spawn(|| counter.fetch_add(1, Ordering::Relaxed));
//! });
//! assert_eq!(counter.into_inner(), 2);
//! ```
//!
//! The loom world has its own racy cell (`loom::cell::UnsafeCell`, which *detects* the race
//! instead of committing it); it lives here too, so every racy cell is in this one file.

use std::cell::UnsafeCell;
use std::marker::PhantomData;
use std::ptr::NonNull;

/// A `u64` shared between threads without any synchronisation. Deliberately unsound.
pub struct RacyCell(UnsafeCell<u64>);

// Deliberately wrong: `RacyCell` is not thread-safe. Claiming `Sync` is the lie that lets
// several threads reach the same `u64`; the experiments that use it are about exactly that.
unsafe impl Sync for RacyCell {}

impl RacyCell {
    pub fn new(v: u64) -> Self {
        RacyCell(UnsafeCell::new(v))
    }

    /// One real load instruction (volatile, so it is neither removed nor merged).
    #[inline(always)]
    pub fn read(&self) -> u64 {
        // RACY ON PURPOSE: an unsynchronised read that other threads may be writing.
        let v = unsafe { std::ptr::read_volatile(self.0.get()) };
        // Keep the load and the following store two instructions: without this, the
        // compiler may fuse `read; write(v + 1)` into one non-atomic `inc [mem]`, which on one
        // CPU can never be interrupted halfway and so would never lose an update.
        std::hint::black_box(v)
    }

    /// One real store instruction.
    #[inline(always)]
    pub fn write(&self, v: u64) {
        // RACY ON PURPOSE: an unsynchronised write that other threads may be reading.
        unsafe { std::ptr::write_volatile(self.0.get(), v) }
    }

    /// `m` times `*p += 1` in plain Rust, as a person would first write it. The optimiser
    /// sees no synchronisation, so it may keep the value in a register and fold the loop
    /// into one `add m` per thread: "the compiler races too".
    #[inline(never)]
    pub fn add_plain(&self, m: u64) {
        let p = self.0.get();
        for _ in 0..m {
            // RACY ON PURPOSE: a plain, non-atomic read-modify-write of shared memory.
            unsafe { *p += 1 }
        }
    }

    /// `while *p < at_least {}` in plain Rust, as a person would first write a wait for a
    /// flag. Nothing in the loop says another thread may change `*p` (that would be a data
    /// race, so the optimiser may assume none): in a release build it reads the flag once,
    /// before the loop, and then spins on a register, forever if that read was too early.
    /// No `spin_loop` hint either: with one, this compiler re-reads (measured), and the
    /// lesson (`spin-plain`) is the loop people write.
    #[inline(never)]
    // Clippy sees it too ("variables in the condition are not mutated in the loop body"):
    // that warning is the lesson, so it is allowed here, once.
    #[allow(clippy::while_immutable_condition)]
    pub fn spin_until_plain(&self, at_least: u64) {
        let p = self.0.get();
        // RACY ON PURPOSE: a plain, non-atomic read of a flag another thread writes.
        while unsafe { *p } < at_least {}
    }
}

/// The loom world's racy cell: loom tracks every access and reports the race
/// ("Causality violation: Concurrent read and write accesses") instead of committing it.
pub struct LoomRacyCell {
    pub cell: loom::cell::UnsafeCell<u64>,
    /// Whether the cell was freed in this execution ([`crate::rt::RtCell::free`]): a plain
    /// flag outside the model, so it adds no interleavings.
    pub freed: std::sync::atomic::AtomicBool,
}

// Deliberately wrong, exactly as for `RacyCell`: loom's `UnsafeCell` is `!Sync`, and this
// claim is what lets the model share it so that loom can catch the race.
unsafe impl Sync for LoomRacyCell {}
// `loom::cell::UnsafeCell<u64>` is already `Send`; nothing else is claimed.

impl LoomRacyCell {
    pub fn read(&self) -> u64 {
        // RACY ON PURPOSE: loom checks this read against concurrent writes before we deref.
        self.cell.with(|p| unsafe { *p })
    }
    pub fn write(&self, v: u64) {
        // RACY ON PURPOSE: loom checks this write against concurrent accesses before we deref.
        self.cell.with_mut(|p| unsafe { *p = v })
    }
}

/// A `u64` that several *processes* map (handed out by the lab's shared page): the address
/// the deliberately racy cross-process increment works on. It borrows whatever keeps the
/// memory mapped, so it cannot outlive the mapping.
#[derive(Clone, Copy)]
pub struct SharedWord<'a> {
    ptr: NonNull<u64>,
    _mapping: PhantomData<&'a u64>,
}

impl SharedWord<'_> {
    /// # Safety
    /// `ptr` must be valid for volatile reads and writes of a `u64` (in bounds of a live
    /// mapping, 8-byte aligned) for the whole lifetime of the word. Other processes may
    /// access it concurrently: that race is the point, and the only unsoundness allowed.
    pub unsafe fn new(ptr: NonNull<u64>) -> Self {
        SharedWord {
            ptr,
            _mapping: PhantomData,
        }
    }
}

/// One deliberately racy increment of a `u64` that several *processes* share (the
/// `process-shm --sync none` experiment): a volatile read, then a volatile write, with no
/// synchronisation — the cross-process twin of `RacyCell`.
pub fn increment_shared_racy(word: SharedWord<'_>) {
    let p = word.ptr.as_ptr();
    // RACY ON PURPOSE: other processes read and write this u64 at the same time. The pointer
    // is valid (the promise of `SharedWord::new`, proved where the page hands it out); the
    // race is the lesson.
    unsafe {
        let v = std::hint::black_box(std::ptr::read_volatile(p));
        std::ptr::write_volatile(p, v + 1);
    }
}
