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
//!
//! The parts: `world.rs` (the execution's state and the dependency relation), `exec.rs`
//! ([`Execution`], the state machine every driver steps; `coroutine.rs`, its coroutines),
//! `drive.rs` (the one loop that steps an execution, and the [`Chooser`] every driver is:
//! a schedule, PCT, the exhaustive searches, `play`'s moves), [`dpor`] (the exhaustive search),
//! `atomics.rs` and `locks.rs` (the primitives), and here channels, joins and the [`Rt`]
//! implementation.

mod atomics;
pub(in crate::rt) mod coroutine;
pub mod dpor;
mod drive;
mod exec;
mod locks;
pub mod pct;
pub mod synthetic;
#[cfg(test)]
mod tests;
mod world;

pub use atomics::{SchedAtomic, SchedCell};
pub use drive::{
    default_choice, drive, run, run_pct, run_quiet, step_limit, Chooser, SchedRun, STEP_BOUND,
};
pub use exec::{End, Execution};
pub use locks::{
    SchedCondvar, SchedGuard, SchedMutex, SchedReadGuard, SchedRwLock, SchedWriteGuard,
};
pub use pct::Pct;
pub use world::{
    fifo_notify, spurious_wakeups, with_fifo_notify, with_spurious_wakeups, Access, StepRec,
};

use super::{LockKind, Rt, RtReceiver, RtSender};
use crate::trace::{Op, MAIN};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use world::{Kind, Need, ObjId};

/// The scheduled world. See the module docs.
pub struct Sched;

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
        coroutine::spawn(
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
