//! RC11's consistency axioms (Lahav, Vafeiadis, Kang, Hur, Dreyer, "Repairing Sequential
//! Consistency in C/C++11", PLDI 2017), written as the paper writes them: relations over a
//! graph's events, composed and closed. Slow and plain on purpose — this is the definition
//! the explorer and the litmus model are both checked against.
//!
//! ```text
//! rs    = [W] ; (sb|loc ; [W])? ; (rf ; rmw)*        (C++20: [W] ; (rf ; rmw)*)
//! sw    = [E⊒rel] ; ([F] ; sb)? ; rs ; rf ; [R] ; (sb ; [F])? ; [E⊒acq]
//! hb    = (sb ∪ sw)+                    eco = (rf ∪ mo ∪ rb)+      rb = rf⁻¹ ; mo
//! coherence   : hb ; eco? irreflexive
//! atomicity   : rmw ∩ (rb ; mo) = ∅
//! SC          : psc = psc_base ∪ psc_F acyclic, over SeqCst events, where
//!               scb = sb ∪ sb|≠loc ; hb ; sb|≠loc ∪ hb|loc ∪ mo ∪ rb
//!               psc_base = ([Esc] ∪ [Fsc] ; hb?) ; scb ; ([Esc] ∪ hb? ; [Fsc])
//!               psc_F    = [Fsc] ; (hb ∪ hb ; eco ; hb) ; [Fsc]
//! no-thin-air : sb ∪ rf acyclic
//! ```
//!
//! `sb` includes spawn and join (a spawn is before everything the child does, a join after).

use super::graph::{acquires, releases, Ev, Graph, Kind};
use std::collections::HashMap;
use std::sync::atomic::Ordering;

/// Which variant of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Model {
    /// RC11 as published counts a release's later same-thread writes to its location in its
    /// release sequence; C++20 (P0982) and Rust do not.
    pub same_thread_rs: bool,
    /// RC11 forbids `sb ∪ rf` cycles (load buffering); C++20 leaves them allowed.
    pub no_thin_air: bool,
}

/// RC11 as the PLDI 2017 paper defines it.
pub const RC11: Model = Model {
    same_thread_rs: true,
    no_thin_air: true,
};

/// C++20 (and Rust): RC11's SC axiom, release sequences of read-modify-writes only, and no
/// rule against load buffering.
pub const CPP20: Model = Model {
    same_thread_rs: false,
    no_thin_air: false,
};

/// The lab's `rc11` world: RC11 with C++20's release sequences (Rust's), and no load
/// buffering (no explorer that adds events one at a time can build an `sb ∪ rf` cycle).
pub const WORLD: Model = Model {
    same_thread_rs: false,
    no_thin_air: true,
};

/// One of RC11's axioms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Axiom {
    Coherence,
    Atomicity,
    Sc,
    NoThinAir,
}

impl Axiom {
    pub fn name(self) -> &'static str {
        match self {
            Axiom::Coherence => "coherence (hb ; eco? irreflexive)",
            Axiom::Atomicity => "atomicity (rmw ∩ rb ; mo empty)",
            Axiom::Sc => "SC (psc acyclic)",
            Axiom::NoThinAir => "no-thin-air (sb ∪ rf acyclic)",
        }
    }
}

/// A relation over `n` events, as bit rows.
#[derive(Clone)]
struct Rel {
    n: usize,
    w: usize,
    bits: Vec<u64>,
}

impl Rel {
    fn new(n: usize) -> Self {
        let w = n.div_ceil(64).max(1);
        Rel {
            n,
            w,
            bits: vec![0; n * w],
        }
    }
    fn set(&mut self, a: usize, b: usize) {
        self.bits[a * self.w + b / 64] |= 1 << (b % 64);
    }
    fn get(&self, a: usize, b: usize) -> bool {
        self.bits[a * self.w + b / 64] & (1 << (b % 64)) != 0
    }
    fn row(&self, a: usize) -> &[u64] {
        &self.bits[a * self.w..(a + 1) * self.w]
    }
    /// Row `dst` of `self` |= row `src` of `o`.
    fn or_row_from(&mut self, dst: usize, o: &Rel, src: usize) {
        let w = self.w;
        for k in 0..w {
            self.bits[dst * w + k] |= o.bits[src * w + k];
        }
    }
    /// Row `dst` |= row `src`, both of `self`.
    fn or_row_self(&mut self, dst: usize, src: usize) {
        let w = self.w;
        for k in 0..w {
            let v = self.bits[src * w + k];
            self.bits[dst * w + k] |= v;
        }
    }
    fn union(mut self, o: &Rel) -> Rel {
        for (a, b) in self.bits.iter_mut().zip(&o.bits) {
            *a |= *b;
        }
        self
    }
    /// `self ; o`.
    fn then(&self, o: &Rel) -> Rel {
        let mut r = Rel::new(self.n);
        for a in 0..self.n {
            for b in self.iter_row(a) {
                r.or_row_from(a, o, b);
            }
        }
        r
    }
    /// The set bits of row `a`.
    fn iter_row(&self, a: usize) -> impl Iterator<Item = usize> + '_ {
        self.row(a).iter().enumerate().flat_map(|(k, &word)| {
            let mut w = word;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros() as usize;
                    w &= w - 1;
                    k * 64 + b
                })
            })
        })
    }
    /// Transitive closure (Warshall).
    fn plus(mut self) -> Rel {
        for k in 0..self.n {
            for i in 0..self.n {
                if i != k && self.get(i, k) {
                    self.or_row_self(i, k);
                }
            }
        }
        self
    }
    /// Reflexive closure.
    fn opt(mut self) -> Rel {
        for i in 0..self.n {
            self.set(i, i);
        }
        self
    }
    fn inverse(&self) -> Rel {
        let mut r = Rel::new(self.n);
        for a in 0..self.n {
            for b in self.iter_row(a) {
                r.set(b, a);
            }
        }
        r
    }
    /// `[A] ; self ; [B]`.
    fn filter(&self, a: impl Fn(usize) -> bool, b: impl Fn(usize) -> bool) -> Rel {
        let mut r = Rel::new(self.n);
        for i in (0..self.n).filter(|&i| a(i)) {
            for j in self.iter_row(i).filter(|&j| b(j)) {
                r.set(i, j);
            }
        }
        r
    }
    fn irreflexive(&self) -> bool {
        (0..self.n).all(|i| !self.get(i, i))
    }
    fn identity(n: usize, keep: impl Fn(usize) -> bool) -> Rel {
        let mut r = Rel::new(n);
        for i in (0..n).filter(|&i| keep(i)) {
            r.set(i, i);
        }
        r
    }
}

/// The events of a graph, numbered, with the base relations.
struct Base<'g> {
    g: &'g Graph,
    ev: Vec<Ev>,
    sb: Rel,
    rf: Rel,
    mo: Rel,
    rmw: Rel,
}

impl<'g> Base<'g> {
    fn new(g: &'g Graph) -> Self {
        let ev: Vec<Ev> = g.events().collect();
        let ix: HashMap<Ev, usize> = ev.iter().enumerate().map(|(i, e)| (*e, i)).collect();
        let n = ev.len();
        let (mut sb, mut rf, mut mo, mut rmw) =
            (Rel::new(n), Rel::new(n), Rel::new(n), Rel::new(n));
        for (a, &e) in ev.iter().enumerate() {
            if e.i + 1 < g.th[e.t].len() {
                sb.set(a, ix[&Ev { t: e.t, i: e.i + 1 }]);
            }
            match g.kind(e) {
                Kind::Spawn(c) if !g.th[*c].is_empty() => {
                    sb.set(a, ix[&Ev { t: *c, i: 0 }]);
                }
                Kind::Join(c) => {
                    if let Some(last) = g.th[*c].len().checked_sub(1) {
                        sb.set(ix[&Ev { t: *c, i: last }], a);
                    }
                }
                Kind::Read { rf: w, wrote, .. } => {
                    rf.set(ix[w], a);
                    if *wrote && e.i + 1 < g.th[e.t].len() {
                        rmw.set(a, ix[&Ev { t: e.t, i: e.i + 1 }]);
                    }
                }
                _ => {}
            }
        }
        for m in &g.mo {
            for (x, a) in m.iter().enumerate() {
                for b in &m[x + 1..] {
                    mo.set(ix[a], ix[b]);
                }
            }
        }
        Base {
            g,
            ev,
            sb: sb.plus(),
            rf,
            mo,
            rmw,
        }
    }

    fn n(&self) -> usize {
        self.ev.len()
    }
    fn kind(&self, i: usize) -> &Kind {
        self.g.kind(self.ev[i])
    }
    fn is_w(&self, i: usize) -> bool {
        matches!(self.kind(i), Kind::Write { .. })
    }
    fn is_r(&self, i: usize) -> bool {
        matches!(self.kind(i), Kind::Read { .. })
    }
    fn is_f(&self, i: usize) -> bool {
        matches!(self.kind(i), Kind::Fence(_))
    }
    fn ord(&self, i: usize) -> Option<Ordering> {
        self.g.ord(self.ev[i])
    }
    fn loc(&self, i: usize) -> Option<usize> {
        self.g.loc(self.ev[i])
    }
    fn same_loc(&self, a: usize, b: usize) -> bool {
        self.loc(a).is_some() && self.loc(a) == self.loc(b)
    }
    fn sc(&self, i: usize) -> bool {
        self.ord(i) == Some(Ordering::SeqCst)
    }
}

/// The axioms `g` violates under `model` (empty: consistent).
pub fn violations(g: &Graph, model: Model) -> Vec<Axiom> {
    check(g, model, false)
}

/// Whether `g` is consistent under `model`.
pub fn consistent(g: &Graph, model: Model) -> bool {
    check(g, model, true).is_empty()
}

fn check(g: &Graph, model: Model, first_only: bool) -> Vec<Axiom> {
    let b = Base::new(g);
    let n = b.n();
    let mut bad = Vec::new();

    // Atomicity first: it is the cheapest.
    let rb = b.rf.inverse().then(&b.mo);
    let rb_mo = rb.then(&b.mo);
    if (0..n).any(|i| b.rmw.iter_row(i).any(|j| rb_mo.get(i, j))) {
        bad.push(Axiom::Atomicity);
        if first_only {
            return bad;
        }
    }

    if model.no_thin_air && !b.sb.clone().union(&b.rf).plus().irreflexive() {
        bad.push(Axiom::NoThinAir);
        if first_only {
            return bad;
        }
    }

    let hb = happens_before(&b, model);

    let eco = b.rf.clone().union(&b.mo).union(&rb).plus();
    if !hb.then(&eco.clone().opt()).irreflexive() || !hb.irreflexive() {
        bad.push(Axiom::Coherence);
        if first_only {
            return bad;
        }
    }

    if (0..n).any(|i| b.sc(i)) && !psc_acyclic(&b, &hb, &rb, &eco) {
        bad.push(Axiom::Sc);
    }
    bad
}

/// `hb`: `sb`, and synchronises-with through release sequences (the model's kind).
fn happens_before(b: &Base, model: Model) -> Rel {
    let n = b.n();
    // Release sequences, synchronises-with, happens-before.
    let step = b.rf.then(&b.rmw); // write → the write part of an RMW reading it
    let step_star = step.clone().plus().opt();
    let w_id = Rel::identity(n, |i| b.is_w(i));
    let head = if model.same_thread_rs {
        let sb_loc_w = b.sb.filter(|i| b.is_w(i), |j| b.is_w(j));
        let mut same = Rel::new(n);
        for i in 0..n {
            for j in sb_loc_w.iter_row(i) {
                if b.same_loc(i, j) {
                    same.set(i, j);
                }
            }
        }
        w_id.clone().union(&same)
    } else {
        w_id.clone()
    };
    let rs = head.then(&step_star).filter(|i| b.is_w(i), |j| b.is_w(j));
    let rel = |i: usize| b.ord(i).is_some_and(releases) && (b.is_w(i) || b.is_f(i));
    let acq = |i: usize| b.ord(i).is_some_and(acquires) && (b.is_r(i) || b.is_f(i));
    // [E⊒rel] ; ([F] ; sb)? : a release write itself, or a release fence to later writes.
    let left = Rel::identity(n, |i| rel(i) && b.is_w(i))
        .union(&b.sb.filter(|i| rel(i) && b.is_f(i), |j| b.is_w(j)));
    // [R] ; (sb ; [F])? ; [E⊒acq].
    let right = Rel::identity(n, |i| acq(i) && b.is_r(i))
        .union(&b.sb.filter(|i| b.is_r(i), |j| acq(j) && b.is_f(j)));
    let sw = left.then(&rs).then(&b.rf).then(&right);
    b.sb.clone().union(&sw).plus()
}

/// The SC order's constraints that cross threads (`psc` edges between SeqCst events of
/// different threads, without those another such edge implies): what an execution graph's
/// picture draws as `sc`. Empty when the graph has no SeqCst event.
pub fn sc_edges(g: &Graph, model: Model) -> Vec<(Ev, Ev)> {
    let b = Base::new(g);
    let n = b.n();
    if !(0..n).any(|i| b.sc(i)) {
        return Vec::new();
    }
    let rb = b.rf.inverse().then(&b.mo);
    let hb = happens_before(&b, model);
    let eco = b.rf.clone().union(&b.mo).union(&rb).plus();
    let psc = psc(&b, &hb, &rb, &eco);
    let closure = psc.clone().plus();
    let mut out = Vec::new();
    for i in 0..n {
        for j in psc.iter_row(i) {
            if b.ev[i].t == b.ev[j].t {
                continue;
            }
            let implied = psc.iter_row(i).any(|k| k != j && closure.get(k, j));
            if !implied {
                out.push((b.ev[i], b.ev[j]));
            }
        }
    }
    out
}

fn psc_acyclic(b: &Base, hb: &Rel, rb: &Rel, eco: &Rel) -> bool {
    psc(b, hb, rb, eco).plus().irreflexive()
}

/// `psc` (RC11's partial SC relation) among the SeqCst events.
fn psc(b: &Base, hb: &Rel, rb: &Rel, eco: &Rel) -> Rel {
    let n = b.n();
    let mut sb_loc = Rel::new(n);
    let mut sb_nloc = Rel::new(n);
    for i in 0..n {
        for j in b.sb.iter_row(i) {
            if b.same_loc(i, j) {
                sb_loc.set(i, j);
            } else {
                sb_nloc.set(i, j);
            }
        }
    }
    let mut hb_loc = Rel::new(n);
    for i in 0..n {
        for j in hb.iter_row(i) {
            if b.same_loc(i, j) {
                hb_loc.set(i, j);
            }
        }
    }
    let scb =
        b.sb.clone()
            .union(&sb_nloc.then(hb).then(&sb_nloc))
            .union(&hb_loc)
            .union(&b.mo)
            .union(rb);
    let esc = |i: usize| b.sc(i);
    let fsc = |i: usize| b.sc(i) && b.is_f(i);
    let hb_opt = hb.clone().opt();
    let left = Rel::identity(n, esc).union(&hb_opt.filter(fsc, |_| true));
    let right = Rel::identity(n, esc).union(&hb_opt.filter(|_| true, fsc));
    let base = left.then(&scb).then(&right);
    let f = hb.clone().union(&hb.then(eco).then(hb)).filter(fsc, fsc);
    base.union(&f).filter(esc, esc)
}
