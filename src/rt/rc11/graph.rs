//! An execution graph: each thread's events in program order (`po`), which write each read
//! read from (`rf`), and each location's modification order (`mo`). Thread 0 is main; a
//! spawn in one thread's `po` comes before everything the child does, and a join after it.
//!
//! A read-modify-write is two events, as in GenMC: its read part (a [`Kind::Read`] that knows
//! the operation, [`Rmw`]) and, when it wrote, its write part right after it in `po`, which
//! must come right after the read part's source in `mo` (atomicity).

use std::sync::atomic::Ordering;

pub use super::rmw::{CvState, Rmw, RmwOp, SyncOp, HELD, MAX_TOKENS};

/// A memory location (an atomic, numbered in creation order).
pub type Loc = usize;

/// An event: thread `t`'s `i`-th.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ev {
    pub t: usize,
    pub i: usize,
}

/// Graph thread `t` as the lab's traces number threads: main is [`crate::trace::MAIN`],
/// worker `w` (graph thread `w + 1`) is `w`.
pub fn trace_thread(t: usize) -> usize {
    if t == 0 {
        crate::trace::MAIN
    } else {
        t - 1
    }
}

/// What a location is: the kind of the object the kernel created it for (names in traces).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Obj {
    #[default]
    Atomic,
    /// The racy cell (plain accesses).
    Cell,
    Mutex,
    RwLock,
    Condvar,
    Channel,
}

/// What an event does.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A load, or the read part of a read-modify-write (`rmw`), reading from `rf`. `wrote`:
    /// the read-modify-write wrote (its write part follows in `po`).
    Read {
        loc: Loc,
        ord: Ordering,
        rf: Ev,
        rmw: Option<Rmw>,
        wrote: bool,
        /// A plain (non-atomic) read: of the racy cell.
        na: bool,
    },
    /// A store, the write part of a read-modify-write (`rmw`), or the creation of an atomic
    /// (`init`: first in `mo`).
    Write {
        loc: Loc,
        ord: Ordering,
        val: u64,
        rmw: bool,
        init: bool,
        /// A plain (non-atomic) write: of the racy cell.
        na: bool,
    },
    Fence(Ordering),
    /// Starts thread `child`: everything it does comes after this.
    Spawn(usize),
    /// Waits for thread `child` to finish: everything it did comes before this.
    Join(usize),
}

/// An event in a graph, with what the exploration knows about how it got there.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Node {
    pub kind: Kind,
    /// When it was added (revisits keep the stamps of what they keep).
    pub stamp: u64,
    /// Whether it was added with its maximal choice (a read of the `mo`-latest write it
    /// could read, a write placed last in `mo`): the exploration's canonical path.
    pub added_max: bool,
    /// Whether a later write may still revisit it (false once it is in the prefix of a
    /// write that revisited a read).
    pub revisitable: bool,
}

/// An execution graph.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// Each thread's events, in program order; thread 0 is main.
    pub th: Vec<Vec<Node>>,
    /// Each thread's spawn event (none for main).
    pub parent: Vec<Option<Ev>>,
    /// Each location's writes in modification order (its creation first).
    pub mo: Vec<Vec<Ev>>,
    /// The value mask of each location (`bool` atomics hold 0 or 1, the rest 64 bits).
    pub mask: Vec<u64>,
    /// What each location is.
    pub obj: Vec<Obj>,
    pub next_stamp: u64,
}

impl Graph {
    pub fn new() -> Self {
        Graph {
            th: vec![Vec::new()],
            parent: vec![None],
            ..Graph::default()
        }
    }

    pub fn node(&self, e: Ev) -> &Node {
        &self.th[e.t][e.i]
    }

    pub fn node_mut(&mut self, e: Ev) -> &mut Node {
        &mut self.th[e.t][e.i]
    }

    pub fn kind(&self, e: Ev) -> &Kind {
        &self.node(e).kind
    }

    pub fn events(&self) -> impl Iterator<Item = Ev> + '_ {
        self.th
            .iter()
            .enumerate()
            .flat_map(|(t, v)| (0..v.len()).map(move |i| Ev { t, i }))
    }

    pub fn len(&self) -> usize {
        self.th.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends `kind` to thread `t` with the next stamp.
    pub fn push(&mut self, t: usize, kind: Kind, added_max: bool) -> Ev {
        while self.th.len() <= t {
            self.th.push(Vec::new());
            self.parent.push(None);
        }
        let stamp = self.next_stamp;
        self.next_stamp += 1;
        self.th[t].push(Node {
            kind,
            stamp,
            added_max,
            revisitable: true,
        });
        Ev {
            t,
            i: self.th[t].len() - 1,
        }
    }

    /// The location an event accesses, if it is a read or a write.
    pub fn loc(&self, e: Ev) -> Option<Loc> {
        match self.kind(e) {
            Kind::Read { loc, .. } | Kind::Write { loc, .. } => Some(*loc),
            _ => None,
        }
    }

    pub fn is_read(&self, e: Ev) -> bool {
        matches!(self.kind(e), Kind::Read { .. })
    }

    pub fn is_write(&self, e: Ev) -> bool {
        matches!(self.kind(e), Kind::Write { .. })
    }

    /// The write a read reads from.
    pub fn rf(&self, e: Ev) -> Option<Ev> {
        match self.kind(e) {
            Kind::Read { rf, .. } => Some(*rf),
            _ => None,
        }
    }

    /// The value a write wrote (or a read read).
    pub fn val(&self, e: Ev) -> u64 {
        match self.kind(e) {
            Kind::Write { val, .. } => *val,
            Kind::Read { rf, .. } => self.val(*rf),
            _ => 0,
        }
    }

    pub fn ord(&self, e: Ev) -> Option<Ordering> {
        match self.kind(e) {
            Kind::Read { ord, .. } | Kind::Write { ord, .. } | Kind::Fence(ord) => Some(*ord),
            _ => None,
        }
    }

    /// Whether an event is a plain (non-atomic) access.
    pub fn is_na(&self, e: Ev) -> bool {
        matches!(
            self.kind(e),
            Kind::Read { na: true, .. } | Kind::Write { na: true, .. }
        )
    }

    /// Whether `w` is the write part of a read-modify-write.
    pub fn is_rmw_write(&self, e: Ev) -> bool {
        matches!(self.kind(e), Kind::Write { rmw: true, .. })
    }

    /// The read part of a read-modify-write's write part.
    pub fn rmw_read(&self, w: Ev) -> Option<Ev> {
        self.is_rmw_write(w).then(|| Ev { t: w.t, i: w.i - 1 })
    }

    /// A write's position in its location's `mo`.
    pub fn mo_pos(&self, w: Ev) -> usize {
        let loc = self.loc(w).expect("a write has a location");
        self.mo[loc]
            .iter()
            .position(|&x| x == w)
            .expect("every write is in mo")
    }

    /// A location's name in traces, as the other worlds name their objects: `a0`, `a1`… for
    /// atomics, `A`, `B`… for mutexes, `rw0`…, `cv0`…, `cell`, `chan`.
    pub fn obj_name(&self, loc: Loc) -> String {
        let obj = self.obj.get(loc).copied().unwrap_or_default();
        let n = self.obj[..loc.min(self.obj.len())]
            .iter()
            .filter(|&&o| o == obj)
            .count();
        match obj {
            Obj::Atomic => format!("a{n}"),
            Obj::Cell => "cell".to_string(),
            Obj::Mutex => char::from(b'A' + (n % 26) as u8).to_string(),
            Obj::RwLock => format!("rw{n}"),
            Obj::Condvar => format!("cv{n}"),
            Obj::Channel => "chan".to_string(),
        }
    }

    /// The `mo`-latest write to `loc`.
    pub fn mo_max(&self, loc: Loc) -> Ev {
        *self.mo[loc].last().expect("a location has its creation")
    }

    /// Places write `w` right after `after` in `mo` (first if `after` is `None`).
    pub fn place(&mut self, w: Ev, after: Option<Ev>) {
        let loc = self.loc(w).expect("a write has a location");
        if self.mo.len() <= loc {
            self.mo.resize(loc + 1, Vec::new());
        }
        if let Some(p) = self.mo[loc].iter().position(|&x| x == w) {
            self.mo[loc].remove(p);
        }
        let at = match after {
            None => 0,
            Some(a) => self.mo_pos(a) + 1,
        };
        self.mo[loc].insert(at, w);
    }

    /// The reads of `loc` in the graph.
    pub fn reads_of(&self, loc: Loc) -> impl Iterator<Item = Ev> + '_ {
        self.events()
            .filter(move |&e| matches!(self.kind(e), Kind::Read { loc: l, .. } if *l == loc))
    }

    /// Immediate predecessors of `e` in `po ∪ rf ∪ spawn ∪ join`.
    fn porf_preds(&self, e: Ev, out: &mut Vec<Ev>) {
        if e.i > 0 {
            out.push(Ev { t: e.t, i: e.i - 1 });
        } else if let Some(p) = self.parent.get(e.t).copied().flatten() {
            out.push(p);
        }
        match self.kind(e) {
            Kind::Read { rf, .. } => out.push(*rf),
            Kind::Join(c) => {
                if let Some(n) = self.th[*c].len().checked_sub(1) {
                    out.push(Ev { t: *c, i: n });
                }
            }
            _ => {}
        }
    }

    /// The `porf`-prefix of `e` (including `e`), as a per-thread count of events kept: a
    /// view. Every event it contains is `po`-before or equal to its thread's last.
    pub fn prefix(&self, e: Ev) -> View {
        let mut v = View(vec![0; self.th.len()]);
        let mut todo = vec![e];
        let mut preds = Vec::new();
        while let Some(x) = todo.pop() {
            if v.contains(x) {
                continue;
            }
            // Everything po-before x is in the prefix too: walk down from x.
            let from = v.0[x.t];
            v.0[x.t] = x.i + 1;
            for i in from..=x.i {
                preds.clear();
                self.porf_preds(Ev { t: x.t, i }, &mut preds);
                todo.extend(preds.iter().copied().filter(|p| !v.contains(*p)));
            }
        }
        v
    }

    /// The events added no later than `e` (stamp order), as a view.
    pub fn preds_by_stamp(&self, e: Ev) -> View {
        let s = self.node(e).stamp;
        View(
            self.th
                .iter()
                .map(|v| v.iter().take_while(|n| n.stamp <= s).count())
                .collect(),
        )
    }

    /// The graph cut down to the events of `v` (a union of po-prefixes).
    pub fn restrict(&self, v: &View) -> Graph {
        let mut g = self.clone();
        for (t, evs) in g.th.iter_mut().enumerate() {
            evs.truncate(v.0.get(t).copied().unwrap_or(0));
        }
        for m in g.mo.iter_mut() {
            m.retain(|w| v.contains(*w));
        }
        // A thread whose spawn was cut is gone (threads are numbered in spawn order).
        while g.th.len() > 1 {
            let t = g.th.len() - 1;
            if g.parent[t].is_some_and(|p| v.contains(p)) {
                break;
            }
            g.th.pop();
            g.parent.pop();
        }
        g
    }

    /// The events in an order that respects `po`, `rf`, spawn and join: each step the event
    /// added earliest among those whose predecessors are all placed.
    pub fn order(&self) -> Vec<Ev> {
        let mut next = vec![0usize; self.th.len()];
        let mut out = Vec::new();
        let done = |next: &[usize], e: Ev| e.i < next.get(e.t).copied().unwrap_or(0);
        loop {
            let ready = (0..self.th.len())
                .filter(|&t| next[t] < self.th[t].len())
                .map(|t| Ev { t, i: next[t] })
                .filter(|&e| {
                    let spawned = e.i > 0 || self.parent[e.t].is_none_or(|p| done(&next, p));
                    let rf_done = self.rf(e).is_none_or(|w| done(&next, w));
                    let joined = match self.kind(e) {
                        Kind::Join(c) => next[*c] >= self.th[*c].len(),
                        _ => true,
                    };
                    spawned && rf_done && joined
                })
                .min_by_key(|&e| self.node(e).stamp);
            let Some(e) = ready else { return out };
            next[e.t] += 1;
            out.push(e);
        }
    }

    /// A canonical key for the graph as a model checker counts it: events, `rf` and `mo`
    /// (not stamps or exploration flags).
    pub fn key(&self) -> String {
        let mut s = String::new();
        for (t, evs) in self.th.iter().enumerate() {
            s.push_str(&format!("T{t}:"));
            for n in evs {
                s.push_str(&format!("{:?};", n.kind));
            }
        }
        for (l, m) in self.mo.iter().enumerate() {
            s.push_str(&format!("mo{l}:{m:?}"));
        }
        s
    }
}

/// A set of events closed under `po`-predecessors: how many events of each thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View(pub Vec<usize>);

impl View {
    pub fn contains(&self, e: Ev) -> bool {
        self.0.get(e.t).is_some_and(|&n| e.i < n)
    }

    pub fn join(&mut self, o: &View) {
        if self.0.len() < o.0.len() {
            self.0.resize(o.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a = (*a).max(*b);
        }
    }
}

/// Whether an ordering acquires (on a read or a fence).
pub fn acquires(o: Ordering) -> bool {
    matches!(o, Ordering::Acquire | Ordering::AcqRel | Ordering::SeqCst)
}

/// Whether an ordering releases (on a write or a fence).
pub fn releases(o: Ordering) -> bool {
    matches!(o, Ordering::Release | Ordering::AcqRel | Ordering::SeqCst)
}

/// The ordering of a read-modify-write's read part.
pub fn read_part(o: Ordering) -> Ordering {
    match o {
        Ordering::Release => Ordering::Relaxed,
        Ordering::AcqRel => Ordering::Acquire,
        o => o,
    }
}

/// The ordering of a read-modify-write's write part.
pub fn write_part(o: Ordering) -> Ordering {
    match o {
        Ordering::Acquire => Ordering::Relaxed,
        Ordering::AcqRel => Ordering::Release,
        o => o,
    }
}
