//! An execution graph as a picture: threads as columns, events as rows (in the order the
//! timeline shows them), and the three relations that decide what a read may see — `po`
//! (program order, down each column), `rf` (which write each read read from, green) and
//! `mo` (each location's modification order, orange, dashed) — and, where SeqCst events
//! decide, `sc` (the order RC11's `psc` imposes across threads, blue, dotted). Written as
//! Graphviz `dot` text and as a self-contained SVG drawn by this module (no layout engine
//! needed).

use super::explore::steps;
use super::graph::{trace_thread, Ev, Graph, Kind, RmwOp, SyncOp};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::Ordering;

/// One execution graph, drawn.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Picture {
    /// Graphviz text (`dot -Tsvg` lays it out its own way).
    pub dot: String,
    /// An SVG document of the lab's own layout.
    pub svg: String,
}

/// A node: an event (a read-modify-write's two parts are one node), where it is drawn.
struct Node {
    ev: Ev,
    col: usize,
    row: usize,
    label: String,
    /// Part of a data race: drawn in red.
    hot: bool,
}

fn ord(o: Ordering) -> &'static str {
    match o {
        Ordering::Relaxed => "rlx",
        Ordering::Acquire => "acq",
        Ordering::Release => "rel",
        Ordering::AcqRel => "acq_rel",
        Ordering::SeqCst => "sc",
        _ => "?",
    }
}

/// The label of event `e`: its step in the timeline (if shown there), the access with its
/// ordering, the location (renamed by `name`) and the value.
fn label(g: &Graph, e: Ev, step: Option<usize>, name: &dyn Fn(&str) -> String) -> String {
    let at = step.map_or(String::new(), |s| format!("{s}: "));
    let loc = |l: usize| name(&g.obj_name(l));
    let body = match g.kind(e) {
        Kind::Write {
            loc: l,
            val,
            init: true,
            ..
        } => format!("{} = {val} (init)", loc(*l)),
        Kind::Write {
            loc: l,
            ord: o,
            val,
            na,
            ..
        } => {
            let o = if *na { "na" } else { ord(*o) };
            format!("W{o} {} ← {val}", loc(*l))
        }
        Kind::Read {
            loc: l,
            ord: o,
            rf,
            rmw,
            wrote,
            na,
        } => {
            let o = if *na { "na" } else { ord(*o) };
            let v = g.val(*rf);
            match rmw {
                Some(r) if *wrote => {
                    let w = g.val(Ev { t: e.t, i: e.i + 1 });
                    match r.op {
                        RmwOp::Sync(s) => format!("{} {}", sync_name(s), loc(*l)),
                        _ => format!("U{o} {} {v}→{w}", loc(*l)),
                    }
                }
                Some(r) => match r.op {
                    RmwOp::Sync(s) => format!("{} {} blocked", sync_name(s), loc(*l)),
                    _ => format!("R{o} {} → {v} (cas failed)", loc(*l)),
                },
                None => format!("R{o} {} → {v}", loc(*l)),
            }
        }
        Kind::Fence(o) => format!("F{}", ord(*o)),
        Kind::Spawn(c) => format!("spawn T{}", c - 1),
        Kind::Join(c) => format!("join T{}", c - 1),
    };
    format!("{at}{body}")
}

fn sync_name(s: SyncOp) -> &'static str {
    match s {
        SyncOp::Lock { try_: true } => "try_lock",
        SyncOp::Lock { .. } => "lock",
        SyncOp::ReadLock => "read-lock",
        SyncOp::ReadUnlock => "read-unlock",
        SyncOp::Register => "wait",
        SyncOp::NotifyOne => "notify_one",
        SyncOp::NotifyAll => "notify_all",
        SyncOp::Wake { .. } => "wake",
        SyncOp::Send(_) => "send",
    }
}

/// The nodes and edges of `g`: initial values in a column of their own at the left, then
/// main, T0, T1…; one row per event in timeline order.
struct Layout {
    nodes: Vec<Node>,
    /// (from, to, kind) as node indices; kind is `po`, `rf`, `mo` or `sc`.
    edges: Vec<(usize, usize, &'static str)>,
    cols: Vec<String>,
}

fn layout(g: &Graph, race: Option<(Ev, Ev)>, name: &dyn Fn(&str) -> String) -> Layout {
    let step: HashMap<Ev, usize> = steps(g)
        .iter()
        .enumerate()
        .map(|(k, (e, _))| (*e, k + 1))
        .collect();
    let mut nodes: Vec<Node> = Vec::new();
    let mut at: HashMap<Ev, usize> = HashMap::new();
    let mut row = 0;
    for e in g.order() {
        // A read-modify-write's write part is drawn as its read part.
        if g.is_rmw_write(e) {
            if let Some(r) = g.rmw_read(e) {
                at.insert(e, at[&r]);
            }
            continue;
        }
        if matches!(g.kind(e), Kind::Spawn(_) | Kind::Join(_)) {
            continue;
        }
        let init = matches!(g.kind(e), Kind::Write { init: true, .. });
        let col = if init { 0 } else { e.t + 1 };
        at.insert(e, nodes.len());
        nodes.push(Node {
            ev: e,
            col,
            row,
            label: label(g, e, step.get(&e).copied(), name),
            hot: race.is_some_and(|(a, b)| a == e || b == e),
        });
        row += 1;
    }
    let mut edges = Vec::new();
    // po: consecutive drawn events of one thread (the initial values have none).
    let mut last: HashMap<usize, usize> = HashMap::new();
    for (k, n) in nodes.iter().enumerate() {
        if matches!(g.kind(n.ev), Kind::Write { init: true, .. }) {
            continue;
        }
        if let Some(&p) = last.get(&n.ev.t) {
            edges.push((p, k, "po"));
        }
        last.insert(n.ev.t, k);
    }
    for (k, n) in nodes.iter().enumerate() {
        if let Some(w) = g.rf(n.ev) {
            if let Some(&s) = at.get(&w) {
                edges.push((s, k, "rf"));
            }
        }
    }
    for (a, b) in super::axioms::sc_edges(g, super::axioms::WORLD) {
        if let (Some(&x), Some(&y)) = (at.get(&a), at.get(&b)) {
            if x != y {
                edges.push((x, y, "sc"));
            }
        }
    }
    for m in &g.mo {
        for pair in m.windows(2) {
            if let (Some(&a), Some(&b)) = (at.get(&pair[0]), at.get(&pair[1])) {
                if a != b {
                    edges.push((a, b, "mo"));
                }
            }
        }
    }
    // Only the columns with something in them (main often only spawns and joins).
    let mut used: Vec<usize> = nodes.iter().map(|n| n.col).collect();
    used.sort_unstable();
    used.dedup();
    for n in &mut nodes {
        n.col = used.iter().position(|&c| c == n.col).unwrap_or(0);
    }
    let cols = used
        .iter()
        .map(|&c| match c {
            0 => "init".to_string(),
            c => crate::trace::thread_name(trace_thread(c - 1)),
        })
        .collect();
    Layout { nodes, edges, cols }
}

/// Draws `g` (its data race, if any, in red); object names pass through `name` (the
/// experiment's names for `a0`, `A`…).
pub fn picture(g: &Graph, race: Option<(Ev, Ev)>, name: &dyn Fn(&str) -> String) -> Picture {
    let l = layout(g, race, name);
    Picture {
        dot: dot(&l),
        svg: svg(&l),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn dot(l: &Layout) -> String {
    let mut s = String::from(
        "digraph execution {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\", fontsize=10];\n",
    );
    for (c, title) in l.cols.iter().enumerate() {
        let _ = writeln!(s, "  subgraph cluster_{c} {{\n    label=\"{title}\";");
        for (k, n) in l.nodes.iter().enumerate().filter(|(_, n)| n.col == c) {
            let color = if n.hot { ", color=red" } else { "" };
            let _ = writeln!(
                s,
                "    n{k} [label=\"{}\"{color}];",
                n.label.replace('"', "\\\"")
            );
        }
        s.push_str("  }\n");
    }
    for &(a, b, kind) in &l.edges {
        let style = match kind {
            "po" => "color=gray40",
            "rf" => "color=darkgreen, fontcolor=darkgreen, label=rf, constraint=false",
            "sc" => "color=blue, fontcolor=blue, style=dotted, label=sc, constraint=false",
            _ => "color=darkorange, fontcolor=darkorange, style=dashed, label=mo, constraint=false",
        };
        let _ = writeln!(s, "  n{a} -> n{b} [{style}];");
    }
    s.push_str("}\n");
    s
}

const COL_W: f64 = 250.0;
const ROW_H: f64 = 30.0;
const BOX_W: f64 = 200.0;
const BOX_H: f64 = 20.0;
const TOP: f64 = 40.0;
const LEFT: f64 = 20.0;

/// A filled triangle at `to`, pointing away from `from` (no SVG markers: a page that
/// holds the picture references nothing, not even itself).
fn arrowhead(from: (f64, f64), to: (f64, f64), color: &str) -> String {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    let (bx, by) = (to.0 - ux * 7.0, to.1 - uy * 7.0);
    let (px, py) = (-uy * 3.5, ux * 3.5);
    format!(
        "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{color}\"/>",
        to.0,
        to.1,
        bx + px,
        by + py,
        bx - px,
        by - py
    )
}

fn svg(l: &Layout) -> String {
    let width = (LEFT * 2.0 + COL_W * l.cols.len() as f64).max(760.0);
    let rows = l.nodes.len() as f64;
    let height = TOP + ROW_H * rows + 50.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"exec-graph\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"monospace\" font-size=\"11\">"
    );
    s.push_str("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
    for (c, title) in l.cols.iter().enumerate() {
        let x = LEFT + COL_W * c as f64 + BOX_W / 2.0;
        let _ = write!(
            s,
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
            TOP - 16.0,
            esc(title)
        );
    }
    let pos = |n: &Node| (LEFT + COL_W * n.col as f64, TOP + ROW_H * n.row as f64);
    for &(a, b, kind) in &l.edges {
        let (ax, ay) = pos(&l.nodes[a]);
        let (bx, by) = pos(&l.nodes[b]);
        let (color, dash) = match kind {
            "po" => ("#666", ""),
            "rf" => ("#1a7f37", ""),
            "sc" => ("#2563eb", " stroke-dasharray=\"1 3\""),
            _ => ("#d97706", " stroke-dasharray=\"4 3\""),
        };
        // The path, and the point its end is approached from (for the arrowhead).
        let (path, from, to) = if kind == "po" {
            let (x1, y1, x2, y2) = (ax + BOX_W / 2.0, ay + BOX_H, bx + BOX_W / 2.0, by);
            (format!("M{x1},{y1} L{x2},{y2}"), (x1, y1), (x2, y2))
        } else if l.nodes[a].col == l.nodes[b].col {
            // Same column: an arc out to the right (rf, sc) or the left (mo).
            let (side, bulge) = if kind != "mo" {
                (ax + BOX_W, 40.0)
            } else {
                (ax, -40.0)
            };
            let (y1, y2) = (ay + BOX_H / 2.0, by + BOX_H / 2.0);
            (
                format!(
                    "M{side},{y1} C{},{y1} {},{y2} {side},{y2}",
                    side + bulge,
                    side + bulge
                ),
                (side + bulge, y2),
                (side, y2),
            )
        } else {
            let (sx, ex) = if bx > ax {
                (ax + BOX_W, bx)
            } else {
                (ax, bx + BOX_W)
            };
            let mid = (sx + ex) / 2.0;
            let (y1, y2) = (ay + BOX_H / 2.0, by + BOX_H / 2.0);
            (
                format!("M{sx},{y1} C{mid},{y1} {mid},{y2} {ex},{y2}"),
                (mid, y2),
                (ex, y2),
            )
        };
        let _ = write!(
            s,
            "<path class=\"{kind}\" d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.3\"{dash}/>{}",
            arrowhead(from, to, color)
        );
    }
    for n in &l.nodes {
        let (x, y) = pos(n);
        let (fill, stroke) = if n.hot {
            ("#fde2e1", "#cf222e")
        } else if n.col == 0 {
            ("#f6f8fa", "#999")
        } else {
            ("#eef4ff", "#4a6fa5")
        };
        let _ = write!(
            s,
            "<g class=\"event\"><rect x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
            x + 6.0,
            y + 14.0,
            esc(&n.label)
        );
    }
    let ly = TOP + ROW_H * rows + 20.0;
    let _ = write!(
        s,
        "<text x=\"{LEFT}\" y=\"{ly}\" fill=\"#666\">po: program order</text><text x=\"{}\" y=\"{ly}\" fill=\"#1a7f37\">rf: read from</text><text x=\"{}\" y=\"{ly}\" fill=\"#d97706\">mo: modification order</text><text x=\"{}\" y=\"{ly}\" fill=\"#2563eb\">sc: SeqCst order (psc)</text></svg>",
        LEFT + 170.0,
        LEFT + 320.0,
        LEFT + 520.0
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rt::rc11::explore::{explore, Kernel};
    use crate::rt::{Rc11, Rt, RtAtomic};
    use crate::Cancel;
    use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
    use std::sync::Arc;

    /// Message passing: every graph's picture has one node per drawn event, an `rf` edge per
    /// read, and `mo` edges between the writes of each location.
    #[test]
    fn a_picture_has_every_read_and_its_source() {
        let k: Kernel<(u64, u64)> = Arc::new(|| {
            let data = Arc::new(<Rc11 as Rt>::AtomicU64::new(0));
            let flag = Arc::new(<Rc11 as Rt>::AtomicU64::new(0));
            let (d, f) = (data.clone(), flag.clone());
            let h = Rc11::spawn(move || {
                d.store(1, Relaxed);
                f.store(1, Release);
            });
            let r1 = flag.load(Acquire);
            let r2 = data.load(Relaxed);
            Rc11::join(h);
            (r1, r2)
        });
        let mut pictures = 0;
        explore(k, 1000, &Cancel::new(), |v| {
            let p = picture(v.graph, None, &|s| s.to_string());
            let reads = v.graph.events().filter(|&e| v.graph.is_read(e)).count();
            assert_eq!(p.svg.matches("class=\"rf\"").count(), reads, "{}", p.svg);
            assert_eq!(p.dot.matches("label=rf").count(), reads);
            // Each location: its creation and one store.
            assert_eq!(p.svg.matches("class=\"mo\"").count(), 2);
            assert!(p.svg.contains("a0 = 0 (init)"), "{}", p.svg);
            assert!(p.svg.contains("Wrel a1 ← 1"));
            pictures += 1;
            true
        });
        assert_eq!(
            pictures, 3,
            "MP has three consistent graphs: (0,0), (0,1), (1,1)"
        );
    }
}
