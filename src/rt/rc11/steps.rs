//! A graph as the lab's trace: its events in an order that respects `po`, `rf`, spawn and
//! join, each read naming the write it read from and whether a newer one in `mo` had
//! already run ("stale by modification order").

use super::graph::{Ev, Graph, Kind, Obj, RmwOp, SyncOp};
use crate::trace::{Event, Op};

/// A graph as the lab's trace, in an order that respects `po`, `rf`, spawn and join (each
/// step the event added earliest among those ready). Every read names the write it read
/// from (`init`, or the step that wrote it) and, if a write newer in `mo` than that one had
/// already run at an earlier step (it could have read it), which step wrote the first of
/// them: "stale by modification order". A blocked attempt
/// (a lock held, no wake-up token, no message yet) is not a step.
pub fn trace(g: &Graph) -> Vec<Event> {
    steps(g).into_iter().map(|(_, e)| e).collect()
}

/// Names the step a write ran at, or `init` for a location's creation.
fn step_name(step_of: &std::collections::HashMap<Ev, usize>, w: Ev) -> String {
    match step_of.get(&w) {
        Some(s) => format!("step {s}"),
        None => "init".to_string(),
    }
}

/// [`trace`], each step with the graph event it shows.
pub fn steps(g: &Graph) -> Vec<(Ev, Event)> {
    let mut out: Vec<(Ev, Event)> = Vec::new();
    // The step (1-based) at which each write ran: a read-modify-write's write part is its
    // read part's step; a creation is `init`.
    let mut step_of: std::collections::HashMap<Ev, usize> = std::collections::HashMap::new();
    let mut received: std::collections::HashMap<(usize, usize), usize> = Default::default();
    // Every plain read of an atomic or the cell: (its index in `out`, location, the write it
    // read, its step). Whether it was stale is decided once every step is numbered.
    let mut stale: Vec<(usize, usize, Ev, usize)> = Vec::new();
    for e in g.order() {
        let thread = super::graph::trace_thread(e.t);
        let ev = |op, object: String, value, written| Event {
            written,
            ..Event::new(thread, op, object, value)
        };
        let step = out.len() + 1;
        match g.kind(e) {
            Kind::Read {
                loc,
                rf,
                rmw,
                wrote,
                na,
                ..
            } => {
                let object = g.obj_name(*loc);
                let obj = g.obj[*loc];
                let mut x = match rmw {
                    Some(r) => match r.op {
                        RmwOp::Sync(
                            SyncOp::Lock { try_: false } | SyncOp::ReadLock | SyncOp::Wake { .. },
                        ) if !wrote => continue,
                        RmwOp::Sync(SyncOp::Wake { epoch, .. }) => {
                            let spurious = SyncOp::woke_spuriously(epoch, g.val(*rf));
                            ev(
                                if spurious { Op::Spurious } else { Op::Woken },
                                object,
                                0,
                                None,
                            )
                        }
                        RmwOp::Sync(SyncOp::Send(v)) => ev(Op::Send, object, v, None),
                        RmwOp::Sync(_) => ev(r.trace_op(*wrote), object, 0, None),
                        _ => ev(
                            r.trace_op(*wrote),
                            object,
                            g.val(*rf),
                            wrote.then(|| g.val(Ev { t: e.t, i: e.i + 1 })),
                        ),
                    },
                    None if obj == Obj::Channel => {
                        let n = received.entry((e.t, *loc)).or_default();
                        if g.mo_pos(*rf) <= *n {
                            continue; // a receive that found no message: it blocked
                        }
                        *n += 1;
                        ev(Op::Recv, object, g.val(g.mo[*loc][*n]), None)
                    }
                    None if *na => ev(Op::Read, object, g.val(*rf), None),
                    None => ev(Op::Load, object, g.val(*rf), None),
                };
                if rmw.is_none() && matches!(obj, Obj::Atomic | Obj::Cell) {
                    x.source = Some(step_name(&step_of, *rf));
                    stale.push((out.len(), *loc, *rf, step));
                }
                if *wrote {
                    step_of.insert(Ev { t: e.t, i: e.i + 1 }, step);
                }
                out.push((e, x));
            }
            Kind::Write {
                loc,
                val,
                rmw: false,
                init: false,
                na,
                ..
            } => {
                step_of.insert(e, step);
                let object = g.obj_name(*loc);
                out.push((
                    e,
                    match g.obj[*loc] {
                        Obj::Mutex | Obj::RwLock => ev(Op::Unlock, object, 0, None),
                        _ if *na => ev(Op::Write, object, *val, None),
                        _ => ev(Op::Store, object, *val, None),
                    },
                ));
            }
            Kind::Fence(_) => out.push((e, ev(Op::Fence, String::new(), 0, None))),
            _ => {}
        }
    }
    // A read is stale when a write newer in `mo` than the one it read had already run (an
    // earlier step): it could have read that one. Named: the first such write in `mo`.
    for (i, loc, rf, step) in stale {
        let missed = g.mo[loc][g.mo_pos(rf) + 1..]
            .iter()
            .find(|w| step_of.get(w).is_some_and(|&s| s < step));
        if let Some(&w) = missed {
            out[i].1.newer_in_mo = Some(format!("{} wrote {}", step_name(&step_of, w), g.val(w)));
        }
    }
    out
}
