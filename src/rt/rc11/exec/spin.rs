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
    /// The reads of the iteration that blocked the thread.
    pub(super) blocked_reads: Vec<Ev>,
}

impl Exec {
    /// Notes a read for the spin-loop rule.
    pub(super) fn seen(&mut self, t: usize, r: Ev) {
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
