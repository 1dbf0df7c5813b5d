//! Locks, condition variables and channels in the rc11 world, each built from
//! read-modify-writes on one location of the graph (as GenMC models them), so that the
//! explorer orders them like any other atomics and a lock's hand-over is an `rf` edge:
//!
//! | primitive | location holds | operations |
//! |-----------|----------------|------------|
//! | `Mutex` (std, parking_lot) | 0 or `HELD` | lock: 0 → HELD, Acquire; unlock: store 0, Release |
//! | `RwLock` | readers, or `HELD` for the writer | read: +1 unless HELD, Acquire; read-unlock: −1, Release; write as a mutex |
//! | `Condvar` | sleepers, and wake-up tokens issued and taken | wait: register, unlock, take a token issued since it registered (or wake spuriously), lock; notify: issue tokens for sleepers without one |
//! | mpsc | the last message | send: an AcqRel read-modify-write writing the message; recv: an Acquire load past the messages taken |
//!
//! A thread whose acquisition, wake-up or receive reads a value that does not let it go on
//! blocks for the rest of the run on that read. If a later write in `mo` would have let it
//! go on, the graph where the read reads that write is reached by revisiting the read, and
//! this run is not counted (blocked); if none would, every thread left asleep is a DEADLOCK.
//! The data a lock guards lives outside the graph, in a real lock that is never contended
//! (the graph lets one thread in at a time, and a run replays the graph in `porf` order).

use super::exec::{ops, Until};
use super::graph::{CvState, Loc, Obj, Rmw, RmwOp, SyncOp};
use super::Rc11;
use crate::rt::{MutexGuard, RtCondvar, RtMutex, RtReceiver, RtRwLock, RtSender};
use std::cell::Cell;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::Ordering;

fn op(s: SyncOp, ord: Ordering) -> Rmw {
    Rmw {
        op: RmwOp::Sync(s),
        ord,
        fail: Ordering::Relaxed,
    }
}

/// Takes the lock at `loc` with `s` (a lock or a read-lock), blocking until it is free.
fn acquire(loc: Loc, s: SyncOp, what: &'static str) {
    let rmw = op(s, Ordering::Acquire);
    if !ops::rmw(loc, rmw).1 {
        ops::block(loc, Until::Writes(rmw), what);
    }
}

/// Releases the lock at `loc` (a store of 0, or a reader's −1), unless the run is being
/// torn down or the thread is unwinding from a panic.
fn release(loc: Loc, reader: bool) {
    if ops::aborting() || std::thread::panicking() {
        return;
    }
    if reader {
        ops::rmw(loc, op(SyncOp::ReadUnlock, Ordering::Release));
    } else {
        ops::store(loc, 0, Ordering::Release, false);
    }
}

/// A mutex of the rc11 world (every kind is the same to a model checker).
pub struct Rc11Mutex<T> {
    loc: Loc,
    data: parking_lot::Mutex<T>,
}

pub struct Rc11Guard<'a, T> {
    mutex: &'a Rc11Mutex<T>,
    /// `None` only while a condvar wait has released the lock.
    inner: Option<parking_lot::MutexGuard<'a, T>>,
}

impl<T> Deref for Rc11Guard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_ref().expect("a live guard")
    }
}

impl<T> DerefMut for Rc11Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_mut().expect("a live guard")
    }
}

impl<T> Drop for Rc11Guard<'_, T> {
    fn drop(&mut self) {
        if self.inner.take().is_some() {
            release(self.mutex.loc, false);
        }
    }
}

impl<T: Send + 'static> Rc11Mutex<T> {
    fn guard(&self) -> Rc11Guard<'_, T> {
        Rc11Guard {
            mutex: self,
            inner: Some(self.data.try_lock().expect("the graph lets one thread in")),
        }
    }
}

impl<T: Send + 'static> RtMutex<T> for Rc11Mutex<T> {
    type Guard<'a>
        = Rc11Guard<'a, T>
    where
        Self: 'a;
    fn new(v: T) -> Self {
        Rc11Mutex {
            loc: ops::create(0, u64::MAX, Obj::Mutex),
            data: parking_lot::Mutex::new(v),
        }
    }
    fn lock(&self) -> Rc11Guard<'_, T> {
        acquire(self.loc, SyncOp::Lock { try_: false }, "lock");
        self.guard()
    }
    fn try_lock(&self) -> Option<Rc11Guard<'_, T>> {
        let rmw = op(SyncOp::Lock { try_: true }, Ordering::Acquire);
        ops::rmw(self.loc, rmw).1.then(|| self.guard())
    }
}

/// A reader-writer lock of the rc11 world.
pub struct Rc11RwLock<T> {
    loc: Loc,
    data: parking_lot::RwLock<T>,
}

pub struct Rc11ReadGuard<'a, T> {
    loc: Loc,
    inner: Option<parking_lot::RwLockReadGuard<'a, T>>,
}

pub struct Rc11WriteGuard<'a, T> {
    loc: Loc,
    inner: Option<parking_lot::RwLockWriteGuard<'a, T>>,
}

impl<T> Deref for Rc11ReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_ref().expect("a live guard")
    }
}

impl<T> Drop for Rc11ReadGuard<'_, T> {
    fn drop(&mut self) {
        if self.inner.take().is_some() {
            release(self.loc, true);
        }
    }
}

impl<T> Deref for Rc11WriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_ref().expect("a live guard")
    }
}

impl<T> DerefMut for Rc11WriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_mut().expect("a live guard")
    }
}

impl<T> Drop for Rc11WriteGuard<'_, T> {
    fn drop(&mut self) {
        if self.inner.take().is_some() {
            release(self.loc, false);
        }
    }
}

impl<T: Send + Sync + 'static> RtRwLock<T> for Rc11RwLock<T> {
    type ReadGuard<'a>
        = Rc11ReadGuard<'a, T>
    where
        Self: 'a;
    type WriteGuard<'a>
        = Rc11WriteGuard<'a, T>
    where
        Self: 'a;
    fn new(v: T) -> Self {
        Rc11RwLock {
            loc: ops::create(0, u64::MAX, Obj::RwLock),
            data: parking_lot::RwLock::new(v),
        }
    }
    fn read(&self) -> Rc11ReadGuard<'_, T> {
        acquire(self.loc, SyncOp::ReadLock, "lock");
        Rc11ReadGuard {
            loc: self.loc,
            inner: Some(
                self.data
                    .try_read_recursive()
                    .expect("the graph lets readers in only without a writer"),
            ),
        }
    }
    fn write(&self) -> Rc11WriteGuard<'_, T> {
        acquire(self.loc, SyncOp::Lock { try_: false }, "lock");
        Rc11WriteGuard {
            loc: self.loc,
            inner: Some(self.data.try_write().expect("the graph lets one writer in")),
        }
    }
}

/// A condition variable of the rc11 world: sleepers and wake-up tokens in one location.
/// `notify_one` adds a token if a sleeper has none, and whichever sleeper's wake-up reads it
/// takes it (any waiter, as std promises); with spurious wake-ups on, a sleeper may also
/// leave without one (once per `wait`, never in two calls in a row, never main: the
/// scheduled world's rule).
pub struct Rc11Condvar {
    loc: Loc,
}

impl RtCondvar<Rc11> for Rc11Condvar {
    fn new() -> Self {
        Rc11Condvar {
            loc: ops::create(0, u64::MAX, Obj::Condvar),
        }
    }
    fn wait<'a, T: Send + 'static>(
        &self,
        mut guard: MutexGuard<'a, Rc11, T>,
    ) -> MutexGuard<'a, Rc11, T> {
        let mutex = guard.mutex;
        // Register while holding the lock, so a notify after our unlock sees a sleeper.
        let (before, _) = ops::rmw(self.loc, op(SyncOp::Register, Ordering::Relaxed));
        let epoch = CvState::of(before).issued;
        drop(guard.inner.take());
        release(mutex.loc, false);
        let wake = op(
            SyncOp::Wake {
                epoch,
                spurious: ops::may_wake_spuriously(),
            },
            Ordering::Relaxed,
        );
        let (old, woke) = ops::rmw(self.loc, wake);
        if !woke {
            // Asleep until a token comes (a spurious wake-up is the other branch).
            let token = op(
                SyncOp::Wake {
                    epoch,
                    spurious: false,
                },
                Ordering::Relaxed,
            );
            ops::block(self.loc, Until::Writes(token), "a notify on");
        }
        ops::woke(SyncOp::woke_spuriously(epoch, old));
        acquire(mutex.loc, SyncOp::Lock { try_: false }, "lock");
        guard.inner = Some(mutex.data.try_lock().expect("the graph lets one thread in"));
        guard
    }
    fn notify_one(&self) {
        ops::rmw(self.loc, op(SyncOp::NotifyOne, Ordering::Relaxed));
    }
    fn notify_all(&self) {
        ops::rmw(self.loc, op(SyncOp::NotifyAll, Ordering::Relaxed));
    }
}

/// The sending end of an rc11 channel: each send is a read-modify-write writing the message,
/// so the channel's `mo` is the order of the messages.
#[derive(Clone)]
pub struct Rc11Sender {
    loc: Loc,
}

/// The receiving end: the messages taken so far; a receive is an Acquire load of a write
/// past them in `mo` (it synchronises with that send and, through the chain of
/// read-modify-writes, with every send before it).
pub struct Rc11Receiver {
    loc: Loc,
    taken: Cell<usize>,
}

impl RtSender for Rc11Sender {
    fn send(&self, v: u64) {
        ops::rmw(self.loc, op(SyncOp::Send(v), Ordering::AcqRel));
    }
}

impl RtReceiver for Rc11Receiver {
    fn recv(&self) -> u64 {
        let n = self.taken.get();
        ops::load(self.loc, Ordering::Acquire, false);
        if ops::last_read_pos() <= n {
            ops::block(self.loc, Until::Beyond(n), "a message on");
        }
        self.taken.set(n + 1);
        ops::nth_write(self.loc, n + 1)
    }
}

/// A channel: one location, created holding no message.
pub fn channel() -> (Rc11Sender, Rc11Receiver) {
    let loc = ops::create(0, u64::MAX, Obj::Channel);
    (
        Rc11Sender { loc },
        Rc11Receiver {
            loc,
            taken: Cell::new(0),
        },
    )
}
