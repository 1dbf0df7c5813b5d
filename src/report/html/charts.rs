//! The page's pictures of a run and an interleaving: the outcome histogram as inline SVG
//! bars, the outcome table, and the per-thread swimlanes stepped through with buttons.

use super::{esc, grade_class, str_of};
use serde_json::Value;
use std::fmt::Write as _;

/// The outcome histogram of a `run --json` as inline SVG bars, one per row.
pub fn histogram_svg(run: &Value) -> String {
    let rows: Vec<&Value> = run["outcomes"].as_array().into_iter().flatten().collect();
    if rows.is_empty() {
        return "<p class=\"muted\">no outcomes</p>".into();
    }
    let max = rows
        .iter()
        .filter_map(|r| r["count"].as_u64())
        .max()
        .unwrap_or(1)
        .max(1);
    let (bar_h, gap, label_w, chart_w) = (22, 6, 170, 320);
    let height = rows.len() * (bar_h + gap) + gap;
    let mut s = format!(
        "<svg class=\"hist\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"outcome histogram\">",
        label_w + chart_w + 60
    );
    for (k, r) in rows.iter().enumerate() {
        let count = r["count"].as_u64().unwrap_or(0);
        let w = (count as f64 / max as f64 * chart_w as f64)
            .round()
            .max(1.0) as usize;
        let y = gap + k * (bar_h + gap);
        let grade = str_of(r, "grade");
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"lbl\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{bar_h}\" class=\"bar {}\"><title>{} — {}</title></rect><text x=\"{}\" y=\"{}\" class=\"lbl\">{count}</text>",
            label_w - 6,
            y + bar_h - 6,
            esc(str_of(r, "label")),
            grade_class(grade),
            esc(grade),
            esc(str_of(r, "meaning")),
            label_w + w + 4,
            y + bar_h - 6,
        );
    }
    s.push_str("</svg>");
    s
}

/// A table of graded outcomes (explore's set).
pub(super) fn outcome_table(v: &Value, count_name: &str) -> String {
    let mut s = format!(
        "<table><tr><th>outcome</th><th>{}</th><th>grade</th><th>meaning</th></tr>",
        esc(count_name)
    );
    for r in v["outcomes"].as_array().into_iter().flatten() {
        let g = str_of(r, "grade");
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
            esc(str_of(r, "label")),
            r["count"].as_u64().unwrap_or(0),
            grade_class(g),
            esc(g),
            esc(str_of(r, "meaning"))
        );
    }
    s.push_str("</table>");
    s
}

/// An interleaving as per-thread swimlanes, one row per event, with step buttons and the
/// shared state after each step.
pub fn swimlanes(sec_id: &str, replay: &Value) -> String {
    let events: Vec<&Value> = replay["events"].as_array().into_iter().flatten().collect();
    let states: Vec<&str> = replay["states"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s.as_str().unwrap_or(""))
        .collect();
    let mut threads: Vec<String> = events
        .iter()
        .map(|e| str_of(e, "thread").to_string())
        .collect();
    threads.sort();
    threads.dedup();
    let mut s = format!(
        "<div class=\"stepper\" id=\"{sec_id}-steps\" data-steps=\"{}\"><div class=\"controls\"><button type=\"button\" class=\"reset\">⏮ reset</button> <button type=\"button\" class=\"prev\">◀ back</button> <button type=\"button\" class=\"next\">step ▶</button> <span class=\"pos\">step 0 of {}</span></div><pre class=\"state\">(before the first step)</pre><table class=\"lanes\"><tr><th>#</th>",
        events.len(),
        events.len()
    );
    for t in &threads {
        let _ = write!(s, "<th>{}</th>", esc(t));
    }
    s.push_str("</tr>");
    for (k, e) in events.iter().enumerate() {
        let state = states.get(k).copied().unwrap_or("");
        let _ = write!(
            s,
            "<tr class=\"ev\" data-state=\"{}\"><td class=\"num\">{}</td>",
            esc(state),
            k + 1
        );
        for t in &threads {
            if str_of(e, "thread") == t {
                // The text already says what was stale; the class marks it.
                let stale = e["stale_latest"].is_u64() || e["newer_in_mo"].is_string();
                let _ = write!(
                    s,
                    "<td class=\"op{}\">{}</td>",
                    if stale { " warn" } else { "" },
                    esc(str_of(e, "text"))
                );
            } else {
                s.push_str("<td></td>");
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</table></div>");
    s
}
