//! The loom world: every operation is a loom operation, so `loom::model` explores every
//! interleaving (and, for atomics, every value a load may legally return). Each execution
//! records a trace of what each thread did, for `race-lab explore` to print.
//!
//! Choices, measured (see DESIGN.md): shared state lives in a `std::sync::Arc`, not loom's,
//! which halves the executions and avoids loom aborting the process when a panic unwinds
//! through its `Arc`; the start gate is empty, because a barrier would only multiply the
//! interleavings without adding a distinct outcome.

use super::racy::LoomRacyCell;
use super::{Rt, RtAtomic, RtCell, RtMutex, RtReceiver, RtSender};
use crate::trace::{Event, Op, MAIN};
use std::cell::{Cell, RefCell};
use std::ops::{Deref, DerefMut};
use std::sync::atomic::Ordering;

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
fn push(op: Op, object: String, value: u64, stale_latest: Option<u64>, location: Option<String>) {
    let thread = me();
    if thread == MAIN {
        return;
    }
    REC.with(|r| {
        r.borrow_mut().events.push(Event {
            thread,
            op,
            object,
            value,
            stale_latest,
            location,
        })
    });
}

fn next_id(f: impl FnOnce(&mut Recording) -> u32) -> u32 {
    REC.with(|r| f(&mut r.borrow_mut()))
}

/// An atomic that remembers the latest value stored, to tell a stale read from a fresh one.
pub struct LoomAtomic {
    inner: loom::sync::atomic::AtomicU64,
    /// The value of the last store in execution order (loom appends stores to the
    /// modification order as they execute). Not modelled: bookkeeping only.
    latest: std::sync::atomic::AtomicU64,
    name: String,
}

impl LoomAtomic {
    fn set_latest(&self, v: u64) {
        self.latest.store(v, Ordering::Relaxed);
    }
}

impl RtAtomic for LoomAtomic {
    fn new(v: u64) -> Self {
        let id = next_id(|r| {
            r.next_atomic += 1;
            r.next_atomic - 1
        });
        LoomAtomic {
            inner: loom::sync::atomic::AtomicU64::new(v),
            latest: std::sync::atomic::AtomicU64::new(v),
            name: format!("a{id}"),
        }
    }
    fn load(&self, order: Ordering) -> u64 {
        let v = self.inner.load(order);
        let latest = self.latest.load(Ordering::Relaxed);
        let stale = (v != latest).then_some(latest);
        push(Op::Load, self.name.clone(), v, stale, None);
        v
    }
    fn store(&self, v: u64, order: Ordering) {
        self.inner.store(v, order);
        self.set_latest(v);
        push(Op::Store, self.name.clone(), v, None, None);
    }
    fn fetch_add(&self, v: u64, order: Ordering) -> u64 {
        let old = self.inner.fetch_add(v, order);
        self.set_latest(old + v);
        push(Op::FetchAdd, self.name.clone(), old, None, None);
        old
    }
    fn compare_exchange(&self, c: u64, n: u64, s: Ordering, f: Ordering) -> Result<u64, u64> {
        let r = self.inner.compare_exchange(c, n, s, f);
        match r {
            Ok(old) => {
                self.set_latest(n);
                push(Op::CasOk, self.name.clone(), old, None, None);
            }
            Err(seen) => push(Op::CasFail, self.name.clone(), seen, None, None),
        }
        r
    }
}

/// A loom mutex that records lock, unlock, and what a blocked thread waits for.
pub struct LoomMutex<T> {
    inner: loom::sync::Mutex<T>,
    name: String,
}

pub struct LoomGuard<'a, T> {
    inner: loom::sync::MutexGuard<'a, T>,
    name: &'a str,
}

impl<T> Deref for LoomGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}
impl<T> DerefMut for LoomGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}
impl<T> Drop for LoomGuard<'_, T> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            push(Op::Unlock, self.name.to_string(), 0, None, None);
        }
    }
}

impl<T: Send + 'static> RtMutex<T> for LoomMutex<T> {
    type Guard<'a> = LoomGuard<'a, T>;
    fn new(v: T) -> Self {
        let id = next_id(|r| {
            r.next_mutex += 1;
            r.next_mutex - 1
        });
        let name = char::from(b'A' + (id % 26) as u8).to_string();
        LoomMutex {
            inner: loom::sync::Mutex::new(v),
            name,
        }
    }
    fn lock(&self) -> LoomGuard<'_, T> {
        let t = me();
        REC.with(|r| r.borrow_mut().waiting.push((t, self.name.clone())));
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        REC.with(|r| r.borrow_mut().waiting.retain(|(w, _)| *w != t));
        push(Op::Lock, self.name.clone(), 0, None, None);
        LoomGuard {
            inner,
            name: &self.name,
        }
    }
}

impl RtCell for LoomRacyCell {
    fn new(v: u64) -> Self {
        LoomRacyCell(loom::cell::UnsafeCell::new(v))
    }
    #[track_caller]
    fn read(&self) -> u64 {
        let loc = crate::trace::location(std::panic::Location::caller());
        // Recorded first as the access loom may stop; turned into a plain read if it passes.
        push(Op::RacyRead, "cell".into(), 0, None, Some(loc));
        let v = LoomRacyCell::read(self);
        settle(Op::Read, v);
        v
    }
    #[track_caller]
    fn write(&self, v: u64) {
        let loc = crate::trace::location(std::panic::Location::caller());
        push(Op::RacyWrite, "cell".into(), v, None, Some(loc));
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
        push(Op::Send, "chan".into(), v, None, None);
    }
}
impl RtReceiver for LoomReceiver {
    fn recv(&self) -> u64 {
        let v = self.0.recv().expect("the kernel receives an exact count");
        push(Op::Recv, "chan".into(), v, None, None);
        v
    }
}

pub struct LoomJoin<T>(loom::thread::JoinHandle<T>);

impl Rt for Loom {
    const NAME: &'static str = "loom";
    type AtomicU64 = LoomAtomic;
    type Cell = LoomRacyCell;
    type Mutex<T: Send + 'static> = LoomMutex<T>;
    type PlMutex<T: Send + 'static> = LoomMutex<T>;
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
    fn window(_: u32) {}
    fn now() -> Option<std::time::Instant> {
        None
    }
}
