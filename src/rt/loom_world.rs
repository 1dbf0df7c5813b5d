//! The loom world: every operation is a loom operation, so `loom::model` explores every
//! interleaving and, for atomics, the older stores a load may return under loom's model of
//! C11 (not all that C11 allows: no load buffering, and SeqCst accesses are treated as
//! AcqRel; the rc11 world explores those). Each execution
//! records a trace of what each thread did, for `race-lab explore` to print.
//!
//! Choices, measured (see DESIGN.md): shared state lives in a `std::sync::Arc`, not loom's,
//! which halves the executions and avoids loom aborting the process when a panic unwinds
//! through its `Arc`; the start gate is empty, because a barrier would only multiply the
//! interleavings without adding a distinct outcome.

use super::racy::LoomRacyCell;
use super::{
    AtomicValue, LockKind, MutexGuard, Rt, RtAtomic, RtAtomicInt, RtCell, RtCondvar, RtMutex,
    RtReceiver, RtRwLock, RtSender,
};
use crate::trace::{Event, Op, MAIN};
use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::Ordering;

mod locks;
pub use locks::{LoomCondvar, LoomGuard, LoomMutex, LoomRwLock, Recorded};

/// loom's model checker. See the module docs.
pub struct Loom;

/// What one loom execution recorded.
#[derive(Default, Debug, Clone)]
pub struct Recording {
    pub events: Vec<Event>,
    /// For each thread blocked in `lock`: the lock it waits for.
    pub waiting: Vec<(usize, String)>,
    next_atomic: u32,
    next_mutex: u32,
    next_other: u32,
    next_thread: usize,
}

thread_local! {
    // loom runs every model thread as a coroutine on the OS thread that called `check`, so a
    // std thread-local is one recording per exploration, shared by its model threads.
    static REC: RefCell<Recording> = RefCell::new(Recording::default());
}

loom::thread_local! {
    // A loom thread-local is per *model* thread: the worker index.
    static WORKER: Cell<usize> = Cell::new(MAIN);
}

/// Starts the recording of a new execution.
pub fn begin() {
    REC.with(|r| *r.borrow_mut() = Recording::default());
}

/// The recording of the current (or last, possibly panicked) execution.
pub fn take() -> Recording {
    REC.with(|r| std::mem::take(&mut *r.borrow_mut()))
}

fn me() -> usize {
    WORKER.with(|w| w.get())
}

/// Records an operation of a worker (the main thread's set-up and final read are not part
/// of the story).
fn record(e: impl FnOnce(usize) -> Event) {
    let thread = me();
    if thread == MAIN {
        return;
    }
    REC.with(|r| r.borrow_mut().events.push(e(thread)));
}

fn push(op: Op, object: &str, value: u64) {
    record(|t| Event::new(t, op, object, value));
}

fn next_id(f: impl FnOnce(&mut Recording) -> u32) -> u32 {
    REC.with(|r| f(&mut r.borrow_mut()))
}

fn other_name(prefix: &str) -> String {
    let id = next_id(|r| {
        r.next_other += 1;
        r.next_other - 1
    });
    format!("{prefix}{id}")
}

/// An atomic that remembers the latest value stored, to tell a stale read from a fresh one.
/// Every width is modelled as loom's `AtomicU64`: the model is the same.
pub struct LoomAtomic<V> {
    inner: loom::sync::atomic::AtomicU64,
    /// The value of the last store in execution order (loom appends stores to the
    /// modification order as they execute). Not modelled: bookkeeping only.
    latest: std::sync::atomic::AtomicU64,
    name: String,
    _v: PhantomData<fn() -> V>,
}

impl<V: AtomicValue> LoomAtomic<V> {
    fn set_latest(&self, v: u64) {
        self.latest.store(v, Ordering::Relaxed);
    }
    fn rmw(&self, op: Op, old: u64, new: u64) {
        self.set_latest(new);
        record(|t| Event {
            written: Some(new),
            ..Event::new(t, op, &self.name, old)
        });
    }
    fn cas(&self, r: Result<u64, u64>, new: u64) -> Result<V, V> {
        match r {
            Ok(old) => {
                self.rmw(Op::CasOk, old, new);
                Ok(V::from_u64(old))
            }
            Err(seen) => {
                push(Op::CasFail, &self.name, seen);
                Err(V::from_u64(seen))
            }
        }
    }
}

impl<V: AtomicValue> RtAtomic<V> for LoomAtomic<V> {
    fn new(v: V) -> Self {
        let id = next_id(|r| {
            r.next_atomic += 1;
            r.next_atomic - 1
        });
        LoomAtomic {
            inner: loom::sync::atomic::AtomicU64::new(v.to_u64()),
            latest: std::sync::atomic::AtomicU64::new(v.to_u64()),
            name: format!("a{id}"),
            _v: PhantomData,
        }
    }
    fn load(&self, order: Ordering) -> V {
        let v = self.inner.load(order);
        let latest = self.latest.load(Ordering::Relaxed);
        record(|t| Event {
            stale_latest: (v != latest).then_some(latest),
            ..Event::new(t, Op::Load, &self.name, v)
        });
        V::from_u64(v)
    }
    fn store(&self, v: V, order: Ordering) {
        self.inner.store(v.to_u64(), order);
        self.set_latest(v.to_u64());
        push(Op::Store, &self.name, v.to_u64());
    }
    fn swap(&self, v: V, order: Ordering) -> V {
        let old = self.inner.swap(v.to_u64(), order);
        self.rmw(Op::Swap, old, v.to_u64());
        V::from_u64(old)
    }
    fn compare_exchange(&self, c: V, n: V, s: Ordering, f: Ordering) -> Result<V, V> {
        let r = self.inner.compare_exchange(c.to_u64(), n.to_u64(), s, f);
        self.cas(r, n.to_u64())
    }
    fn compare_exchange_weak(&self, c: V, n: V, s: Ordering, f: Ordering) -> Result<V, V> {
        // loom does not model spurious failures: weak is strong here (a declared gap).
        self.compare_exchange(c, n, s, f)
    }
}

impl<V: AtomicValue> RtAtomicInt<V> for LoomAtomic<V> {
    fn fetch_add(&self, v: V, order: Ordering) -> V {
        let old = self.inner.fetch_add(v.to_u64(), order);
        self.rmw(Op::FetchAdd, old, old.wrapping_add(v.to_u64()));
        V::from_u64(old)
    }
    fn fetch_sub(&self, v: V, order: Ordering) -> V {
        let old = self.inner.fetch_sub(v.to_u64(), order);
        self.rmw(Op::FetchSub, old, old.wrapping_sub(v.to_u64()));
        V::from_u64(old)
    }
}

impl RtCell for LoomRacyCell {
    fn new(v: u64) -> Self {
        LoomRacyCell {
            cell: loom::cell::UnsafeCell::new(v),
            freed: std::sync::atomic::AtomicBool::new(false),
        }
    }
    #[track_caller]
    fn read(&self) -> u64 {
        let loc = crate::trace::location(std::panic::Location::caller());
        // Recorded first as the access loom may stop; turned into a plain read if it passes.
        record(|t| Event {
            location: Some(loc),
            ..Event::new(t, Op::RacyRead, "cell", 0)
        });
        if self.freed.load(std::sync::atomic::Ordering::Relaxed) {
            std::panic::panic_any(super::UseAfterFree); // read after the free ran
        }
        let v = LoomRacyCell::read(self);
        settle(Op::Read, v);
        v
    }
    #[track_caller]
    fn write(&self, v: u64) {
        let loc = crate::trace::location(std::panic::Location::caller());
        record(|t| Event {
            location: Some(loc),
            ..Event::new(t, Op::RacyWrite, "cell", v)
        });
        if self.freed.load(std::sync::atomic::Ordering::Relaxed) {
            std::panic::panic_any(super::UseAfterFree); // written after the free ran
        }
        if v == super::FREED {
            // The free: loom checks it against every access not ordered before it.
            let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                LoomRacyCell::write(self, v)
            }));
            self.freed.store(true, std::sync::atomic::Ordering::Relaxed);
            if checked.is_err() {
                std::panic::panic_any(super::UseAfterFree); // an access raced with the free
            }
            settle(Op::Write, v);
            return;
        }
        LoomRacyCell::write(self, v);
        settle(Op::Write, v);
    }
    #[track_caller]
    fn add_plain(&self, m: u64) {
        for _ in 0..m {
            let v = RtCell::read(self);
            RtCell::write(self, v + 1);
        }
    }
}

/// The last recorded access passed loom's check: record it as an ordinary read or write.
fn settle(op: Op, v: u64) {
    if me() == MAIN {
        return;
    }
    REC.with(|r| {
        if let Some(e) = r.borrow_mut().events.last_mut() {
            e.op = op;
            e.value = v;
        }
    });
}

#[derive(Clone)]
pub struct LoomSender(loom::sync::mpsc::Sender<u64>);
pub struct LoomReceiver(loom::sync::mpsc::Receiver<u64>);

impl RtSender for LoomSender {
    fn send(&self, v: u64) {
        self.0.send(v).expect("loom channels do not disconnect");
        push(Op::Send, "chan", v);
    }
}
impl RtReceiver for LoomReceiver {
    fn recv(&self) -> u64 {
        let v = self.0.recv().expect("the kernel receives an exact count");
        push(Op::Recv, "chan", v);
        v
    }
}

pub struct LoomJoin<T>(loom::thread::JoinHandle<T>);

impl Rt for Loom {
    const NAME: &'static str = "loom";
    type AtomicU64 = LoomAtomic<u64>;
    type AtomicUsize = LoomAtomic<usize>;
    type AtomicBool = LoomAtomic<bool>;
    type Cell = LoomRacyCell;
    type Mutex<K: LockKind, T: Send + 'static> = LoomMutex<T>;
    type RwLock<T: Send + Sync + 'static> = LoomRwLock<T>;
    type Condvar = LoomCondvar;
    type Sender = LoomSender;
    type Receiver = LoomReceiver;
    type Join<T: Send + 'static> = LoomJoin<T>;
    type Gate = ();

    fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> LoomJoin<T> {
        let idx = REC.with(|r| {
            let mut r = r.borrow_mut();
            r.next_thread += 1;
            r.next_thread - 1
        });
        LoomJoin(loom::thread::spawn(move || {
            WORKER.with(|w| w.set(idx));
            f()
        }))
    }
    fn join<T: Send + 'static>(h: LoomJoin<T>) -> T {
        match h.0.join() {
            Ok(v) => v,
            Err(p) => std::panic::resume_unwind(p),
        }
    }
    fn channel() -> (LoomSender, LoomReceiver) {
        let (s, r) = loom::sync::mpsc::channel();
        (LoomSender(s), LoomReceiver(r))
    }
    fn gate(_: usize) {}
    fn wait(_: &()) {}
    fn yield_now() {
        push(Op::Yield, "", 0);
        loom::thread::yield_now()
    }
    fn spin_loop() {
        push(Op::Yield, "", 0);
        loom::hint::spin_loop()
    }
    fn fence(order: Ordering) {
        push(Op::Fence, "", 0);
        loom::sync::atomic::fence(order)
    }
    fn window(_: u32) {}
    fn now() -> Option<std::time::Instant> {
        None
    }
}
