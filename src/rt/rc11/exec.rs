//! One run of a kernel in the rc11 world: its threads as coroutines (the scheduled world's),
//! replaying a graph's events and adding new ones where the graph ends.
//!
//! Every operation of a kernel's thread lands here. If the graph already holds that
//! thread's next event, the operation replays it (a read returns the value of the write it
//! reads from in the graph); otherwise the event is new, and the [`Mode`] decides what it
//! reads from or where it goes in `mo` (the explorer takes the maximal choice and keeps the
//! others for later; the brute-force oracle follows a script of choices).
//!
//! Threads are graph threads: 0 is main, worker `w` is `w + 1`. Which thread adds the next
//! event is a function of the graph alone: in [`Mode::Explore`] the lowest-numbered thread
//! that can run runs until it finishes or must wait; in [`Mode::Brute`] every operation is
//! a decision of the script.
//!
//! The parts: `ops.rs` (what a kernel's operations call), `replay.rs` (the order a run
//! replays its graph in), `revisit.rs` (backward revisits and the maximality condition),
//! `run.rs` (one run, and how it ended: finished, blocked, a deadlock, a livelock, a data
//! race), `spin.rs` (the spin-loop rules, what a blocked read waits for, and the data-race
//! check).

use super::axioms::Model;
use super::fast;
use super::graph::{write_part, Ev, Graph, Kind, Loc, Obj, Rmw, RmwOp, SyncOp, View};
use crate::rt::sched::coroutine::{coroutine, recycle, suspend, Coroutine, Job};
use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::Ordering;
use std::sync::Arc;

pub(crate) mod ops;
mod replay;
mod revisit;
mod run;
mod spin;

use spin::Iteration;
pub(crate) use spin::Until;

use revisit::{read_kind, revisits_of};
pub(crate) use run::{run, Ran};

/// Unwinds a thread of a run that is being torn down.
pub(crate) struct Aborted;

/// How new events get their choices.
pub(crate) enum Mode {
    /// The explorer's: the maximal choice now; every other consistent choice, and every
    /// revisit a new write allows, goes to `pushed` as a graph to explore later. Not
    /// `reduced`: every revisit, maximal or not (the second oracle: complete, with repeats).
    Explore { pushed: Vec<Graph>, reduced: bool },
    /// The oracle's: choice `k` takes `script[k]` (0 past its end); every decision is kept
    /// as (taken, how many there were).
    Brute {
        script: Vec<usize>,
        taken: Vec<(usize, usize)>,
    },
    /// The litmus model's: thread `t`'s `k`-th new read returns `script[t][k]` (0 past its
    /// end), whatever the graph says; `read` keeps each read and the value it returned. No
    /// consistency is checked: the graph is a skeleton whose reads get their sources later.
    Values {
        script: Vec<Vec<u64>>,
        read: Vec<(Ev, u64)>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    NotStarted,
    /// At an operation (brute force), or runnable.
    Ready,
    /// Waiting to replay its next event until what that event reads from has been replayed,
    /// or (at a new event) until every thread has replayed the graph: a run replays the
    /// graph in an order that respects `po` and `rf`, so that what a kernel keeps outside
    /// the graph (the data a lock guards) is what the graph says it saw.
    Replay,
    Join(usize),
    /// Blocked for the rest of the run: by the spin-loop rule, or waiting in a lock, a
    /// condvar or a channel.
    Spinning,
    /// Repeated a spin-loop iteration that wrote (see `ops::spin`): runnable again once
    /// another thread has added an event (the count of events added when it stopped).
    Repeating(u64),
    Finished,
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunEnd {
    /// Every thread finished.
    Finished,
    /// No thread can run, and no blocked spinner could read anything new: each entry is a
    /// worker (0-based) and what it waits for.
    Livelock(Vec<(usize, String)>),
    /// Every live thread sleeps (in a lock, a condvar, a channel or a join) and nothing left
    /// in the graph could wake it: each entry is a worker (0-based, or `usize::MAX` for main)
    /// and what it waits for.
    Deadlock(Vec<(usize, String)>),
    /// Threads kept adding events up to the run's bound.
    StepLimit,
    /// A spinner could still read something new: not an execution.
    Blocked,
    /// The graph became inconsistent (no consistent choice, or a read-modify-write that
    /// broke another's atomicity): not an execution.
    Dropped,
    /// A plain access raced with another access to the racy cell: the two, earlier first.
    DataRace(Ev, Ev),
    /// The kernel panicked.
    Panicked(String),
}

pub(crate) struct Exec {
    pub g: Graph,
    pos: Vec<usize>,
    status: Vec<Status>,
    iter: Vec<Iteration>,
    running: usize,
    aborting: bool,
    pub dropped: bool,
    /// A data race: the earlier access and the one that raced with it.
    race: Option<(Ev, Ev)>,
    spawned: usize,
    locs: usize,
    pub mode: Mode,
    pub model: Model,
    added: u64,
    max_events: u64,
    /// Condvar waiters may wake without a notify (`sched::with_spurious_wakeups`).
    spurious: bool,
    /// Every live thread is repeating an iteration (see `ops::spin`): the run ends.
    looped: bool,
}

thread_local! {
    static EXEC: RefCell<Option<Exec>> = const { RefCell::new(None) };
    static JOBS: RefCell<Vec<Option<Job>>> = const { RefCell::new(Vec::new()) };
}

fn with<R>(f: impl FnOnce(&mut Exec) -> R) -> R {
    EXEC.with(|x| f(x.borrow_mut().as_mut().expect("inside an rc11 run")))
}

/// The running thread, after waiting for its turn (brute force: every operation is a
/// decision point).
fn point() -> usize {
    let brute = with(|x| {
        x.status[x.running] = Status::Ready;
        matches!(x.mode, Mode::Brute { .. })
    });
    if brute {
        park();
    }
    loop {
        let go = with(|x| {
            let t = x.running;
            let go = x.may_go(t);
            if !go {
                x.status[t] = Status::Replay;
            }
            go
        });
        if go {
            break;
        }
        park();
        with(|x| {
            let t = x.running;
            x.status[t] = Status::Ready;
        });
    }
    with(|x| x.running)
}

/// Suspends the running thread until the executor resumes it; unwinds if the run is torn down.
fn park() {
    suspend();
    if with(|x| x.aborting) {
        std::panic::resume_unwind(Box::new(Aborted));
    }
}

impl Exec {
    fn new(g: Graph, mode: Mode, model: Model, max_events: u64) -> Self {
        Exec {
            g,
            pos: vec![0],
            status: vec![Status::Ready],
            iter: vec![Iteration::default()],
            running: 0,
            aborting: false,
            dropped: false,
            race: None,
            spawned: 0,
            locs: 0,
            mode,
            model,
            added: 0,
            max_events,
            spurious: crate::rt::sched::spurious_wakeups(),
            looped: false,
        }
    }

    /// The next event of thread `t`, if the graph already holds it.
    fn replayed(&mut self, t: usize) -> Option<Ev> {
        let i = self.pos[t];
        self.pos[t] += 1;
        (i < self.g.th.get(t).map_or(0, Vec::len)).then_some(Ev { t, i })
    }

    /// The `porf`-prefix of what comes before new event `e` of its thread.
    fn before(&self, e: Ev) -> View {
        let prev = if e.i > 0 {
            Some(Ev { t: e.t, i: e.i - 1 })
        } else {
            self.g.parent.get(e.t).copied().flatten()
        };
        prev.map_or_else(|| View(Vec::new()), |p| self.g.prefix(p))
    }

    /// A decision among `n` options: the script's (brute force).
    fn decide(&mut self, n: usize) -> usize {
        match &mut self.mode {
            Mode::Brute { script, taken } => {
                let k = script.get(taken.len()).copied().unwrap_or(0).min(n - 1);
                taken.push((k, n));
                k
            }
            Mode::Explore { .. } | Mode::Values { .. } => n - 1,
        }
    }

    fn count(&mut self) {
        self.added += 1;
        if self.added > self.max_events {
            self.dropped = true;
        }
    }

    fn push_node(&mut self, t: usize, kind: Kind, added_max: bool) -> Ev {
        self.count();
        self.g.push(t, kind, added_max)
    }

    /// A new location created by thread `t` with value `v`.
    fn create(&mut self, t: usize, v: u64, mask: u64, obj: Obj) -> Loc {
        let na = obj == Obj::Cell;
        if let Some(e) = self.replayed(t) {
            match self.g.kind(e) {
                Kind::Write {
                    loc, init: true, ..
                } => {
                    self.locs = self.locs.max(loc + 1);
                    return *loc;
                }
                k => diverged(e, k, "the creation of an atomic"),
            }
        }
        let loc = self.locs;
        self.locs += 1;
        if self.g.mo.len() <= loc {
            self.g.mo.resize(loc + 1, Vec::new());
            self.g.mask.resize(loc + 1, u64::MAX);
            self.g.obj.resize(loc + 1, Obj::Atomic);
        }
        self.g.mask[loc] = mask;
        self.g.obj[loc] = obj;
        let e = self.push_node(
            t,
            Kind::Write {
                loc,
                ord: Ordering::Relaxed,
                val: v & mask,
                rmw: false,
                init: true,
                na,
            },
            true,
        );
        self.g.place(e, None);
        loc
    }

    /// A load, or the read part of a read-modify-write; returns the value read and whether
    /// the operation writes.
    fn read(
        &mut self,
        t: usize,
        loc: Loc,
        ord: Ordering,
        rmw: Option<Rmw>,
        na: bool,
    ) -> (u64, bool) {
        let mask = self.g.mask[loc];
        if let Some(e) = self.replayed(t) {
            return match self.g.kind(e).clone() {
                Kind::Read {
                    loc: l,
                    rf,
                    wrote,
                    rmw: r,
                    ..
                } if l == loc && same_op(r, rmw) => {
                    let v = self.g.val(rf);
                    debug_assert_eq!(wrote, r.is_some_and(|op| op.apply(v, mask).is_some()));
                    self.seen(t, e);
                    (v, wrote)
                }
                k => diverged(e, &k, "a read"),
            };
        }
        let e = Ev {
            t,
            i: self.g.th[t].len(),
        };
        if let Mode::Values { script, read } = &mut self.mode {
            let k = read.iter().filter(|(r, _)| r.t == t).count();
            let v = script.get(t).and_then(|s| s.get(k)).copied().unwrap_or(0) & mask;
            read.push((e, v));
            let init = self.g.mo[loc][0];
            let wrote = rmw.is_some_and(|op| op.apply(v, mask).is_some());
            let kind = Kind::Read {
                loc,
                ord: rmw.map_or(ord, |r| r.read_ord(wrote)),
                rf: init,
                rmw,
                wrote,
                na,
            };
            self.push_node(t, kind, true);
            return (v, wrote);
        }
        let prefix = rmw.map(|_| self.before(e));
        let mut options = Vec::new();
        let sources: Vec<(Ev, Option<Rmw>)> = self.g.mo[loc]
            .iter()
            .flat_map(|&w| {
                variants(rmw, self.g.val(w))
                    .into_iter()
                    .map(move |r| (w, r))
            })
            .collect();
        for (w, rmw) in sources {
            let kind = read_kind(&self.g, loc, ord, w, rmw, na);
            let wrote = matches!(kind, Kind::Read { wrote: true, .. });
            if wrote {
                // A write another read-modify-write already took: allowed only while that
                // one may still be revisited (its atomicity is then repaired by a revisit).
                let settled = self.g.reads_of(loc).any(|r| {
                    matches!(self.g.kind(r), Kind::Read { rf, wrote: true, .. } if *rf == w)
                        && (!self.g.node(r).revisitable
                            || prefix.as_ref().is_some_and(|p| p.contains(r)))
                });
                if settled {
                    continue;
                }
            }
            // The graph with this choice, as the explorer keeps it for later (not maximal).
            let mut g2 = self.g.clone();
            let e = g2.push(t, kind.clone(), false);
            if fast::consistent_with(&g2, e, self.model) {
                options.push((w, kind, g2));
            }
        }
        if options.is_empty() {
            self.dropped = true;
            return (0, false);
        }
        let k = self.decide(options.len());
        let (w, kind, _) = options.swap_remove(k);
        if let Mode::Explore { pushed, .. } = &mut self.mode {
            pushed.extend(options.into_iter().map(|(_, _, g2)| g2));
        }
        let wrote = matches!(kind, Kind::Read { wrote: true, .. });
        let e = self.push_node(t, kind, true);
        self.seen(t, e);
        self.race_check(e);
        (self.g.val(w), wrote)
    }

    /// A store, or the write part of a read-modify-write (right after its read part's
    /// source in `mo`).
    fn write(&mut self, t: usize, loc: Loc, ord: Ordering, v: u64, rmw: bool, na: bool) {
        let v = v & self.g.mask[loc];
        if let Some(e) = self.replayed(t) {
            match self.g.kind(e) {
                Kind::Write {
                    loc: l,
                    val,
                    rmw: r,
                    ..
                } if *l == loc && *val == v && *r == rmw => {}
                k => diverged(e, &k.clone(), "a write"),
            }
            return;
        }
        let kind = Kind::Write {
            loc,
            ord,
            val: v,
            rmw,
            init: false,
            na,
        };
        if let Mode::Values { .. } = self.mode {
            let e = self.push_node(t, kind, true);
            let last = self.g.mo[loc].last().copied();
            self.g.place(e, last);
            return;
        }
        if rmw {
            let read = Ev {
                t,
                i: self.g.th[t].len() - 1,
            };
            let rf = self.g.rf(read).expect("a write part follows its read part");
            let e = self.push_node(t, kind, true);
            self.g.place(e, Some(rf));
            let ok_but_atomicity = fast::consistent_with_but_atomicity(&self.g, e, self.model);
            if ok_but_atomicity {
                self.revisits(e);
            }
            if !ok_but_atomicity || !fast::consistent_with(&self.g, e, self.model) {
                self.dropped = true;
            }
            return;
        }
        let mut options = Vec::new();
        for &after in &self.g.mo[loc] {
            // The graph with this place, as the explorer keeps it for later (not maximal).
            let mut g2 = self.g.clone();
            let e = g2.push(t, kind.clone(), false);
            g2.place(e, Some(after));
            if fast::consistent_with(&g2, e, self.model) {
                options.push((after, e, g2));
            }
        }
        if options.is_empty() {
            self.dropped = true;
            return;
        }
        let k = self.decide(options.len());
        let (after, _, _) = options.swap_remove(k);
        if let Mode::Explore { pushed, reduced } = &mut self.mode {
            for (_, e, g2) in options {
                pushed.extend(revisits_of(&g2, e, self.model, *reduced));
                pushed.push(g2);
            }
        }
        let e = self.push_node(t, kind, true);
        self.g.place(e, Some(after));
        self.revisits(e);
        self.race_check(e);
    }

    fn revisits(&mut self, w: Ev) {
        if let Mode::Explore { pushed, reduced } = &mut self.mode {
            pushed.extend(revisits_of(&self.g, w, self.model, *reduced));
        }
    }

    fn fence(&mut self, t: usize, ord: Ordering) {
        if let Some(e) = self.replayed(t) {
            if !matches!(self.g.kind(e), Kind::Fence(o) if *o == ord) {
                diverged(e, &self.g.kind(e).clone(), "a fence");
            }
            return;
        }
        self.push_node(t, Kind::Fence(ord), true);
    }
}

/// The versions of read-modify-write `rmw` a read of `old` may be: one, except a condvar
/// wake-up that may be spurious and finds no token — it may wake anyway or sleep on, and
/// both are explored (std allows a spurious wake-up, it never promises one).
fn variants(rmw: Option<Rmw>, old: u64) -> Vec<Option<Rmw>> {
    match rmw {
        Some(
            r @ Rmw {
                op:
                    RmwOp::Sync(SyncOp::Wake {
                        epoch,
                        spurious: true,
                    }),
                ..
            },
        ) => {
            let sleep_on = Rmw {
                op: RmwOp::Sync(SyncOp::Wake {
                    epoch,
                    spurious: false,
                }),
                ..r
            };
            // Sleeping on is the maximal choice (last): the one a notify's write revisits.
            if SyncOp::woke_spuriously(epoch, old) {
                vec![Some(r), Some(sleep_on)]
            } else {
                vec![Some(sleep_on)]
            }
        }
        // A weak compare-exchange that may fail spuriously and reads the expected value:
        // it fails spuriously or succeeds — succeeding is the maximal choice (last), the
        // one a later write revisits. Reading anything else it fails, and not spuriously.
        Some(
            r @ Rmw {
                op:
                    RmwOp::CasWeak {
                        expected,
                        new,
                        may: true,
                        ..
                    },
                ..
            },
        ) if old == expected => {
            let with = |spurious| Rmw {
                op: RmwOp::CasWeak {
                    expected,
                    new,
                    may: true,
                    spurious,
                },
                ..r
            };
            vec![Some(with(true)), Some(with(false))]
        }
        Some(
            r @ Rmw {
                op: RmwOp::CasWeak { .. },
                ..
            },
        ) => vec![Some(r.as_written())],
        r => vec![r],
    }
}

/// Whether a replayed read-modify-write is the one the kernel asks for (a wake-up's
/// spurious choice is the graph's to say).
fn same_op(graph: Option<Rmw>, asked: Option<Rmw>) -> bool {
    let plain = |r: Option<Rmw>| {
        r.map(|r| match r.op {
            RmwOp::CasWeak { .. } => r.as_written(),
            RmwOp::Sync(SyncOp::Wake { epoch, .. }) => Rmw {
                op: RmwOp::Sync(SyncOp::Wake {
                    epoch,
                    spurious: false,
                }),
                ..r
            },
            _ => r,
        })
    };
    plain(graph) == plain(asked)
}

fn diverged(e: Ev, k: &Kind, what: &str) -> ! {
    panic!(
        "the kernel is not deterministic: thread {} event {} replayed as {what}, but the graph holds {k:?}",
        e.t, e.i
    )
}
