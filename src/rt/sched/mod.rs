//! The scheduled world: the kernel's threads as coroutines that take turns by a schedule.
//!
//! Only one thread runs at a time. A worker runs until its next visible operation (an
//! atomic access, a lock, a condvar, a cell access, a send or a receive, a yield) and stops
//! there. When every worker has stopped, the scheduler decides who goes next:
//!
//! * if only one worker can proceed, it does: no schedule entry is used;
//! * otherwise the next entry of the schedule names the worker to run; entries that name a
//!   finished or blocked worker are skipped;
//! * when the schedule runs out, the worker that ran last keeps running (or, if it cannot
//!   or it just yielded, the next worker after it that can).
//!
//! So a schedule only lists the *choices*, and a search can shrink it towards the shortest
//! story. The main thread (which creates the shared state, owns a channel, joins and reads
//! the result) runs whenever it can and adds no decision points. A blocked worker (waiting
//! for a held lock, a message, a notify or a join) is never chosen; when every live worker
//! is blocked, that is a deadlock, and every thread is unwound.
//!
//! **The yield rule.** `yield_now`/`spin_loop` hand the turn to another worker; a worker
//! that yields after only re-reading values that are all still current sleeps until one of
//! them is written. So a spin lock ends under every schedule, and when every live worker
//! sleeps that way, the run ends as a LIVELOCK.
//!
//! The world is sequentially consistent: a load always sees the latest store (stale reads
//! are loom's department).

pub mod dpor;
mod exec;
pub mod pct;
pub mod synthetic;
#[cfg(test)]
mod tests;
mod world;

pub use exec::{End, Execution};
pub use pct::Pct;
pub use world::{with_fifo_notify, with_spurious_wakeups, Access, StepRec};

use super::{
    AtomicValue, LockKind, MutexGuard, Rt, RtAtomic, RtAtomicInt, RtCell, RtCondvar, RtMutex,
    RtReceiver, RtRwLock, RtSender,
};
use crate::trace::{Event, Op, MAIN};
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use world::{Kind, Need, ObjId};

/// The scheduled world. See the module docs.
pub struct Sched;

/// What one scheduled run did.
#[derive(Debug, Clone)]
pub struct SchedRun<T> {
    /// The kernel's result, or `None` if the run did not finish (see `end`).
    pub result: Option<T>,
    pub end: End,
    pub events: Vec<Event>,
    /// The worker chosen at every decision point (the schedule as it was actually used,
    /// completed by the default order once the given schedule ran out).
    pub decisions: Vec<usize>,
    /// How many entries of the given schedule were used (skipped entries included).
    pub used: usize,
    /// Whether the given schedule ran out before the run ended.
    pub ran_out: bool,
    /// For a deadlock or livelock: each stuck worker and what it waits for.
    pub waiting: Vec<(usize, String)>,
    /// Steps taken (visible operations of workers).
    pub steps: u64,
}

/// The step bound for `threads` workers doing `iters` iterations each: 64 visible
/// operations per iteration per worker, plus 64 per worker. A run whose live threads are
/// still stepping at the bound is a LIVELOCK (no kernel of the catalogue needs a tenth of
/// it to finish; spinners that only re-read sleep under the yield rule and take no steps).
pub fn step_limit(threads: usize, iters: u64) -> u64 {
    (threads as u64).saturating_mul(iters.saturating_mul(64).saturating_add(64))
}

/// The step bound in words, for verdicts.
pub const STEP_BOUND: &str = "the step bound: 64 steps per iteration per thread, plus 64";

/// Runs `kernel` (which spawns exactly `threads` workers through [`Sched`]) under `schedule`.
pub fn run<T: Send + 'static>(
    threads: usize,
    schedule: &[usize],
    max_steps: u64,
    kernel: impl FnOnce() -> T + Send + 'static,
) -> SchedRun<T> {
    drive(threads, schedule, None, true, max_steps, kernel)
}

/// As [`run`], without recording the trace (for searches that only need the outcome).
pub fn run_quiet<T: Send + 'static>(
    threads: usize,
    schedule: &[usize],
    max_steps: u64,
    kernel: impl FnOnce() -> T + Send + 'static,
) -> SchedRun<T> {
    drive(threads, schedule, None, false, max_steps, kernel)
}

/// Runs `kernel` under a PCT schedule: the decisions it takes are recorded in
/// [`SchedRun::decisions`], which replays the run.
pub fn run_pct<T: Send + 'static>(
    threads: usize,
    pct: Pct,
    record: bool,
    max_steps: u64,
    kernel: impl FnOnce() -> T + Send + 'static,
) -> SchedRun<T> {
    drive(threads, &[], Some(pct), record, max_steps, kernel)
}

fn drive<T: Send + 'static>(
    threads: usize,
    schedule: &[usize],
    mut pct: Option<Pct>,
    record: bool,
    max_steps: u64,
    kernel: impl FnOnce() -> T + Send + 'static,
) -> SchedRun<T> {
    let mut ex = Execution::start(threads, record, max_steps, kernel);
    let (mut pos, mut ran_out, mut decisions) = (0, false, Vec::new());
    loop {
        let enabled = ex.enabled();
        let t = match enabled.len() {
            0 => break,
            1 => enabled[0],
            _ => {
                let t = match (next_entry(schedule, &mut pos, &enabled), pct.as_mut()) {
                    (Some(t), _) => t,
                    (None, Some(p)) => {
                        let yielded = ex.last.is_some_and(|l| ex.yielded(l));
                        p.choose(&enabled, ex.last, yielded)
                    }
                    (None, None) => {
                        ran_out = true;
                        default_choice(&ex, &enabled)
                    }
                };
                decisions.push(t);
                t
            }
        };
        // Which sleeper a `notify_one` wakes is a decision too (std promises only "one").
        let options = ex.notify_options(t);
        let waiter = (!options.is_empty()).then(|| {
            let w = match (next_entry(schedule, &mut pos, &options), pct.as_mut()) {
                (Some(w), _) => w,
                (None, Some(p)) => p.choose(&options, None, false),
                (None, None) => {
                    ran_out = true;
                    options[0]
                }
            };
            decisions.push(w);
            w
        });
        ex.step_with(t, waiter);
    }
    let steps = ex.steps;
    let (result, events, end) = ex.finish();
    let waiting = match &end {
        End::Deadlock(w) | End::Livelock(w) => w.clone(),
        _ => Vec::new(),
    };
    SchedRun {
        result,
        end,
        events,
        decisions,
        used: pos,
        ran_out,
        waiting,
        steps,
    }
}

/// The next entry of `schedule` from `pos` that names one of `options`, skipping the
/// entries that do not (a finished or blocked worker, a thread that is not a sleeper).
fn next_entry(schedule: &[usize], pos: &mut usize, options: &[usize]) -> Option<usize> {
    while let Some(&e) = schedule.get(*pos) {
        *pos += 1;
        if options.contains(&e) {
            return Some(e);
        }
    }
    None
}

/// The default order: the worker that ran last keeps running, unless it cannot or it has
/// just yielded; then the next worker after it (cyclically) that can.
pub fn default_choice<T: Send + 'static>(ex: &Execution<T>, enabled: &[usize]) -> usize {
    match ex.last {
        Some(l) if enabled.contains(&l) && !ex.yielded(l) => l,
        Some(l) if ex.yielded(l) => enabled
            .iter()
            .copied()
            .find(|&t| t > l)
            .or_else(|| enabled.iter().copied().find(|&t| t != l))
            .unwrap_or(l),
        _ => enabled[0],
    }
}

/// A sequentially consistent atomic of any width: its value lives in the execution.
pub struct SchedAtomic<V> {
    id: ObjId,
    _v: PhantomData<fn() -> V>,
}

impl<V: AtomicValue> SchedAtomic<V> {
    /// One visible read-modify-write: `f(old)` gives the value to store, if any.
    #[track_caller]
    fn rmw(&self, op: Op, f: impl FnOnce(u64) -> Option<u64>) -> (u64, bool) {
        let me = world::point(Need::Any, Some(world::Access::Write(self.id)));
        world::with(|w| {
            let old = w.objects[self.id].value;
            match f(old) {
                Some(new) => {
                    w.read(me, self.id); // it read `old`: a swap of true over true only reads
                    w.objects[self.id].value = new;
                    w.write(me, self.id, new != old);
                    w.event(me, op, self.id, old, Some(new));
                    (old, true)
                }
                None => {
                    w.read(me, self.id);
                    w.event(me, Op::CasFail, self.id, old, None);
                    (old, false)
                }
            }
        })
    }
}

impl<V: AtomicValue> RtAtomic<V> for SchedAtomic<V> {
    fn new(v: V) -> Self {
        SchedAtomic {
            id: world::with(|w| w.object(Kind::Atomic, v.to_u64())),
            _v: PhantomData,
        }
    }
    #[track_caller]
    fn load(&self, _: Ordering) -> V {
        let me = world::point(Need::Any, Some(world::Access::Read(self.id)));
        V::from_u64(world::with(|w| {
            let v = w.objects[self.id].value;
            w.read(me, self.id);
            w.event(me, Op::Load, self.id, v, None);
            v
        }))
    }
    #[track_caller]
    fn store(&self, v: V, _: Ordering) {
        let me = world::point(Need::Any, Some(world::Access::Write(self.id)));
        world::with(|w| {
            let changed = w.objects[self.id].value != v.to_u64();
            w.objects[self.id].value = v.to_u64();
            w.write(me, self.id, changed);
            w.event(me, Op::Store, self.id, v.to_u64(), None);
        })
    }
    #[track_caller]
    fn swap(&self, v: V, _: Ordering) -> V {
        V::from_u64(self.rmw(Op::Swap, |_| Some(v.to_u64())).0)
    }
    #[track_caller]
    fn compare_exchange(&self, c: V, n: V, _: Ordering, _: Ordering) -> Result<V, V> {
        match self.rmw(Op::CasOk, |old| (old == c.to_u64()).then_some(n.to_u64())) {
            (old, true) => Ok(V::from_u64(old)),
            (old, false) => Err(V::from_u64(old)),
        }
    }
    #[track_caller]
    fn compare_exchange_weak(&self, c: V, n: V, s: Ordering, f: Ordering) -> Result<V, V> {
        // No spurious failures in a model: weak is strong here.
        self.compare_exchange(c, n, s, f)
    }
}

impl<V: AtomicValue> RtAtomicInt<V> for SchedAtomic<V> {
    #[track_caller]
    fn fetch_add(&self, v: V, _: Ordering) -> V {
        V::from_u64(
            self.rmw(Op::FetchAdd, |old| Some(old.wrapping_add(v.to_u64())))
                .0,
        )
    }
    #[track_caller]
    fn fetch_sub(&self, v: V, _: Ordering) -> V {
        V::from_u64(
            self.rmw(Op::FetchAdd, |old| Some(old.wrapping_sub(v.to_u64())))
                .0,
        )
    }
}

/// The racy cell of the scheduled world. Only one thread runs at a time, so its accesses
/// behave exactly like the unsynchronised cell would under this interleaving — without UB.
pub struct SchedCell {
    id: ObjId,
}

impl RtCell for SchedCell {
    fn new(v: u64) -> Self {
        SchedCell {
            id: world::with(|w| w.object(Kind::Cell, v)),
        }
    }
    #[track_caller]
    fn read(&self) -> u64 {
        let loc = crate::trace::location(std::panic::Location::caller());
        let me = world::point(Need::Any, Some(world::Access::Read(self.id)));
        world::with(|w| {
            let v = w.objects[self.id].value;
            w.read(me, self.id);
            w.event_at(me, Op::Read, self.id, v, loc);
            v
        })
    }
    #[track_caller]
    fn write(&self, v: u64) {
        let loc = crate::trace::location(std::panic::Location::caller());
        let me = world::point(Need::Any, Some(world::Access::Write(self.id)));
        world::with(|w| {
            let changed = w.objects[self.id].value != v;
            w.objects[self.id].value = v;
            w.write(me, self.id, changed);
            w.event_at(me, Op::Write, self.id, v, loc);
        })
    }
    #[track_caller]
    fn add_plain(&self, m: u64) {
        for _ in 0..m {
            let v = RtCell::read(self);
            RtCell::write(self, v + 1);
        }
    }
}

/// A lock whose waiting is decided by the scheduler; the inner std lock is only ever taken
/// by the one thread the scheduler let through, so it never blocks.
pub struct SchedMutex<T> {
    inner: std::sync::Mutex<T>,
    id: ObjId,
}

pub struct SchedGuard<'a, T> {
    /// `None` only while a condvar wait has given the lock up.
    inner: Option<std::sync::MutexGuard<'a, T>>,
    lock: &'a std::sync::Mutex<T>,
    id: ObjId,
}

impl<T> Deref for SchedGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_ref().expect("guard is live")
    }
}
impl<T> DerefMut for SchedGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_mut().expect("guard is live")
    }
}

/// Releases a lock silently (no decision point: the release is part of the current step).
fn release(id: ObjId, op: Op, readers: bool) {
    if !world::active() {
        return;
    }
    world::with(|w| {
        let Some(me) = w.running else { return };
        if readers {
            // Read-unlocks commute with read-locks and with each other: a read of the lock
            // (a writer's acquire still conflicts with it).
            w.objects[id].readers = w.objects[id].readers.saturating_sub(1);
            w.objects[id].version += 1;
            w.rec(me).accesses.push(Access::Read(id));
        } else {
            w.objects[id].holder = None;
            w.write(me, id, true);
        }
        w.rec(me).released.push(id);
        if !w.aborting {
            w.event(me, op, id, 0, None);
        }
    })
}

impl<T> Drop for SchedGuard<'_, T> {
    fn drop(&mut self) {
        if self.inner.take().is_some() {
            release(self.id, Op::Unlock, false);
        }
    }
}

impl<T: Send + 'static> SchedMutex<T> {
    #[track_caller]
    fn acquire(&self, me: usize, op: Op, blocking: bool) -> SchedGuard<'_, T> {
        world::with(|w| {
            w.objects[self.id].holder = Some(me);
            w.write(me, self.id, true);
            w.rec(me).acquired.push((self.id, blocking));
            w.event(me, op, self.id, 0, None);
        });
        SchedGuard {
            inner: Some(self.inner.lock().unwrap_or_else(|e| e.into_inner())),
            lock: &self.inner,
            id: self.id,
        }
    }
}

impl<T: Send + 'static> RtMutex<T> for SchedMutex<T> {
    type Guard<'a> = SchedGuard<'a, T>;
    fn new(v: T) -> Self {
        SchedMutex {
            inner: std::sync::Mutex::new(v),
            id: world::with(|w| w.object(Kind::Mutex, 0)),
        }
    }
    #[track_caller]
    fn lock(&self) -> SchedGuard<'_, T> {
        let me = world::point(Need::Lock(self.id), Some(world::Access::Write(self.id)));
        self.acquire(me, Op::Lock, true)
    }
    #[track_caller]
    fn try_lock(&self) -> Option<SchedGuard<'_, T>> {
        let me = world::point(Need::Any, Some(world::Access::Write(self.id)));
        let free = world::with(|w| w.objects[self.id].holder.is_none());
        if free {
            Some(self.acquire(me, Op::Lock, false))
        } else {
            world::with(|w| {
                w.read(me, self.id);
                w.event(me, Op::TryLockFail, self.id, 0, None);
            });
            None
        }
    }
}

/// A reader-writer lock decided by the scheduler.
pub struct SchedRwLock<T> {
    inner: std::sync::RwLock<T>,
    id: ObjId,
}

pub struct SchedReadGuard<'a, T> {
    inner: Option<std::sync::RwLockReadGuard<'a, T>>,
    id: ObjId,
}
pub struct SchedWriteGuard<'a, T> {
    inner: Option<std::sync::RwLockWriteGuard<'a, T>>,
    id: ObjId,
}

impl<T> Deref for SchedReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_ref().expect("guard is live")
    }
}
impl<T> Drop for SchedReadGuard<'_, T> {
    fn drop(&mut self) {
        if self.inner.take().is_some() {
            release(self.id, Op::ReadUnlock, true);
        }
    }
}
impl<T> Deref for SchedWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_ref().expect("guard is live")
    }
}
impl<T> DerefMut for SchedWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_mut().expect("guard is live")
    }
}
impl<T> Drop for SchedWriteGuard<'_, T> {
    fn drop(&mut self) {
        if self.inner.take().is_some() {
            release(self.id, Op::Unlock, false);
        }
    }
}

impl<T: Send + Sync + 'static> RtRwLock<T> for SchedRwLock<T> {
    type ReadGuard<'a> = SchedReadGuard<'a, T>;
    type WriteGuard<'a> = SchedWriteGuard<'a, T>;
    fn new(v: T) -> Self {
        SchedRwLock {
            inner: std::sync::RwLock::new(v),
            id: world::with(|w| w.object(Kind::RwLock, 0)),
        }
    }
    #[track_caller]
    fn read(&self) -> SchedReadGuard<'_, T> {
        // Taking a read lock changes the reader count, which a writer depends on; read
        // locks commute with each other, so it is a read of the lock.
        let me = world::point(Need::ReadLock(self.id), Some(world::Access::Read(self.id)));
        world::with(|w| {
            w.objects[self.id].readers += 1;
            w.objects[self.id].version += 1;
            w.read(me, self.id);
            w.rec(me).acquired.push((self.id, true));
            w.event(me, Op::ReadLock, self.id, 0, None);
        });
        SchedReadGuard {
            inner: Some(self.inner.read().unwrap_or_else(|e| e.into_inner())),
            id: self.id,
        }
    }
    #[track_caller]
    fn write(&self) -> SchedWriteGuard<'_, T> {
        let me = world::point(
            Need::WriteLock(self.id),
            Some(world::Access::Write(self.id)),
        );
        world::with(|w| {
            w.objects[self.id].holder = Some(me);
            w.write(me, self.id, true);
            w.rec(me).acquired.push((self.id, true));
            w.event(me, Op::Lock, self.id, 0, None);
        });
        SchedWriteGuard {
            inner: Some(self.inner.write().unwrap_or_else(|e| e.into_inner())),
            id: self.id,
        }
    }
}

/// A condition variable as std promises it: `notify_one` wakes *one* of the sleepers, and
/// which one is a decision of the schedule (by default the one that has slept longest);
/// with spurious wake-ups on (`world::with_spurious_wakeups`), a sleeper may also wake
/// without a notify, once per `wait` call and never in two calls in a row.
pub struct SchedCondvar {
    id: ObjId,
}

impl RtCondvar<Sched> for SchedCondvar {
    fn new() -> Self {
        SchedCondvar {
            id: world::with(|w| w.object(Kind::Condvar, 0)),
        }
    }
    #[track_caller]
    fn wait<'a, T: Send + 'static>(
        &self,
        mut guard: MutexGuard<'a, Sched, T>,
    ) -> MutexGuard<'a, Sched, T> {
        let mutex = guard.id;
        // Step 1: release the lock and go to sleep, in one visible operation.
        let me = world::point(Need::Any, Some(world::Access::Write(self.id)));
        drop(guard.inner.take()); // the real lock is free while this thread sleeps
        world::with(|w| {
            w.objects[mutex].holder = None;
            w.write(me, mutex, true);
            w.rec(me).released.push(mutex);
            w.event(me, Op::Unlock, mutex, 0, None);
            w.objects[self.id].sleepers.push_back(me);
            w.write(me, self.id, true);
            w.event(me, Op::Wait, self.id, 0, None);
            let spurious = w.spurious && me != MAIN;
            let th = w.thread_mut(me);
            th.notified = false;
            th.may_wake_spuriously = spurious && !th.woke_spuriously;
        });
        // Step 2: once notified and the lock is free, wake holding the lock again.
        let me = world::point(
            Need::Notified { cv: self.id, mutex },
            Some(world::Access::Write(mutex)),
        );
        world::with(|w| {
            let th = w.thread_mut(me);
            let spurious = !th.notified;
            th.notified = false;
            th.may_wake_spuriously = false;
            th.woke_spuriously = spurious;
            if spurious {
                w.objects[self.id].sleepers.retain(|&t| t != me);
            }
            // Waking touches the condvar (a notify, or leaving its sleepers) and the mutex.
            w.write(me, self.id, true);
            w.objects[mutex].holder = Some(me);
            w.write(me, mutex, true);
            w.rec(me).acquired.push((mutex, true));
            let op = if spurious { Op::Spurious } else { Op::Woken };
            w.event(me, op, self.id, 0, None);
            w.event(me, Op::Lock, mutex, 0, None);
        });
        guard.inner = Some(guard.lock.lock().unwrap_or_else(|e| e.into_inner()));
        guard
    }
    #[track_caller]
    fn notify_one(&self) {
        world::with(|w| {
            if let Some(me) = w.running {
                w.thread_mut(me).notify_one = Some(self.id);
            }
        });
        let me = world::point(Need::Any, Some(world::Access::Write(self.id)));
        world::with(|w| {
            w.thread_mut(me).notify_one = None;
            let sleepers = &mut w.objects[self.id].sleepers;
            let choice = sleepers.len() >= 2;
            let woken = match w.notify_choice.take() {
                Some(c) if sleepers.contains(&c) => {
                    sleepers.retain(|&t| t != c);
                    Some(c)
                }
                _ => sleepers.pop_front(),
            };
            if choice {
                w.rec(me).woke = woken;
            }
            if let Some(t) = woken {
                w.thread_mut(t).notified = true;
            }
            w.write(me, self.id, woken.is_some());
            w.event(me, Op::Notify, self.id, 0, None);
        })
    }
    #[track_caller]
    fn notify_all(&self) {
        let me = world::point(Need::Any, Some(world::Access::Write(self.id)));
        world::with(|w| {
            let woken: Vec<usize> = w.objects[self.id].sleepers.drain(..).collect();
            for &t in &woken {
                w.thread_mut(t).notified = true;
            }
            w.write(me, self.id, !woken.is_empty());
            w.event(me, Op::NotifyAll, self.id, 0, None);
        })
    }
}

#[derive(Clone)]
pub struct SchedSender {
    id: ObjId,
}
pub struct SchedReceiver {
    id: ObjId,
}

impl RtSender for SchedSender {
    #[track_caller]
    fn send(&self, v: u64) {
        let me = world::point(Need::Any, Some(world::Access::Write(self.id)));
        world::with(|w| {
            w.objects[self.id].queue.push_back(v);
            w.write(me, self.id, true);
            w.event(me, Op::Send, self.id, v, None);
        })
    }
}

impl RtReceiver for SchedReceiver {
    #[track_caller]
    fn recv(&self) -> u64 {
        let me = world::point(Need::Recv(self.id), Some(world::Access::Write(self.id)));
        world::with(|w| {
            let v = w.objects[self.id]
                .queue
                .pop_front()
                .expect("the scheduler lets a receiver go only when a message is queued");
            w.write(me, self.id, true);
            w.event(me, Op::Recv, self.id, v, None);
            v
        })
    }
}

/// A handle to a scheduled worker: its index, and the slot its result arrives in.
pub struct SchedJoin<T> {
    worker: usize,
    thread_obj: ObjId,
    slot: Arc<parking_lot::Mutex<Option<std::thread::Result<T>>>>,
}

impl Rt for Sched {
    const NAME: &'static str = "scheduled";
    type AtomicU64 = SchedAtomic<u64>;
    type AtomicUsize = SchedAtomic<usize>;
    type AtomicBool = SchedAtomic<bool>;
    type Cell = SchedCell;
    type Mutex<K: LockKind, T: Send + 'static> = SchedMutex<T>;
    type RwLock<T: Send + Sync + 'static> = SchedRwLock<T>;
    type Condvar = SchedCondvar;
    type Sender = SchedSender;
    type Receiver = SchedReceiver;
    type Join<T: Send + 'static> = SchedJoin<T>;
    type Gate = ();

    fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> SchedJoin<T> {
        let (worker, thread_obj) = world::with(|w| {
            let id = w.workers.len();
            w.workers.push(world::Thread::not_started());
            (id, w.object(Kind::Thread, 0))
        });
        let slot = Arc::new(parking_lot::Mutex::new(None));
        let out = slot.clone();
        exec::spawn(
            worker,
            Box::new(move || {
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
                *out.lock() = Some(r);
                world::try_with(|w| {
                    // A worker unwinding out of a torn-down run releases what it held.
                    for o in w.objects.iter_mut() {
                        if o.holder == Some(worker) {
                            o.holder = None;
                        }
                    }
                    w.write(worker, thread_obj, true);
                    w.workers[worker].status = world::Status::Finished;
                    w.running = None;
                });
            }),
        );
        SchedJoin {
            worker,
            thread_obj,
            slot,
        }
    }
    #[track_caller]
    fn join<T: Send + 'static>(h: SchedJoin<T>) -> T {
        let me = world::point(
            Need::Join(h.worker),
            Some(world::Access::Read(h.thread_obj)),
        );
        world::with(|w| w.read(me, h.thread_obj));
        match h.slot.lock().take() {
            Some(Ok(v)) => v,
            Some(Err(p)) => std::panic::resume_unwind(p),
            None => unreachable!("a joined worker has finished"),
        }
    }
    fn channel() -> (SchedSender, SchedReceiver) {
        let id = world::with(|w| w.object(Kind::Chan, 0));
        (SchedSender { id }, SchedReceiver { id })
    }
    fn gate(_: usize) {}
    fn wait(_: &()) {}
    #[track_caller]
    fn yield_now() {
        let (need, read) = world::with(|w| {
            let me = w.running.expect("a thread is running");
            w.event(me, Op::Yield, usize::MAX, 0, None);
            w.yield_need(me)
        });
        if world::with(|w| w.running) != Some(MAIN) {
            let me = world::point(need, None);
            // The step that resumes a yielder touches what it read before yielding: a write
            // to one of those is what woke it (the yield rule), so it depends on that write.
            world::with(|w| {
                let rec = w.rec(me);
                rec.accesses.extend(read.into_iter().map(Access::Read));
            });
        }
    }
    #[track_caller]
    fn spin_loop() {
        Self::yield_now()
    }
    fn fence(_: Ordering) {
        // Sequentially consistent already: a fence orders nothing more here.
    }
    fn window(_: u32) {}
    fn now() -> Option<std::time::Instant> {
        None
    }
}
