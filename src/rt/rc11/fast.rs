//! The explorer's consistency check: the same axioms as `axioms.rs`, computed with vector
//! clocks instead of relations. Happens-before is a clock per event, built in an order that
//! respects `po ∪ rf` (which the explorer never lets form a cycle); coherence is then the
//! four classic per-location rules (CoWW, CoRW, CoWR, CoRR), and atomicity a look at `mo`.
//! The SC axiom needs the relations: for a graph with two SeqCst events or more it is
//! `axioms.rs` that decides. The suite checks that both agree on every graph it explores.

use super::axioms::{self, Model};
use super::graph::{acquires, releases, Ev, Graph, Kind};
use std::sync::atomic::Ordering;

type Vc = Vec<usize>;

fn join(a: &mut Vc, b: &Vc) {
    if a.len() < b.len() {
        a.resize(b.len(), 0);
    }
    for (x, y) in a.iter_mut().zip(b) {
        *x = (*x).max(*y);
    }
}

/// Happens-before clocks: `vc[t][i]` counts, per thread, the events hb-before-or-equal to
/// event `(t, i)`. `None` if `po ∪ rf` has a cycle.
fn clocks(g: &Graph, model: Model) -> Option<Vec<Vec<Vc>>> {
    let n = g.th.len();
    let mut vc: Vec<Vec<Vc>> = g.th.iter().map(|v| Vec::with_capacity(v.len())).collect();
    // What a write releases (its release sequence's head's clock, joined along RMWs).
    let mut msg: Vec<Vec<Option<Vc>>> = g.th.iter().map(|v| vec![None; v.len()]).collect();
    let mut cur: Vec<Vc> = vec![vec![0; n]; n];
    let mut rel_fence: Vec<Option<Vc>> = vec![None; n];
    let mut pending: Vec<Vc> = vec![vec![0; n]; n];
    let mut left = g.len();
    while left > 0 {
        let mut progressed = false;
        for t in 0..n {
            loop {
                let i = vc[t].len();
                if i >= g.th[t].len() {
                    break;
                }
                let e = Ev { t, i };
                // Ready when what it depends on (spawn, rf, a joined thread) has a clock.
                let ready = (i > 0 || g.parent[t].is_none_or(|p| vc[p.t].len() > p.i))
                    && g.rf(e).is_none_or(|w| vc[w.t].len() > w.i)
                    && match g.kind(e) {
                        Kind::Join(c) => vc[*c].len() == g.th[*c].len(),
                        _ => true,
                    };
                if !ready {
                    break;
                }
                if i == 0 {
                    if let Some(p) = g.parent[t] {
                        let pv = vc[p.t][p.i].clone();
                        join(&mut cur[t], &pv);
                    }
                }
                cur[t][t] = i + 1;
                match g.kind(e) {
                    Kind::Read { rf, ord, .. } => {
                        if let Some(m) = msg[rf.t][rf.i].clone() {
                            if acquires(*ord) {
                                join(&mut cur[t], &m);
                            } else {
                                join(&mut pending[t], &m);
                            }
                        }
                    }
                    Kind::Fence(o) => {
                        if acquires(*o) {
                            let p = pending[t].clone();
                            join(&mut cur[t], &p);
                        }
                        if releases(*o) {
                            rel_fence[t] = Some(cur[t].clone());
                        }
                    }
                    Kind::Write { loc, ord, rmw, .. } => {
                        let mut m: Option<Vc> = if releases(*ord) {
                            Some(cur[t].clone())
                        } else {
                            rel_fence[t].clone()
                        };
                        let mut add = |x: &Option<Vc>| {
                            if let Some(x) = x {
                                match &mut m {
                                    Some(m) => join(m, x),
                                    None => m = Some(x.clone()),
                                }
                            }
                        };
                        if *rmw {
                            let rf = g.rf(Ev { t, i: i - 1 }).expect("a read part");
                            add(&msg[rf.t][rf.i].clone());
                        }
                        if model.same_thread_rs {
                            let prev = (0..i).rev().find(|&j| {
                                matches!(g.th[t][j].kind, Kind::Write { loc: l, .. } if l == *loc)
                            });
                            if let Some(j) = prev {
                                add(&msg[t][j].clone());
                            }
                        }
                        msg[t][i] = m;
                    }
                    Kind::Join(c) => {
                        if let Some(last) = vc[*c].last().cloned() {
                            join(&mut cur[t], &last);
                        }
                    }
                    Kind::Spawn(_) => {}
                }
                vc[t].push(cur[t].clone());
                left -= 1;
                progressed = true;
            }
        }
        if !progressed {
            return None;
        }
    }
    Some(vc)
}

/// Happens-before in `g`, as a function of two events; `None` if `po ∪ rf` has a cycle.
pub fn happens_before(g: &Graph, model: Model) -> Option<impl Fn(Ev, Ev) -> bool> {
    let vc = clocks(g, model)?;
    Some(move |a: Ev, b: Ev| a != b && vc[b.t][b.i].get(a.t).is_some_and(|&n| n > a.i))
}

/// Whether `g` is consistent under `model` (the explorer's graphs: no `po ∪ rf` cycle).
pub fn consistent(g: &Graph, model: Model) -> bool {
    check(g, None, model, true)
}

/// Whether `g` is consistent, knowing that it was before `e` — the last event of its thread —
/// was added or given its source. Then only an SC event, or a graph with an SC fence, can
/// have closed a `psc` cycle: a plain relaxed, acquire or release event that nothing follows
/// is an end of `scb` edges only where a fence's `hb` reaches it.
pub fn consistent_with(g: &Graph, e: Ev, model: Model) -> bool {
    check(g, Some(e), model, true)
}

/// As [`consistent_with`], except perhaps for atomicity (a read-modify-write that took a
/// write another one took, before a revisit repairs it).
pub fn consistent_with_but_atomicity(g: &Graph, e: Ev, model: Model) -> bool {
    check(g, Some(e), model, false)
}

/// Whether the SC axiom needs checking in `g` after `e` changed.
fn sc_matters(g: &Graph, e: Option<Ev>) -> bool {
    let sc = |x: Ev| g.ord(x) == Some(Ordering::SeqCst);
    if g.events().filter(|&x| sc(x)).take(2).count() < 2 {
        return false;
    }
    match e {
        None => true,
        Some(e) => {
            sc(e)
                || g.events()
                    .any(|x| sc(x) && matches!(g.kind(x), Kind::Fence(_)))
        }
    }
}

fn relational(g: &Graph, model: Model, atomicity: bool) -> bool {
    axioms::violations(g, model)
        .iter()
        .all(|a| !atomicity && *a == axioms::Axiom::Atomicity)
}

thread_local! {
    static CROSS_CHECK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// While `on`, every check on this thread is also made by `axioms.rs`, and a disagreement
/// panics: how the suite checks this file against the definition.
pub fn cross_check(on: bool) {
    CROSS_CHECK.set(on);
}

fn check(g: &Graph, e: Option<Ev>, model: Model, atomicity: bool) -> bool {
    let fast = check_fast(g, e, model, atomicity);
    if CROSS_CHECK.get() {
        let slow = relational(g, model, atomicity);
        assert_eq!(
            fast, slow,
            "the clock-based check says {fast}, the axioms say {slow}, for {g:#?}"
        );
    }
    fast
}

fn check_fast(g: &Graph, e: Option<Ev>, model: Model, atomicity: bool) -> bool {
    let Some(vc) = clocks(g, model) else {
        return relational(g, model, atomicity);
    };
    let hb = |a: Ev, b: Ev| a != b && vc[b.t][b.i].get(a.t).is_some_and(|&n| n > a.i);
    // Each write's place in its location's mo.
    let mut pos: Vec<Vec<usize>> = g.th.iter().map(|v| vec![usize::MAX; v.len()]).collect();
    for m in &g.mo {
        for (k, w) in m.iter().enumerate() {
            pos[w.t][w.i] = k;
        }
    }
    // Atomicity: each RMW's write part right after its read part's source.
    for e in g.events().filter(|_| atomicity) {
        if let Kind::Read {
            rf, wrote: true, ..
        } = g.kind(e)
        {
            if let Some(n) = g.th[e.t].get(e.i + 1) {
                if matches!(n.kind, Kind::Write { rmw: true, .. })
                    && pos[e.t][e.i + 1] != pos[rf.t][rf.i] + 1
                {
                    return false;
                }
            }
        }
    }
    // Coherence, location by location.
    let mut by_loc: Vec<Vec<Ev>> = vec![Vec::new(); g.mo.len()];
    for e in g.events() {
        if let Some(l) = g.loc(e) {
            by_loc[l].push(e);
        }
    }
    for evs in &by_loc {
        for &b in evs {
            // The latest (in mo) write hb-before b, and the latest source of a read hb-before b.
            let mut latest: Option<usize> = None;
            for &x in evs {
                if !hb(x, b) {
                    continue;
                }
                let p = match g.kind(x) {
                    Kind::Write { .. } => pos[x.t][x.i],
                    Kind::Read { rf, .. } => pos[rf.t][rf.i],
                    _ => continue,
                };
                latest = Some(latest.map_or(p, |l| l.max(p)));
            }
            let Some(latest) = latest else { continue };
            match g.kind(b) {
                Kind::Write { .. } if latest >= pos[b.t][b.i] => return false,
                Kind::Read { rf, .. } if latest > pos[rf.t][rf.i] => return false,
                _ => {}
            }
        }
    }
    !sc_matters(g, e) || relational(g, model, atomicity)
}
