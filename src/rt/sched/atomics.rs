//! Atomics and the racy cell in the scheduled world: every access is a visible operation
//! (a decision point), and the value lives in the execution.

use super::world::{self, Kind, Need, ObjId};
use crate::rt::{AtomicValue, RtAtomic, RtAtomicInt, RtCell};
use crate::trace::Op;
use std::marker::PhantomData;
use std::sync::atomic::Ordering;

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
    fn compare_exchange_weak(&self, c: V, n: V, _: Ordering, _: Ordering) -> Result<V, V> {
        // Where the value is the expected one, failing spuriously is the step's choice
        // (std allows it on every call; here not twice in a row, so retry loops end).
        let expected = c.to_u64();
        world::with(|w| {
            if let Some(me) = w.running {
                w.thread_mut(me).weak_cas = Some((self.id, expected));
            }
        });
        let me = world::point(Need::Any, Some(world::Access::Write(self.id)));
        world::with(|w| {
            w.thread_mut(me).weak_cas = None;
            let old = w.objects[self.id].value;
            let choice = old == expected && !w.thread(me).failed_spuriously;
            let spurious = choice && w.notify_choice.take() == Some(world::CAS_FAILS_SPURIOUSLY);
            w.thread_mut(me).failed_spuriously = spurious;
            w.read(me, self.id);
            if choice {
                // Both versions of the step touch the location alike (a failed
                // store-conditional counts as a write of the same value), so that a
                // sleeping thread stands for both; the key tells them apart.
                w.rec(me).woke = Some(if spurious {
                    world::CAS_FAILS_SPURIOUSLY
                } else {
                    world::CAS_SUCCEEDS
                });
            }
            if spurious {
                w.write(me, self.id, false);
            }
            if old == expected && !spurious {
                w.objects[self.id].value = n.to_u64();
                w.write(me, self.id, n.to_u64() != old);
                w.event(me, Op::CasOk, self.id, old, Some(n.to_u64()));
                return Ok(V::from_u64(old));
            }
            let op = if spurious {
                Op::CasSpurious
            } else {
                Op::CasFail
            };
            w.event(me, op, self.id, old, None);
            Err(V::from_u64(old))
        })
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
            self.rmw(Op::FetchSub, |old| Some(old.wrapping_sub(v.to_u64())))
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
