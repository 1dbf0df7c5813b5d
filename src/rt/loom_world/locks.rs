//! Mutexes, rwlocks and condvars in the loom world: loom's own, each operation recorded in
//! the execution's trace (and what a blocked thread waits for, for a deadlock's report).

use super::*;

/// A loom mutex that records lock, unlock, and what a blocked thread waits for.
pub struct LoomMutex<T> {
    inner: loom::sync::Mutex<T>,
    name: String,
}

pub struct LoomGuard<'a, T> {
    /// `None` only while a condvar wait holds the inner guard.
    inner: Option<loom::sync::MutexGuard<'a, T>>,
    name: &'a str,
}

impl<T> Deref for LoomGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_ref().expect("guard is live")
    }
}
impl<T> DerefMut for LoomGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_mut().expect("guard is live")
    }
}
impl<T> Drop for LoomGuard<'_, T> {
    fn drop(&mut self) {
        if self.inner.is_some() && !std::thread::panicking() {
            push(Op::Unlock, self.name, 0);
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
        push(Op::Lock, &self.name, 0);
        LoomGuard {
            inner: Some(inner),
            name: &self.name,
        }
    }
    fn try_lock(&self) -> Option<LoomGuard<'_, T>> {
        match self.inner.try_lock() {
            Ok(inner) => {
                push(Op::Lock, &self.name, 0);
                Some(LoomGuard {
                    inner: Some(inner),
                    name: &self.name,
                })
            }
            Err(std::sync::TryLockError::Poisoned(e)) => {
                push(Op::Lock, &self.name, 0);
                Some(LoomGuard {
                    inner: Some(e.into_inner()),
                    name: &self.name,
                })
            }
            Err(std::sync::TryLockError::WouldBlock) => {
                push(Op::TryLockFail, &self.name, 0);
                None
            }
        }
    }
}

/// loom's reader-writer lock, recorded.
pub struct LoomRwLock<T> {
    inner: loom::sync::RwLock<T>,
    name: String,
}

/// A recorded guard: `op` is pushed when it is dropped.
pub struct Recorded<'a, G> {
    inner: G,
    name: &'a str,
    op: Op,
}

impl<G: Deref> Deref for Recorded<'_, G> {
    type Target = G::Target;
    fn deref(&self) -> &G::Target {
        &self.inner
    }
}
impl<G: DerefMut> DerefMut for Recorded<'_, G> {
    fn deref_mut(&mut self) -> &mut G::Target {
        &mut self.inner
    }
}
impl<G> Drop for Recorded<'_, G> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            push(self.op, self.name, 0);
        }
    }
}

impl<T: Send + Sync + 'static> RtRwLock<T> for LoomRwLock<T> {
    type ReadGuard<'a> = Recorded<'a, loom::sync::RwLockReadGuard<'a, T>>;
    type WriteGuard<'a> = Recorded<'a, loom::sync::RwLockWriteGuard<'a, T>>;
    fn new(v: T) -> Self {
        LoomRwLock {
            inner: loom::sync::RwLock::new(v),
            name: other_name("rw"),
        }
    }
    fn read(&self) -> Self::ReadGuard<'_> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        push(Op::ReadLock, &self.name, 0);
        Recorded {
            inner,
            name: &self.name,
            op: Op::ReadUnlock,
        }
    }
    fn write(&self) -> Self::WriteGuard<'_> {
        let inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        push(Op::Lock, &self.name, 0);
        Recorded {
            inner,
            name: &self.name,
            op: Op::Unlock,
        }
    }
}

/// loom's condition variable, recorded as `unlock M, wait cv … woken cv, lock M`.
pub struct LoomCondvar {
    inner: loom::sync::Condvar,
    name: String,
}

impl RtCondvar<Loom> for LoomCondvar {
    fn new() -> Self {
        LoomCondvar {
            inner: loom::sync::Condvar::new(),
            name: other_name("cv"),
        }
    }
    fn wait<'a, T: Send + 'static>(
        &self,
        mut guard: MutexGuard<'a, Loom, T>,
    ) -> MutexGuard<'a, Loom, T> {
        let inner = guard.inner.take().expect("guard is live");
        push(Op::Unlock, guard.name, 0);
        push(Op::Wait, &self.name, 0);
        let t = me();
        REC.with(|r| r.borrow_mut().waiting.push((t, self.name.clone())));
        let inner = self.inner.wait(inner).unwrap_or_else(|e| e.into_inner());
        REC.with(|r| r.borrow_mut().waiting.retain(|(w, _)| *w != t));
        push(Op::Woken, &self.name, 0);
        push(Op::Lock, guard.name, 0);
        guard.inner = Some(inner);
        guard
    }
    fn notify_one(&self) {
        push(Op::Notify, &self.name, 0);
        self.inner.notify_one()
    }
    fn notify_all(&self) {
        push(Op::NotifyAll, &self.name, 0);
        self.inner.notify_all()
    }
}
