//! The spin-loop rule, and the data-race check: what a thread's reads in one iteration of a
//! spin loop were (an iteration that changed nothing and read what the last one read blocks
//! its thread), and a plain access with no happens-before to a conflicting one.

use super::*;

/// What an iteration of a spin loop read: a load's source, or a read-modify-write's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Seen {
    From(Loc, Ev),
    Value(Loc, u64),
}

#[derive(Default)]
pub(super) struct Iteration {
    pub(super) seen: Vec<Seen>,
    pub(super) reads: Vec<Ev>,
    pub(super) changed: bool,
    pub(super) prev: Option<Vec<Seen>>,
    /// The reads that blocked the thread, each with what would have let it go on.
    pub(super) blocked_reads: Vec<(Ev, Until)>,
    /// What a thread blocked in a primitive waits for (`None`: a spinner).
    pub(super) waiting: Option<String>,
    /// Its last condvar wait ended in a spurious wake-up (the next may not).
    pub(super) woke_spuriously: bool,
    /// Its last `compare_exchange_weak` failed spuriously (the next may not).
    pub(super) failed_spuriously: bool,
    /// What this iteration read and wrote, by value: `(location, value, write)`.
    pub(super) values: Vec<(Loc, u64, bool)>,
    /// The last iteration's `values`, if it wrote something.
    pub(super) prev_values: Option<Vec<(Loc, u64, bool)>>,
    /// The last iteration repeated the one before it (it wrote, and read and wrote the same
    /// values).
    pub(super) repeating: bool,
}

/// What a blocked read needed to read for its thread to go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Until {
    /// A spinner: any other value.
    Differs,
    /// A blocked acquisition or wake-up: a value its operation writes on.
    Writes(Rmw),
    /// A receiver that has taken `n` messages: a write past the `n`-th in `mo`.
    Beyond(usize),
    /// A thread repeating an iteration: the next one would read the same, unless the newest
    /// write (another thread's read) holds another value.
    Latest,
}

impl Until {
    /// Whether blocked read `r` could have read a write that lets its thread go on: a write
    /// later in `mo` than its source (reading an earlier one is another graph, explored
    /// from there).
    pub(super) fn could_go(self, g: &Graph, r: Ev) -> bool {
        let rf = g.rf(r).expect("a read");
        let loc = g.loc(r).expect("a read");
        let v = g.val(rf);
        let p = g.mo_pos(rf);
        if self == Until::Latest {
            return rf.t != r.t && g.val(g.mo_max(loc)) != v;
        }
        g.mo[loc][p + 1..]
            .iter()
            .enumerate()
            .any(|(k, &w)| match self {
                Until::Differs => g.val(w) != v,
                Until::Writes(op) => op.apply(g.val(w), g.mask[loc]).is_some(),
                Until::Beyond(n) => p + 1 + k > n,
                Until::Latest => unreachable!("answered above"),
            })
    }
}

impl Exec {
    /// Notes a read for the spin-loop rule.
    pub(super) fn seen(&mut self, t: usize, r: Ev) {
        let (loc, rf, wrote) = match self.g.kind(r) {
            Kind::Read { loc, rf, wrote, .. } => (*loc, *rf, *wrote),
            _ => return,
        };
        let v = self.g.val(rf);
        let it = &mut self.iter[t];
        it.values.push((loc, v, false));
        it.reads.push(r);
        if wrote {
            // A read-modify-write that wrote back what it read changed nothing (ops::rmw
            // notes one that did): what counts is the value.
            it.seen.push(Seen::Value(loc, self.g.val(rf)));
        } else {
            it.seen.push(Seen::From(loc, rf));
        }
    }

    /// A plain access racing with another access to its location (one of them a write, no
    /// happens-before either way) ends the run as a DATA RACE.
    pub(super) fn race_check(&mut self, e: Ev) {
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
}
