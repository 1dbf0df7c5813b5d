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
//! **Spin loops.** A `yield_now`/`spin_loop` ends an iteration. An iteration that changed
//! nothing (no store; read-modify-writes only of the value they read) and read what the
//! previous one read (a load: the same write; a read-modify-write: the same value) blocks
//! its thread for the rest of the run: running it again would do the same. A later write
//! revisits the blocked iteration's reads instead. A run that ends with a blocked thread
//! that could read something new is not an execution (it is *blocked*); one where no
//! blocked thread can is a LIVELOCK.

use super::axioms::Model;
use super::fast;
use super::graph::{write_part, Ev, Graph, Kind, Loc, Rmw, View};
use crate::rt::sched::coroutine::{coroutine, recycle, suspend, Coroutine, Job};
use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Unwinds a thread of a run that is being torn down.
pub(crate) struct Aborted;

/// The payload of a kernel's use of a primitive this world does not model.
#[derive(Debug)]
pub struct Uncovered(pub &'static str);

/// Refuses a primitive the rc11 world does not model.
pub(crate) fn uncovered(what: &'static str) -> ! {
    std::panic::resume_unwind(Box::new(Uncovered(what)))
}

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
    Join(usize),
    /// Blocked by the spin-loop rule for the rest of the run.
    Spinning,
    Finished,
}

/// What an iteration of a spin loop read: a load's source, or a read-modify-write's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seen {
    From(Loc, Ev),
    Value(Loc, u64),
}

#[derive(Default)]
struct Iteration {
    seen: Vec<Seen>,
    reads: Vec<Ev>,
    changed: bool,
    prev: Option<Vec<Seen>>,
    /// The reads of the iteration that blocked the thread.
    blocked_reads: Vec<Ev>,
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunEnd {
    /// Every thread finished.
    Finished,
    /// No thread can run, and no blocked spinner could read anything new: each entry is a
    /// worker (0-based) and what it waits for.
    Livelock(Vec<(usize, String)>),
    /// Threads kept adding events up to the run's bound.
    StepLimit,
    /// A spinner could still read something new: not an execution.
    Blocked,
    /// The graph became inconsistent (no consistent choice, or a read-modify-write that
    /// broke another's atomicity): not an execution.
    Dropped,
    /// A plain access raced with another access to the racy cell: the two, earlier first.
    DataRace(Ev, Ev),
    /// The kernel panicked (not an uncovered primitive).
    Panicked(String),
    /// The kernel used a primitive this world does not model.
    Uncovered(&'static str),
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
    fn create(&mut self, t: usize, v: u64, mask: u64, na: bool) -> Loc {
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
        }
        self.g.mask[loc] = mask;
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
                } if l == loc && r == rmw => {
                    let v = self.g.val(rf);
                    debug_assert_eq!(wrote, rmw.is_some_and(|op| op.apply(v, mask).is_some()));
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
        for &w in &self.g.mo[loc] {
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
            let mut g2 = self.g.clone();
            let e = g2.push(t, kind.clone(), false);
            if fast::consistent_with(&g2, e, self.model) {
                options.push((w, kind));
            }
        }
        if options.is_empty() {
            self.dropped = true;
            return (0, false);
        }
        let k = self.decide(options.len());
        if let Mode::Explore { pushed, .. } = &mut self.mode {
            for (_, kind) in &options[..options.len() - 1] {
                let mut g2 = self.g.clone();
                g2.push(t, kind.clone(), false);
                pushed.push(g2);
            }
        }
        let (w, kind) = options.swap_remove(k);
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
            let mut g2 = self.g.clone();
            let e = g2.push(t, kind.clone(), false);
            g2.place(e, Some(after));
            if fast::consistent_with(&g2, e, self.model) {
                options.push(after);
            }
        }
        if options.is_empty() {
            self.dropped = true;
            return;
        }
        let k = self.decide(options.len());
        if let Mode::Explore { reduced, .. } = self.mode {
            for &after in &options[..options.len() - 1] {
                let mut g2 = self.g.clone();
                let e = g2.push(t, kind.clone(), false);
                g2.place(e, Some(after));
                let mut more = revisits_of(&g2, e, self.model, reduced);
                if let Mode::Explore { pushed, .. } = &mut self.mode {
                    pushed.append(&mut more);
                    pushed.push(g2);
                }
            }
        }
        let after = options[k];
        let e = self.push_node(t, kind, true);
        self.g.place(e, Some(after));
        self.revisits(e);
        self.race_check(e);
    }

    /// A plain access racing with another access to its location (one of them a write, no
    /// happens-before either way) ends the run as a DATA RACE.
    fn race_check(&mut self, e: Ev) {
        let Some(loc) = self.g.loc(e) else { return };
        let plain = self.g.is_na(e);
        let others: Vec<Ev> = self
            .g
            .events()
            .filter(|&x| x != e && self.g.loc(x) == Some(loc))
            .filter(|&x| plain || self.g.is_na(x))
            .filter(|&x| self.g.is_write(x) || self.g.is_write(e))
            .collect();
        if others.is_empty() {
            return;
        }
        let Some(hb) = fast::happens_before(&self.g, self.model) else {
            return;
        };
        if let Some(&x) = others.iter().find(|&&x| !hb(x, e)) {
            self.race = Some((x, e));
            self.dropped = true;
        }
    }

    fn revisits(&mut self, w: Ev) {
        if let Mode::Explore { reduced, .. } = self.mode {
            let mut more = revisits_of(&self.g, w, self.model, reduced);
            if let Mode::Explore { pushed, .. } = &mut self.mode {
                pushed.append(&mut more);
            }
        }
    }

    /// Notes a read for the spin-loop rule.
    fn seen(&mut self, t: usize, r: Ev) {
        let (loc, rf, wrote) = match self.g.kind(r) {
            Kind::Read { loc, rf, wrote, .. } => (*loc, *rf, *wrote),
            _ => return,
        };
        let it = &mut self.iter[t];
        it.reads.push(r);
        if wrote {
            // A read-modify-write that wrote back what it read changed nothing (ops::rmw
            // notes one that did): what counts is the value.
            it.seen.push(Seen::Value(loc, self.g.val(rf)));
        } else {
            it.seen.push(Seen::From(loc, rf));
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

fn diverged(e: Ev, k: &Kind, what: &str) -> ! {
    panic!(
        "the kernel is not deterministic: thread {} event {} replayed as {what}, but the graph holds {k:?}",
        e.t, e.i
    )
}

/// The read event a read of `w` is: a failed compare_exchange reads with its failure ordering.
fn read_kind(g: &Graph, loc: Loc, ord: Ordering, w: Ev, rmw: Option<Rmw>, na: bool) -> Kind {
    let v = g.val(w);
    let wrote = rmw.is_some_and(|op| op.apply(v, g.mask[loc]).is_some());
    Kind::Read {
        loc,
        ord: rmw.map_or(ord, |r| r.read_ord(wrote)),
        rf: w,
        rmw,
        wrote,
        na,
    }
}

/// Every backward revisit new write `w` allows in `g`: for each earlier read of its
/// location that is not in `w`'s prefix, the graph in which that read reads from `w`,
/// with what was added after the read and is not in `w`'s prefix removed — when the removed
/// part was added maximally (TruSt's condition, as GenMC checks it), so that each graph is
/// reached once.
pub(crate) fn revisits_of(g: &Graph, w: Ev, model: Model, reduced: bool) -> Vec<Graph> {
    let loc = g.loc(w).expect("a write");
    let pw = g.prefix(w);
    let mut loads: Vec<Ev> = g
        .reads_of(loc)
        .filter(|&r| {
            let n = g.node(r);
            (!reduced || (n.revisitable && n.added_max)) && !pw.contains(r)
        })
        .collect();
    // A read-modify-write that took a write another one took: only reads added before that
    // other one's write part may be revisited.
    if let Some(rr) = g.rmw_read(w) {
        let rf = g.rf(rr).expect("a read part");
        let conflict = g
            .reads_of(loc)
            .filter(|&r| r != rr)
            .filter(|&r| matches!(g.kind(r), Kind::Read { rf: x, wrote: true, .. } if *x == rf))
            .filter_map(|r| g.th[r.t].get(r.i + 1).map(|n| n.stamp))
            .min();
        if let Some(s) = conflict.filter(|_| reduced) {
            loads.retain(|&r| g.node(r).stamp <= s);
        }
    }
    loads.sort_by_key(|&r| std::cmp::Reverse(g.node(r).stamp));
    let mut out = Vec::new();
    for r in loads {
        let mut v = g.preds_by_stamp(r);
        v.join(&pw);
        if reduced && !maximal(g, r, w, &v) {
            continue;
        }
        let mut g2 = g.restrict(&v);
        let (rloc, ord, rmw, na) = match g2.kind(r) {
            Kind::Read {
                loc, ord, rmw, na, ..
            } => (*loc, *ord, *rmw, *na),
            _ => unreachable!("a revisited event is a read"),
        };
        let kind = read_kind(&g2, rloc, ord, w, rmw, na);
        let max = g2.mo_max(rloc) == w;
        let n = g2.node_mut(r);
        n.kind = kind;
        n.added_max = max;
        for t in 0..pw.0.len().min(g2.th.len()) {
            for i in 0..pw.0[t].min(g2.th[t].len()) {
                g2.th[t][i].revisitable = !reduced;
            }
        }
        if fast::consistent_with(&g2, r, model) {
            out.push(g2);
        }
    }
    out
}

/// Whether the part of `g` a revisit of `r` by `w` removes (what is not in view `v`), and
/// `r` itself, were each added maximally: the read read the `mo`-latest write it could, the
/// write went last in `mo`, neither is `mo`-before something kept, and no removed read was
/// itself revisited by a removed write.
fn maximal(g: &Graph, r: Ev, w: Ev, v: &super::graph::View) -> bool {
    let loc = g.loc(w).expect("a write");
    if !g.is_rmw_write(w) {
        let p = g.mo_pos(w);
        if let Some(&s) = g.mo[loc].get(p + 1) {
            if !v.contains(s) {
                return false;
            }
        }
    }
    for e in g.events() {
        if e != r && v.contains(e) {
            continue;
        }
        let n = g.node(e);
        let x = match &n.kind {
            Kind::Read { rf, .. } => *rf,
            Kind::Write { .. } => e,
            _ => continue,
        };
        if !n.added_max {
            return false;
        }
        let l = g.loc(x).expect("a write");
        let p = g.mo_pos(x);
        if g.mo[l][p + 1..].iter().any(|&s| s != w && v.contains(s)) {
            return false;
        }
        if let Kind::Read { rf, .. } = &n.kind {
            if !v.contains(*rf) && g.node(*rf).stamp > n.stamp {
                return false;
            }
        }
    }
    true
}

/// What the kernel's operations call.
pub(crate) mod ops {
    use super::*;

    pub fn create(v: u64, mask: u64, na: bool) -> Loc {
        let t = point();
        with(|x| x.create(t, v, mask, na))
    }

    /// A load (`na`: a plain read of the racy cell).
    pub fn load(loc: Loc, ord: Ordering, na: bool) -> u64 {
        let t = point();
        let v = with(|x| x.read(t, loc, ord, None, na).0);
        check_dropped();
        v
    }

    /// A store (`na`: a plain write of the racy cell).
    pub fn store(loc: Loc, v: u64, ord: Ordering, na: bool) {
        let t = point();
        with(|x| {
            x.iter[t].changed = true;
            x.write(t, loc, write_part(ord), v, false, na)
        });
        check_dropped();
    }

    /// A read-modify-write; returns the value read and whether it wrote.
    pub fn rmw(loc: Loc, op: Rmw) -> (u64, bool) {
        let t = point();
        let (old, wrote) = with(|x| x.read(t, loc, op.ord, Some(op), false));
        check_dropped();
        if wrote {
            let w = write_part(op.ord);
            with(|x| {
                let mask = x.g.mask[loc];
                let new = op.apply(old, mask).expect("it writes");
                if new != old {
                    x.iter[t].changed = true;
                }
                x.write(t, loc, w, new, true, false)
            });
            check_dropped();
        }
        (old, wrote)
    }

    pub fn fence(ord: Ordering) {
        let t = point();
        with(|x| x.fence(t, ord));
    }

    /// The end of a spin-loop iteration.
    pub fn spin() {
        let t = point();
        let block = with(|x| {
            let it = &mut x.iter[t];
            let seen = std::mem::take(&mut it.seen);
            let reads = std::mem::take(&mut it.reads);
            let changed = std::mem::replace(&mut it.changed, false);
            if !changed && !seen.is_empty() && it.prev.as_ref() == Some(&seen) {
                it.blocked_reads = reads;
                x.status[t] = Status::Spinning;
                true
            } else {
                it.prev = (!changed).then_some(seen);
                false
            }
        });
        if block {
            park();
            unreachable!("a spinning thread is only resumed to be torn down");
        }
    }

    /// Starts a worker: returns its graph thread.
    pub fn spawn(job: Job) -> usize {
        let t = point();
        let c = with(|x| {
            x.spawned += 1;
            let c = x.spawned;
            if let Some(e) = x.replayed(t) {
                if !matches!(x.g.kind(e), Kind::Spawn(k) if *k == c) {
                    diverged(e, &x.g.kind(e).clone(), "a spawn");
                }
            } else {
                let e = x.push_node(t, Kind::Spawn(c), true);
                while x.g.th.len() <= c {
                    x.g.th.push(Vec::new());
                    x.g.parent.push(None);
                }
                x.g.parent[c] = Some(e);
            }
            while x.status.len() <= c {
                x.status.push(Status::NotStarted);
                x.pos.push(0);
                x.iter.push(Iteration::default());
            }
            c
        });
        JOBS.with(|j| {
            let mut j = j.borrow_mut();
            if j.len() <= c {
                j.resize_with(c + 1, || None);
            }
            j[c] = Some(job);
        });
        c
    }

    /// Waits for worker thread `c` to finish.
    pub fn join(c: usize) {
        let t = point();
        loop {
            let done = with(|x| {
                if x.status[c] == Status::Finished {
                    true
                } else {
                    x.status[t] = Status::Join(c);
                    false
                }
            });
            if done {
                break;
            }
            park();
        }
        with(|x| {
            if let Some(e) = x.replayed(t) {
                if !matches!(x.g.kind(e), Kind::Join(k) if *k == c) {
                    diverged(e, &x.g.kind(e).clone(), "a join");
                }
            } else {
                x.push_node(t, Kind::Join(c), true);
            }
        });
    }

    fn check_dropped() {
        if with(|x| x.dropped) {
            with(|x| {
                let t = x.running;
                x.status[t] = Status::Spinning;
            });
            park();
            unreachable!("a dropped run's threads are only resumed to be torn down");
        }
    }

    /// Marks the running thread finished (its job ended).
    pub fn finished() {
        EXEC.with(|x| {
            if let Some(x) = x.borrow_mut().as_mut() {
                let t = x.running;
                x.status[t] = Status::Finished;
            }
        });
    }
}

/// The result of one run: the graph as it ended, how it ended, the kernel's value.
pub(crate) struct Ran<O> {
    pub g: Graph,
    pub end: RunEnd,
    pub result: Option<O>,
    pub mode: Mode,
}

/// Runs `kernel` once over graph `g`.
pub(crate) fn run<O: Send + 'static>(
    g: Graph,
    mode: Mode,
    model: Model,
    max_events: u64,
    kernel: Arc<dyn Fn() -> O + Send + Sync>,
) -> Ran<O> {
    EXEC.with(|x| *x.borrow_mut() = Some(Exec::new(g, mode, model, max_events)));
    JOBS.with(|j| j.borrow_mut().clear());
    let slot: Arc<parking_lot::Mutex<Option<std::thread::Result<O>>>> =
        Arc::new(parking_lot::Mutex::new(None));
    let out = slot.clone();
    let main: Job = Box::new(move || {
        let r = std::panic::catch_unwind(AssertUnwindSafe(|| kernel()));
        *out.lock() = Some(r);
        ops::finished();
    });
    let mut coros: Vec<Option<Coroutine>> = vec![Some(coroutine())];
    if let Some(c) = coros[0].as_mut() {
        c.start(main);
    }
    loop {
        if with(|x| x.dropped) {
            break;
        }
        let pick = with(|x| {
            let runnable: Vec<usize> = (0..x.status.len())
                .filter(|&t| match x.status[t] {
                    Status::NotStarted | Status::Ready => true,
                    Status::Join(c) => x.status[c] == Status::Finished,
                    Status::Spinning | Status::Finished => false,
                })
                .collect();
            if runnable.is_empty() {
                return None;
            }
            let k = match x.mode {
                Mode::Explore { .. } | Mode::Values { .. } => 0,
                Mode::Brute { .. } => x.decide(runnable.len()),
            };
            let t = runnable[k];
            x.running = t;
            Some((t, x.status[t]))
        });
        let Some((t, st)) = pick else { break };
        if coros.len() <= t {
            coros.resize_with(t + 1, || None);
        }
        if st == Status::NotStarted {
            let job = JOBS
                .with(|j| j.borrow_mut()[t].take())
                .expect("a spawned job");
            with(|x| x.status[t] = Status::Ready);
            let mut c = coroutine();
            c.start(job);
            coros[t] = Some(c);
        } else if let Some(c) = coros[t].as_mut() {
            c.resume();
        }
    }
    // A race among events the run replayed (an alternative pushed with its racy access
    // already in place) shows in the whole graph.
    with(|x| {
        if x.race.is_none() {
            x.race = race_in(&x.g, x.model);
        }
    });
    // How it ended, before the tear-down marks every thread finished.
    let stuck = with(|x| (x.status[0] != Status::Finished).then(|| ended(x)));
    // Tear down whatever is still live.
    with(|x| x.aborting = true);
    for (t, c) in coros.iter_mut().enumerate() {
        let live = with(|x| !matches!(x.status[t], Status::Finished | Status::NotStarted));
        if live {
            if let Some(c) = c.as_mut() {
                with(|x| x.running = t);
                c.resume();
            }
        }
    }
    for c in coros.into_iter().flatten() {
        recycle(c);
    }
    JOBS.with(|j| j.borrow_mut().clear());
    let x = EXEC
        .with(|x| x.borrow_mut().take())
        .expect("the run's state");
    let result = slot.lock().take();
    let (end, value) = match result {
        Some(Ok(v)) => (RunEnd::Finished, Some(v)),
        Some(Err(p)) => {
            if let Some(u) = p.downcast_ref::<Uncovered>() {
                (RunEnd::Uncovered(u.0), None)
            } else if p.is::<Aborted>() {
                (stuck.unwrap_or(RunEnd::Dropped), None)
            } else {
                (
                    RunEnd::Panicked(crate::error::panic_message(p.as_ref())),
                    None,
                )
            }
        }
        None => (stuck.unwrap_or(RunEnd::Dropped), None),
    };
    let end = if let Some((a, b)) = x.race {
        RunEnd::DataRace(a, b)
    } else if x.dropped && x.added > x.max_events {
        RunEnd::StepLimit
    } else if x.dropped {
        RunEnd::Dropped
    } else {
        end
    };
    Ran {
        g: x.g,
        end,
        result: value,
        mode: x.mode,
    }
}

/// Two accesses of `g` that race: one plain, one a write, no happens-before either way.
fn race_in(g: &Graph, model: Model) -> Option<(Ev, Ev)> {
    let plain: Vec<Ev> = g.events().filter(|&e| g.is_na(e)).collect();
    if plain.is_empty() {
        return None;
    }
    let hb = fast::happens_before(g, model)?;
    for &b in &plain {
        let loc = g.loc(b);
        for a in g.events().filter(|&a| a != b && g.loc(a) == loc) {
            let conflict = g.is_write(a) || g.is_write(b);
            if conflict && !hb(a, b) && !hb(b, a) {
                let (x, y) = if g.node(a).stamp < g.node(b).stamp {
                    (a, b)
                } else {
                    (b, a)
                };
                return Some((x, y));
            }
        }
    }
    None
}

/// How a run that did not finish ended: blocked (a spinner could read something new) or a
/// livelock.
fn ended(x: &Exec) -> RunEnd {
    if x.dropped {
        return RunEnd::Dropped;
    }
    let g = &x.g;
    let mut waits = Vec::new();
    for t in 0..x.status.len() {
        match x.status[t] {
            Status::Spinning => {
                let could = x.iter[t].blocked_reads.iter().any(|&r| {
                    let rf = g.rf(r).expect("a read");
                    let loc = g.loc(r).expect("a read");
                    let v = g.val(rf);
                    let p = g.mo_pos(rf);
                    g.mo[loc][p + 1..].iter().any(|&w| g.val(w) != v)
                });
                if could {
                    return RunEnd::Blocked;
                }
                if t > 0 {
                    let what = x.iter[t]
                        .blocked_reads
                        .iter()
                        .map(|&r| format!("a{} = {}", g.loc(r).unwrap_or(0), g.val(r)))
                        .collect::<Vec<_>>()
                        .join(", ");
                    waits.push((t - 1, format!("spinning on {what}")));
                }
            }
            Status::Join(c) if t > 0 => waits.push((t - 1, format!("joining T{}", c - 1))),
            _ => {}
        }
    }
    RunEnd::Livelock(waits)
}
