//! One scheduled execution: the kernel's main thread and its workers as stackful coroutines
//! (`coroutine.rs`) on the calling OS thread, stepped one visible operation at a time.
//!
//! [`Execution`] is the state machine every driver shares: `run` follows a schedule, PCT
//! picks by priorities, the exhaustive search replays prefixes and branches, and `play`
//! lets a person choose. Coroutines are pooled per OS thread, so a run costs no stack
//! allocation once the pool is warm.

use super::coroutine::{coroutine, recycle, Coroutine, Job, SPAWNED};
use super::world::{self, Aborted, Need, ObjId, Status, StepRec};
use crate::trace::{Event, MAIN};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

/// How an execution ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    /// The kernel returned.
    Finished,
    /// Every live thread is blocked on a lock, a channel, a condvar or a join: each entry
    /// is a blocked worker and what it waits for.
    Deadlock(Vec<(usize, String)>),
    /// Every live worker is spinning on values nobody will write any more, or live threads
    /// kept stepping without the kernel finishing until the run's step bound (`Execution`'s
    /// `max_steps`): each entry is a live worker and where it is.
    Livelock(Vec<(usize, String)>),
    /// The kernel (or a worker it joined) panicked.
    Panicked(String),
    /// The execution was torn down before it ended (a driver stopped stepping it).
    StepLimit,
}

/// One execution in progress.
pub struct Execution<T> {
    main: Option<Coroutine>,
    workers: Vec<Option<Coroutine>>,
    result: Arc<parking_lot::Mutex<Option<std::thread::Result<T>>>>,
    pub steps: u64,
    max_steps: u64,
    /// The worker that took the last step.
    pub last: Option<usize>,
    end: Option<End>,
    /// Every event so far, in order: each worker step, and each visible operation of
    /// main (for the exhaustive search; see [`Execution::keep_history`]).
    pub history: Vec<StepRec>,
    keep_history: bool,
    /// [`Execution::blocked_acquires`] at the moment the execution ended.
    blocked_at_end: Vec<(usize, ObjId, bool)>,
}

impl<T: Send + 'static> Execution<T> {
    /// Starts `kernel` as the main coroutine and runs it, and every worker it spawns, up to
    /// the first decision. `record` keeps the trace of events; `max_steps` bounds the run.
    pub fn start(
        threads: usize,
        record: bool,
        max_steps: u64,
        kernel: impl FnOnce() -> T + Send + 'static,
    ) -> Self {
        world::install(threads, record);
        let result = Arc::new(parking_lot::Mutex::new(None));
        let slot = result.clone();
        let job: Job = Box::new(move || {
            let r = std::panic::catch_unwind(AssertUnwindSafe(kernel));
            *slot.lock() = Some(r);
            world::try_with(|w| {
                w.main.status = Status::Finished;
                w.running = None;
            });
        });
        let mut ex = Execution {
            main: Some(coroutine()),
            workers: Vec::with_capacity(threads),
            result,
            steps: 0,
            max_steps,
            last: None,
            end: None,
            history: Vec::new(),
            keep_history: false,
            blocked_at_end: Vec::new(),
        };
        if let Some(m) = ex.main.as_mut() {
            m.start(job);
        }
        ex.settle();
        ex
    }

    /// Keeps, per step, who stepped and what it touched.
    pub fn keep_history(&mut self) {
        self.keep_history = true;
        // Main's operations before the first step (it creates the state and spawns).
        self.history
            .extend(world::with(|w| std::mem::take(&mut w.log)));
    }

    /// Runs main while it can proceed and starts every spawned worker up to its first
    /// decision point; then decides whether the execution has ended.
    fn settle(&mut self) {
        loop {
            let spawned = SPAWNED.with(|s| std::mem::take(&mut *s.borrow_mut()));
            if !spawned.is_empty() {
                for (id, job) in spawned {
                    let mut c = coroutine();
                    world::with(|w| {
                        w.running = Some(id);
                        w.workers[id].status = Status::Running;
                    });
                    c.start(job);
                    if self.workers.len() <= id {
                        self.workers.resize_with(id + 1, || None);
                    }
                    self.workers[id] = Some(c);
                }
                continue;
            }
            let main_can = world::with(|w| {
                let can = w.can_proceed(MAIN);
                if can {
                    w.running = Some(MAIN);
                    w.main.status = Status::Running;
                }
                can
            });
            if main_can {
                if let Some(m) = self.main.as_mut() {
                    m.resume();
                }
                continue;
            }
            break;
        }
        self.end = self.check_end();
        if self.end.is_some() {
            // What the threads waited for, before the tear-down unwinds them.
            self.blocked_at_end = self.blocked_now();
            // Unwinds whatever is still live: every thread of a deadlock or livelock, or
            // workers a finished kernel never joined.
            self.abort();
        }
    }

    fn check_end(&self) -> Option<End> {
        world::with(|w| {
            if w.main.status == Status::Finished {
                let panicked = match &*self.result.lock() {
                    Some(Err(p)) if !p.is::<Aborted>() => {
                        Some(crate::error::panic_message(p.as_ref()))
                    }
                    _ => None,
                };
                return Some(match panicked {
                    Some(m) => End::Panicked(m),
                    None => End::Finished,
                });
            }
            let live: Vec<usize> = (0..w.workers.len())
                .filter(|&t| w.workers[t].status != Status::Finished)
                .collect();
            // A spurious wake-up does not count: if nothing else can happen, it is a deadlock.
            if live.iter().any(|&t| w.can_proceed_strictly(t)) {
                if self.steps >= self.max_steps {
                    // Live threads kept stepping past the bound without the kernel ending.
                    return Some(End::Livelock(describe_waits(w, &live)));
                }
                return None;
            }
            let spinning = live
                .iter()
                .any(|&t| matches!(w.workers[t].status, Status::Waiting(Need::Changed(_))));
            let waits = describe_waits(w, &live);
            Some(if spinning {
                End::Livelock(waits)
            } else {
                End::Deadlock(waits)
            })
        })
    }

    /// The workers that can take the next step; empty once the execution has ended.
    pub fn enabled(&self) -> Vec<usize> {
        if self.end.is_some() {
            return Vec::new();
        }
        world::with(|w| (0..w.workers.len()).filter(|&t| w.can_proceed(t)).collect())
    }

    /// Whether worker `t` is waiting because it yielded (the default choice passes it over).
    pub fn yielded(&self, t: usize) -> bool {
        world::with(|w| {
            matches!(
                w.workers.get(t).map(|th| &th.status),
                Some(Status::Waiting(Need::Yielded))
            )
        })
    }

    /// Where in the source worker `t` waits: the kernel line of its pending operation.
    pub fn location(&self, t: usize) -> Option<&'static std::panic::Location<'static>> {
        world::with(|w| w.workers.get(t).and_then(|th| th.location))
    }

    /// Whether worker `t` has finished.
    pub fn finished(&self, t: usize) -> bool {
        world::with(|w| {
            w.workers
                .get(t)
                .is_some_and(|th| th.status == Status::Finished)
        })
    }

    /// What worker `t` waits for, if it is blocked ("A", "a notify on cv0", …).
    pub fn blocked_on(&self, t: usize) -> Option<String> {
        world::with(|w| {
            if w.can_proceed(t) || w.workers.get(t)?.status == Status::Finished {
                return None;
            }
            describe_waits(w, &[t]).pop().map(|(_, what)| what)
        })
    }

    /// The sleepers worker `t`'s next step may wake, when that step is a `notify_one` with
    /// two or more: which one wakes is then a decision ([`Execution::step_with`]).
    pub fn notify_options(&self, t: usize) -> Vec<usize> {
        world::with(|w| w.notify_options(t))
    }

    /// The workers waiting to acquire a lock (a mutex, an rwlock, or a notified condvar
    /// sleeper's mutex): worker, lock, and whether it asks for a shared (read) lock.
    pub fn blocked_acquires(&self) -> Vec<(usize, ObjId, bool)> {
        if self.end.is_some() {
            return self.blocked_at_end.clone();
        }
        self.blocked_now()
    }

    fn blocked_now(&self) -> Vec<(usize, ObjId, bool)> {
        world::with(|w| {
            (0..w.workers.len())
                .filter(|&t| !w.can_proceed(t))
                .filter_map(|t| match &w.workers[t].status {
                    Status::Waiting(Need::Lock(m) | Need::WriteLock(m)) => Some((t, *m, false)),
                    Status::Waiting(Need::ReadLock(m)) => Some((t, *m, true)),
                    Status::Waiting(Need::Notified { mutex, .. }) if w.workers[t].notified => {
                        Some((t, *mutex, false))
                    }
                    _ => None,
                })
                .collect()
        })
    }

    /// Runs worker `t` (which must be enabled) for one step: its pending operation, up to
    /// its next decision point; then main and any new workers as far as they go.
    pub fn step(&mut self, t: usize) {
        self.step_with(t, None)
    }

    /// As [`Execution::step`]; if the step is a `notify_one`, `waiter` (one of
    /// [`Execution::notify_options`]) is the sleeper it wakes.
    pub fn step_with(&mut self, t: usize, waiter: Option<usize>) {
        world::with(|w| {
            debug_assert!(w.can_proceed(t), "stepped a worker that cannot proceed");
            w.running = Some(t);
            w.workers[t].status = Status::Running;
            w.notify_choice = waiter;
            w.log.clear();
            w.rec(t);
        });
        if let Some(c) = self.workers[t].as_mut() {
            c.resume();
        }
        self.steps += 1;
        self.last = Some(t);
        self.settle();
        if self.keep_history {
            self.history
                .extend(world::with(|w| std::mem::take(&mut w.log)));
        }
    }

    /// How the execution ended, once it has.
    pub fn end(&self) -> Option<&End> {
        self.end.as_ref()
    }

    /// The events so far.
    pub fn events(&self) -> Vec<Event> {
        world::with(|w| w.events.clone())
    }

    /// The shared state now: each object's name and state.
    pub fn snapshot(&self) -> Vec<(String, String)> {
        world::with(|w| w.snapshot())
    }

    /// Ends the execution: the kernel's result (if it returned), the trace, how it ended.
    pub fn finish(mut self) -> (Option<T>, Vec<Event>, End) {
        if self.end.is_none() {
            self.end = Some(End::StepLimit);
            self.abort();
        }
        let end = self.end.take().unwrap_or(End::StepLimit);
        let result = match self.result.lock().take() {
            Some(Ok(v)) if end == End::Finished => Some(v),
            _ => None,
        };
        let world = world::uninstall();
        for c in self.workers.drain(..).flatten() {
            recycle(c);
        }
        if let Some(m) = self.main.take() {
            recycle(m);
        }
        (result, world.map(|w| w.events).unwrap_or_default(), end)
    }
}

impl<T> Execution<T> {
    /// Tears every unfinished coroutine down: each resumes, sees the execution aborting and
    /// unwinds (releasing what it holds), caught by its job.
    fn abort(&mut self) {
        world::with(|w| w.aborting = true);
        SPAWNED.with(|s| s.borrow_mut().clear());
        for t in 0..self.workers.len() {
            let unfinished = world::with(|w| w.workers[t].status != Status::Finished);
            if unfinished {
                world::with(|w| {
                    w.running = Some(t);
                    w.workers[t].status = Status::Running;
                });
                if let Some(c) = self.workers[t].as_mut() {
                    c.resume();
                }
            }
        }
        let main_unfinished = world::with(|w| w.main.status != Status::Finished);
        if main_unfinished {
            world::with(|w| {
                w.running = Some(MAIN);
                w.main.status = Status::Running;
            });
            if let Some(m) = self.main.as_mut() {
                m.resume();
            }
        }
    }
}

impl<T> Drop for Execution<T> {
    fn drop(&mut self) {
        // An execution dropped before `finish` (cut short by a search, or a driver that
        // panicked): unwind its coroutines so nothing they hold outlives it, give them back
        // to the pool, and free the thread for the next execution.
        if world::active() {
            self.abort();
            world::uninstall();
        }
        for c in self.workers.drain(..).flatten() {
            recycle(c);
        }
        if let Some(m) = self.main.take() {
            recycle(m);
        }
    }
}

fn describe_waits(w: &world::World, live: &[usize]) -> Vec<(usize, String)> {
    live.iter()
        .map(|&t| {
            let what = match &w.workers[t].status {
                Status::Waiting(Need::Lock(m) | Need::WriteLock(m) | Need::ReadLock(m)) => {
                    w.objects[*m].name.clone()
                }
                Status::Waiting(Need::Recv(c)) => w.objects[*c].name.clone(),
                Status::Waiting(Need::Notified { cv, mutex }) => {
                    if w.workers[t].notified {
                        w.objects[*mutex].name.clone()
                    } else {
                        format!("a notify on {}", w.objects[*cv].name)
                    }
                }
                Status::Waiting(Need::Join(j)) => crate::trace::thread_name(*j),
                Status::Waiting(Need::Changed(reads)) => {
                    let mut names: Vec<String> = reads
                        .iter()
                        .map(|(o, _)| w.objects[*o].name.clone())
                        .collect();
                    names.dedup();
                    format!("a change of {} (spinning)", names.join(", "))
                }
                Status::Waiting(Need::Yielded) => "its turn (yielding)".to_string(),
                _ => "nothing (it keeps running)".to_string(),
            };
            (t, what)
        })
        .collect()
}
