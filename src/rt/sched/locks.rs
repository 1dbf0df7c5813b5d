//! Mutexes, rwlocks and condvars in the scheduled world: who waits and who gets the lock
//! is the scheduler's decision, never the OS's.

use super::world::{self, Access, Kind, Need, ObjId};
use super::Sched;
use crate::rt::{MutexGuard, RtCondvar, RtMutex, RtRwLock};
use crate::trace::{Op, MAIN};
use std::ops::{Deref, DerefMut};

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
