//! The rc11 world: the lab's own weak-memory model checker. A kernel's executions are
//! execution graphs (events; `po`, `rf`, `mo`) consistent under RC11 (Lahav et al., PLDI
//! 2017) with C++20's release sequences — the model Rust's atomics follow, minus load
//! buffering — explored one graph at a time in the style of GenMC: built an event at a time,
//! each read choosing among the writes that keep the graph consistent, each write among its
//! places in `mo`, and each new write *revisiting* earlier reads that could read from it
//! (TruSt, Kokologiannakis et al., POPL 2022), so that every consistent graph is reached,
//! and reached once.
//!
//! The parts: `graph.rs` (the graph), `rmw.rs` (what each read-modify-write writes),
//! `axioms.rs` (RC11's axioms as the paper writes them), `exec.rs` (a run: threads as
//! coroutines replaying a graph and extending it, the spin-loop rules, blocked threads,
//! revisits), `locks.rs` (locks, condvars and channels), `explore.rs` (the explorer, the
//! brute-force oracle that checks it, and a graph as a trace), `picture.rs` (a graph drawn).

//! Covered: atomics (load, store, swap, fetch_add/sub, compare_exchange with its failure
//! ordering), fences, spawn and join, spin loops, the racy cell (plain accesses: a race is a
//! DATA RACE), and every lock, condvar and channel of the facade (`locks.rs`: each a
//! location whose read-modify-writes the explorer orders like any others).

pub mod axioms;
mod exec;
pub mod explore;
pub mod fast;
pub mod graph;
mod locks;
pub mod picture;
pub mod rmw;
mod steps;
#[cfg(test)]
mod tests;

pub use exec::RunEnd;

use super::{AtomicValue, LockKind, Rt, RtAtomic, RtAtomicInt, RtCell};
use exec::ops;
use graph::{Loc, Obj, Rmw, RmwOp};
pub use locks::{Rc11Condvar, Rc11Mutex, Rc11Receiver, Rc11RwLock, Rc11Sender};
use std::marker::PhantomData;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The rc11 world. See the module docs.
pub struct Rc11;

/// An atomic of the rc11 world: a location of the graph.
pub struct Rc11Atomic<V> {
    loc: Loc,
    _v: PhantomData<fn() -> V>,
}

fn mask<V: AtomicValue>() -> u64 {
    // A bool holds 0 or 1; the others, any u64.
    if V::from_u64(2).to_u64() == 2 {
        u64::MAX
    } else {
        1
    }
}

impl<V: AtomicValue> Rc11Atomic<V> {
    fn rmw(&self, op: RmwOp, ord: Ordering, fail: Ordering) -> (V, bool) {
        let (old, wrote) = ops::rmw(self.loc, Rmw { op, ord, fail });
        (V::from_u64(old), wrote)
    }
}

impl<V: AtomicValue> RtAtomic<V> for Rc11Atomic<V> {
    fn new(v: V) -> Self {
        Rc11Atomic {
            loc: ops::create(v.to_u64(), mask::<V>(), Obj::Atomic),
            _v: PhantomData,
        }
    }
    fn load(&self, order: Ordering) -> V {
        V::from_u64(ops::load(self.loc, order, false))
    }
    fn store(&self, v: V, order: Ordering) {
        ops::store(self.loc, v.to_u64(), order, false)
    }
    fn swap(&self, v: V, order: Ordering) -> V {
        self.rmw(RmwOp::Swap(v.to_u64()), order, Ordering::Relaxed)
            .0
    }
    fn compare_exchange(
        &self,
        current: V,
        new: V,
        success: Ordering,
        failure: Ordering,
    ) -> Result<V, V> {
        match self.rmw(RmwOp::Cas(current.to_u64(), new.to_u64()), success, failure) {
            (v, true) => Ok(v),
            (v, false) => Err(v),
        }
    }
    fn compare_exchange_weak(
        &self,
        current: V,
        new: V,
        success: Ordering,
        failure: Ordering,
    ) -> Result<V, V> {
        // It may fail spuriously where it would succeed (std allows it on every call; here
        // not twice in a row on one thread, so a retry loop ends): both are explored.
        let expected = current.to_u64();
        let op = RmwOp::CasWeak {
            expected,
            new: new.to_u64(),
            may: ops::may_fail_spuriously(),
            spurious: false,
        };
        let (v, wrote) = self.rmw(op, success, failure);
        ops::failed_spuriously(!wrote && v.to_u64() == expected);
        if wrote {
            Ok(v)
        } else {
            Err(v)
        }
    }
}

impl<V: AtomicValue> RtAtomicInt<V> for Rc11Atomic<V> {
    fn fetch_add(&self, v: V, order: Ordering) -> V {
        self.rmw(RmwOp::Add(v.to_u64()), order, Ordering::Relaxed).0
    }
    fn fetch_sub(&self, v: V, order: Ordering) -> V {
        self.rmw(RmwOp::Sub(v.to_u64()), order, Ordering::Relaxed).0
    }
}

/// The racy cell: a location of plain (non-atomic) accesses. Two of them, or one and an
/// atomic write, without happens-before either way are a DATA RACE.
pub struct Rc11Cell {
    loc: Loc,
}

impl RtCell for Rc11Cell {
    fn new(v: u64) -> Self {
        Rc11Cell {
            loc: ops::create(v, u64::MAX, Obj::Cell),
        }
    }
    fn read(&self) -> u64 {
        ops::load(self.loc, Ordering::Relaxed, true)
    }
    fn write(&self, v: u64) {
        ops::store(self.loc, v, Ordering::Relaxed, true)
    }
    fn add_plain(&self, m: u64) {
        for _ in 0..m {
            let v = self.read();
            self.write(v.wrapping_add(1));
        }
    }
}

/// A handle to a worker: its graph thread, and the slot its result arrives in.
pub struct Rc11Join<T> {
    thread: usize,
    slot: Arc<parking_lot::Mutex<Option<std::thread::Result<T>>>>,
}

impl Rt for Rc11 {
    const NAME: &'static str = "rc11";
    type AtomicU64 = Rc11Atomic<u64>;
    type AtomicUsize = Rc11Atomic<usize>;
    type AtomicBool = Rc11Atomic<bool>;
    type Cell = Rc11Cell;
    type Mutex<K: LockKind, T: Send + 'static> = Rc11Mutex<T>;
    type RwLock<T: Send + Sync + 'static> = Rc11RwLock<T>;
    type Condvar = Rc11Condvar;
    type Sender = Rc11Sender;
    type Receiver = Rc11Receiver;
    type Join<T: Send + 'static> = Rc11Join<T>;
    type Gate = ();

    fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Rc11Join<T> {
        let slot = Arc::new(parking_lot::Mutex::new(None));
        let out = slot.clone();
        let thread = ops::spawn(Box::new(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
            *out.lock() = Some(r);
            ops::finished();
        }));
        Rc11Join { thread, slot }
    }
    fn join<T: Send + 'static>(h: Rc11Join<T>) -> T {
        ops::join(h.thread);
        match h.slot.lock().take() {
            Some(Ok(v)) => v,
            Some(Err(p)) => std::panic::resume_unwind(p),
            None => unreachable!("a joined worker has finished"),
        }
    }
    fn channel() -> (Rc11Sender, Rc11Receiver) {
        locks::channel()
    }
    fn gate(_: usize) {}
    fn wait(_: &()) {}
    fn yield_now() {
        ops::spin()
    }
    fn spin_loop() {
        ops::spin()
    }
    fn fence(order: Ordering) {
        ops::fence(order)
    }
    fn window(_: u32) {}
    fn now() -> Option<std::time::Instant> {
        None
    }
}
