//! Backward revisits: which earlier reads a new write may give its value to, and TruSt's
//! maximality condition (as GenMC checks it) that keeps each graph to one path.

use super::*;

/// The read event a read of `w` is: a failed compare_exchange reads with its failure ordering.
pub(super) fn read_kind(
    g: &Graph,
    loc: Loc,
    ord: Ordering,
    w: Ev,
    rmw: Option<Rmw>,
    na: bool,
) -> Kind {
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

/// Whether read `r`, as it is, may read `w`: a wake-up that woke spuriously may not read a
/// write with a token for it (that graph is the sleeping twin's, which takes the token).
fn may_read(g: &Graph, r: Ev, w: Ev) -> bool {
    match g.kind(r) {
        Kind::Read { rmw, .. } => variants(*rmw, g.val(w)).contains(rmw),
        _ => true,
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
            (!reduced || (n.revisitable && n.added_max)) && !pw.contains(r) && may_read(g, r, w)
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
        if !reduced {
            // Unreduced, an event added before `r` may read from one added after it (a read
            // revisited earlier): what it reads is kept too. (Reduced, the maximality
            // condition refuses such a revisit.)
            close_under_rf(g, &mut v);
            // Unless that keeps what came after `r` in its thread (it depended on what `r`
            // read): no such graph.
            if v.0[r.t] > r.i + 1 {
                continue;
            }
        }
        if reduced && !maximal(g, r, w, &v) {
            continue;
        }
        let g2 = g.restrict(&v);
        let (rloc, ord, rmw, na) = match g2.kind(r) {
            Kind::Read {
                loc, ord, rmw, na, ..
            } => (*loc, *ord, *rmw, *na),
            _ => unreachable!("a revisited event is a read"),
        };
        // Every version the read may be reading `w` (a weak compare-exchange of the
        // expected value: failing spuriously, then succeeding); only the last was added
        // maximally, as a read's options are when it is first added.
        let versions = variants(rmw, g2.val(w));
        let last = versions.len() - 1;
        for (k, rmw) in versions.into_iter().enumerate() {
            let mut g3 = g2.clone();
            let kind = read_kind(&g3, rloc, ord, w, rmw, na);
            let max = g3.mo_max(rloc) == w && k == last;
            let n = g3.node_mut(r);
            n.kind = kind;
            n.added_max = max;
            for t in 0..pw.0.len().min(g3.th.len()) {
                for i in 0..pw.0[t].min(g3.th[t].len()) {
                    g3.th[t][i].revisitable = !reduced;
                }
            }
            if fast::consistent_with(&g3, r, model) {
                out.push(g3);
            }
        }
    }
    out
}

/// Whether the part of `g` a revisit of `r` by `w` removes (what is not in view `v`), and
/// `r` itself, were each added maximally: the read read the `mo`-latest write it could, the
/// write went last in `mo`, neither is `mo`-before something kept, and no removed read was
/// itself revisited by a removed write.
fn maximal(g: &Graph, r: Ev, w: Ev, v: &View) -> bool {
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

/// Closes view `v` under `porf`: the prefix of each thread's last event in it (what a read
/// in it reads from, and so on).
fn close_under_rf(g: &Graph, v: &mut View) {
    let last: Vec<Ev> = (0..v.0.len())
        .filter(|&t| v.0[t] > 0)
        .map(|t| Ev { t, i: v.0[t] - 1 })
        .collect();
    for e in last {
        v.join(&g.prefix(e));
    }
}
