//! The state of one scheduled execution: every shared object (its value, version, holder,
//! queue or waiters), every thread's status and what it waits for, and the trace.
//!
//! All coroutines of an execution run on one OS thread, so the state lives in a
//! thread-local for the execution's lifetime; the facade's types reach it through
//! [`with`]. A coroutine never holds the borrow across a switch.

mod parts;
pub use parts::{Access, Kind, Need, Obj, ObjId, Status, StepRec, Thread};

use crate::trace::{Event, Op, MAIN};
use std::cell::RefCell;
use std::collections::VecDeque;

/// The state of one execution.
pub struct World {
    pub objects: Vec<Obj>,
    pub workers: Vec<Thread>,
    pub main: Thread,
    /// Who is running now.
    pub running: Option<usize>,
    pub events: Vec<Event>,
    /// The events of the current step: the stepped worker's, then one per visible
    /// operation main performed after it (main is a thread of its own in the search).
    pub log: Vec<StepRec>,
    scratch: StepRec,
    /// Main passed a visible operation: its next access starts a new event.
    main_event_open: bool,
    /// The waiter the driver chose for the next `notify_one` (default: the longest sleeper).
    pub notify_choice: Option<usize>,
    /// Whether a waiter may wake without a notify (once per `wait` call; see `Need::Notified`).
    pub spurious: bool,
    /// `notify_one` always wakes the longest sleeper (see [`with_fifo_notify`]).
    fifo_notify: bool,
    /// Set when the execution is being torn down: every resumed coroutine unwinds.
    pub aborting: bool,
    pub record: bool,
    next_default_name: [u32; 7],
}

thread_local! {
    static WORLD: RefCell<Option<World>> = const { RefCell::new(None) };
    /// Whether executions started on this thread allow spurious wake-ups.
    static SPURIOUS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Whether `notify_one` always wakes the longest sleeper (no choice of waiter).
    static FIFO_NOTIFY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with `notify_one` waking the longest sleeper in every execution it starts on
/// this thread (no decision of which waiter): the rule of `play`, whose moves choose
/// threads only.
pub fn with_fifo_notify<R>(on: bool, f: impl FnOnce() -> R) -> R {
    with_setting(&FIFO_NOTIFY, on, f)
}

/// Whether executions started on this thread have `notify_one` wake the longest sleeper.
pub fn fifo_notify() -> bool {
    FIFO_NOTIFY.with(|s| s.get())
}

/// Runs `f` with spurious wake-ups allowed (or not) in every execution it starts on this
/// thread; the previous setting is restored afterwards, even if `f` panics.
pub fn with_spurious_wakeups<R>(on: bool, f: impl FnOnce() -> R) -> R {
    with_setting(&SPURIOUS, on, f)
}

/// Whether executions started on this thread now allow spurious wake-ups (the rc11 world
/// follows the same setting).
pub fn spurious_wakeups() -> bool {
    SPURIOUS.with(|s| s.get())
}

/// Runs `f` with a thread-local setting of the world set to `on`, restoring it afterwards
/// (even if `f` panics).
fn with_setting<R>(
    key: &'static std::thread::LocalKey<std::cell::Cell<bool>>,
    on: bool,
    f: impl FnOnce() -> R,
) -> R {
    struct Restore(&'static std::thread::LocalKey<std::cell::Cell<bool>>, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            self.0.with(|s| s.set(self.1));
        }
    }
    let _restore = Restore(key, key.with(|s| s.replace(on)));
    f()
}

/// The payload a coroutine unwinds with when its execution is torn down.
pub struct Aborted;

/// Runs `f` on the current execution's state.
pub fn with<R>(f: impl FnOnce(&mut World) -> R) -> R {
    WORLD.with(|w| {
        let mut w = w.borrow_mut();
        f(w.as_mut()
            .expect("the scheduled world is only used inside a scheduled execution"))
    })
}

/// As [`with`], doing nothing when no execution is in progress (a coroutine finishing while
/// its execution is torn down).
pub fn try_with(f: impl FnOnce(&mut World)) {
    WORLD.with(|w| {
        if let Some(w) = w.borrow_mut().as_mut() {
            f(w)
        }
    })
}

/// Whether an execution is in progress on this thread.
pub fn active() -> bool {
    WORLD.with(|w| w.borrow().is_some())
}

/// Installs a fresh world (refusing to nest executions on one thread).
pub fn install(threads: usize, record: bool) {
    WORLD.with(|w| {
        let mut w = w.borrow_mut();
        assert!(w.is_none(), "scheduled executions do not nest");
        *w = Some(World {
            objects: Vec::new(),
            workers: Vec::with_capacity(threads),
            main: Thread {
                status: Status::Running,
                ..Thread::new()
            },
            running: Some(MAIN),
            events: Vec::new(),
            log: Vec::new(),
            scratch: StepRec::default(),
            main_event_open: false,
            notify_choice: None,
            spurious: SPURIOUS.with(|s| s.get()),
            fifo_notify: FIFO_NOTIFY.with(|s| s.get()),
            aborting: false,
            record,
            next_default_name: [0; 7],
        })
    });
}

/// Removes the world.
pub fn uninstall() -> Option<World> {
    WORLD.with(|w| w.borrow_mut().take())
}

impl World {
    pub fn thread(&self, t: usize) -> &Thread {
        if t == MAIN {
            &self.main
        } else {
            &self.workers[t]
        }
    }
    pub fn thread_mut(&mut self, t: usize) -> &mut Thread {
        if t == MAIN {
            &mut self.main
        } else {
            &mut self.workers[t]
        }
    }

    /// Creates an object with the kind's default name (`a0`, `A`, `rw0`, `cv0`, `cell`, `chan`).
    pub fn object(&mut self, kind: Kind, value: u64) -> ObjId {
        let k = kind as usize;
        let n = self.next_default_name[k];
        self.next_default_name[k] += 1;
        let name = match kind {
            Kind::Atomic => format!("a{n}"),
            Kind::Cell => "cell".to_string(),
            Kind::Mutex => char::from(b'A' + (n % 26) as u8).to_string(),
            Kind::RwLock => format!("rw{n}"),
            Kind::Condvar => format!("cv{n}"),
            Kind::Chan => "chan".to_string(),
            Kind::Thread => format!("T{n}"),
        };
        self.objects.push(Obj {
            name,
            kind,
            version: 0,
            value,
            holder: None,
            readers: 0,
            queue: VecDeque::new(),
            sleepers: VecDeque::new(),
        });
        self.objects.len() - 1
    }

    /// Whether thread `t` could take its next step now.
    pub fn can_proceed(&self, t: usize) -> bool {
        let th = self.thread(t);
        match &th.status {
            Status::Waiting(need) => self.satisfied(need, th.notified || th.may_wake_spuriously),
            _ => false,
        }
    }

    /// As [`World::can_proceed`], not counting a spurious wake-up: when no live thread can
    /// proceed but by one, the run is a deadlock all the same.
    pub fn can_proceed_strictly(&self, t: usize) -> bool {
        let th = self.thread(t);
        match &th.status {
            Status::Waiting(need) => self.satisfied(need, th.notified),
            _ => false,
        }
    }

    /// The sleepers `notify_one` may wake when worker `t` takes its pending step, if that
    /// step is a `notify_one` with two or more (the waiter is then a decision).
    /// The choices within worker `t`'s next step, when it has any: the sleepers its
    /// `notify_one` may wake (two or more), or whether its `compare_exchange_weak`, which
    /// would succeed, fails spuriously ([`CAS_SUCCEEDS`], [`CAS_FAILS_SPURIOUSLY`]).
    pub fn notify_options(&self, t: usize) -> Vec<usize> {
        if let Some(th) = self.workers.get(t) {
            if let Some((o, expected)) = th.weak_cas {
                // A weak compare-exchange that would succeed may also fail spuriously.
                return if self.objects[o].value == expected && !th.failed_spuriously {
                    vec![CAS_SUCCEEDS, CAS_FAILS_SPURIOUSLY]
                } else {
                    Vec::new()
                };
            }
        }
        let Some(cv) = self.workers.get(t).and_then(|th| th.notify_one) else {
            return Vec::new();
        };
        if self.fifo_notify {
            return Vec::new();
        }
        let s: Vec<usize> = self.objects[cv].sleepers.iter().copied().collect();
        if s.len() >= 2 {
            s
        } else {
            Vec::new()
        }
    }

    pub fn satisfied(&self, need: &Need, notified: bool) -> bool {
        match need {
            Need::Any | Need::Yielded => true,
            Need::Lock(m) | Need::WriteLock(m) => {
                self.objects[*m].holder.is_none() && self.objects[*m].readers == 0
            }
            Need::ReadLock(m) => self.objects[*m].holder.is_none(),
            Need::Recv(c) => !self.objects[*c].queue.is_empty(),
            Need::Notified { mutex, .. } => notified && self.objects[*mutex].holder.is_none(),
            Need::Join(w) => self
                .workers
                .get(*w)
                .is_some_and(|t| t.status == Status::Finished),
            Need::Changed(reads) => reads.iter().any(|&(o, v)| self.objects[o].version != v),
        }
    }

    /// Records that thread `t` read object `o` (the yield rule and the dependency relation).
    pub fn read(&mut self, t: usize, o: ObjId) {
        let v = self.objects[o].version;
        self.rec(t).accesses.push(Access::Read(o));
        self.thread_mut(t).reads.push((o, v));
    }

    /// The event thread `t`'s accesses go to now. While the execution is torn down (its
    /// threads unwinding and releasing what they hold), nothing is an event: a scratch
    /// record outside the log.
    pub fn rec(&mut self, t: usize) -> &mut StepRec {
        if self.aborting {
            self.scratch = StepRec::default();
            return &mut self.scratch;
        }
        let fresh = match self.log.last() {
            Some(r) if r.thread == t => t == MAIN && !self.main_event_open,
            _ => true,
        };
        if fresh {
            self.log.push(StepRec {
                thread: t,
                ..StepRec::default()
            });
        }
        if t == MAIN {
            self.main_event_open = true;
        }
        self.log.last_mut().expect("just pushed")
    }

    /// Marks the start of main's next visible operation (a new event of main).
    pub fn main_point(&mut self) {
        self.main_event_open = false;
    }

    /// Records that thread `t` wrote object `o`; `changed` says its state really changed.
    pub fn write(&mut self, t: usize, o: ObjId, changed: bool) {
        self.rec(t).accesses.push(Access::Write(o));
        if changed {
            self.objects[o].version += 1;
            self.thread_mut(t).wrote = true;
        }
    }

    /// What a yield becomes under the yield rule: a wait for a change if the thread has
    /// only re-read values that are all still current since its last yield.
    /// Also returns the objects read since the last yield: the step that resumes the
    /// thread touches them (a write to one of them is what wakes it), whichever need it is.
    pub fn yield_need(&mut self, t: usize) -> (Need, Vec<ObjId>) {
        let th = self.thread_mut(t);
        let reads = std::mem::take(&mut th.reads);
        let wrote = std::mem::replace(&mut th.wrote, false);
        let mut objs: Vec<ObjId> = reads.iter().map(|&(o, _)| o).collect();
        objs.sort_unstable();
        objs.dedup();
        if wrote || reads.is_empty() {
            return (Need::Yielded, objs);
        }
        if reads.iter().all(|&(o, v)| self.objects[o].version == v) {
            (Need::Changed(reads), objs)
        } else {
            (Need::Yielded, objs)
        }
    }

    /// Appends an event of thread `t` to the trace (main's are not part of the story).
    pub fn event(&mut self, t: usize, op: Op, o: ObjId, value: u64, written: Option<u64>) {
        if self.record && t != MAIN {
            let object = self
                .objects
                .get(o)
                .map_or(String::new(), |ob| ob.name.clone());
            self.events.push(Event {
                written,
                ..Event::new(t, op, object, value)
            });
        }
    }

    /// An event with a source location (the racy cell's accesses).
    pub fn event_at(&mut self, t: usize, op: Op, o: ObjId, value: u64, location: String) {
        if self.record && t != MAIN {
            self.events.push(Event {
                location: Some(location),
                ..Event::new(t, op, self.objects[o].name.clone(), value)
            });
        }
    }

    /// The shared state as one line per object: values, holders, queues, sleepers.
    pub fn snapshot(&self) -> Vec<(String, String)> {
        self.objects
            .iter()
            .filter(|o| o.kind != Kind::Thread)
            .map(|o| {
                let v = match o.kind {
                    Kind::Atomic | Kind::Cell => o.value.to_string(),
                    Kind::Mutex | Kind::RwLock => match (o.holder, o.readers) {
                        (Some(h), _) => format!("held by {}", crate::trace::thread_name(h)),
                        (None, 0) => "free".to_string(),
                        (None, r) => format!("{r} readers"),
                    },
                    Kind::Chan => format!("{} queued", o.queue.len()),
                    Kind::Condvar => match o.sleepers.len() {
                        0 => "no sleepers".to_string(),
                        _ => format!(
                            "sleeping: {}",
                            o.sleepers
                                .iter()
                                .map(|&t| crate::trace::thread_name(t))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    },
                    Kind::Thread => String::new(),
                };
                (o.name.clone(), v)
            })
            .collect()
    }
}

/// Stops the calling thread before a visible operation until the scheduler lets it go.
///
/// A weak compare-exchange's choices ([`World::notify_options`]): it succeeds (the default,
/// first) or fails spuriously.
pub const CAS_SUCCEEDS: usize = 0;
pub const CAS_FAILS_SPURIOUSLY: usize = 1;

/// A worker always stops here (this is a decision point); main stops only if it cannot
/// proceed, so main adds no decision points. `pending` is the access the operation will
/// make. Unwinds with [`Aborted`] if the execution is torn down meanwhile.
#[track_caller]
pub fn point(need: Need, pending: Option<Access>) -> usize {
    let location = std::panic::Location::caller();
    let (me, must_wait) = with(|w| {
        let me = w.running.expect("a thread is running");
        let notified = w.thread(me).notified || w.thread(me).may_wake_spuriously;
        if me == MAIN {
            w.main_point();
        }
        let must_wait = me != MAIN || !w.satisfied(&need, notified);
        if must_wait {
            let th = w.thread_mut(me);
            th.status = Status::Waiting(need);
            th.pending = pending;
            th.location = Some(location);
            w.running = None;
        }
        (me, must_wait)
    });
    if must_wait {
        super::coroutine::suspend();
        if with(|w| w.aborting) {
            std::panic::resume_unwind(Box::new(Aborted));
        }
    }
    me
}
