//! `race-lab report`: the evidence as one self-contained HTML page — inline CSS, inline SVG and
//! a little inline JavaScript, nothing fetched over the network. Per experiment: its lesson,
//! its kernel (keywords highlighted), the native run's outcome histogram as SVG bars,
//! explore's outcome set, an interleaving as per-thread swimlanes stepped through with
//! buttons (the shared state after each step), and the witnesses' verdicts; then the claims
//! and the compare plot. Every text inserted is escaped ([`esc`]).
//!
//! The page reads the commands' `--json` envelopes (`serde_json::Value`), so a page built from
//! saved outputs and one measured afresh are the same page. Opened with `#selftest` in its
//! address, its script clicks every step button, checks that the shown state changes, and
//! writes `PASS …` or `FAIL …` into `<pre id="selftest">` (for a headless browser).

use serde_json::Value;
use std::fmt::Write as _;

mod charts;
mod highlight;
use charts::outcome_table;
pub use charts::{histogram_svg, swimlanes};
pub use highlight::highlight;

/// One experiment's evidence.
pub struct Section {
    pub name: String,
    pub family: String,
    pub class: String,
    pub summary: String,
    pub lesson: String,
    /// The kernel's source file.
    pub source: String,
    /// `run --json`, `explore --json`, and a scheduled run (`hunt --json`'s `replay`, or
    /// `replay --json`), each `None` when not measured.
    pub run: Option<Value>,
    pub explore: Option<Value>,
    /// `explore --world rc11 --json` of a weak-memory lesson (with its execution graph).
    pub weak: Option<Value>,
    pub replay: Option<Value>,
    /// What the interleaving shown is (a failing one found by hunt, or an ordinary one).
    pub replay_note: String,
    /// loom, Miri, TSan verdicts from the witnesses' table, and the table's date.
    pub witnesses: Option<[String; 3]>,
}

/// The whole page.
pub struct Page {
    pub generated: String,
    /// How the evidence was obtained ("measured afresh", "from DIR").
    pub provenance: String,
    pub cpus: usize,
    pub cpu_model: Option<String>,
    pub witnesses_date: String,
    pub sections: Vec<Section>,
    /// `claims --json`, or why there is none.
    pub claims: Result<Value, String>,
    /// The compare plot (an SVG document), or why there is none.
    pub plot: Result<String, String>,
}

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// An id made of the name's letters and digits (`racy-atomic` → `exp-racy-atomic`).
fn id(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("exp-{s}")
}

/// Any JSON value as escaped text (a number as it is, a string without its quotes).
fn val(v: &Value) -> String {
    match v {
        Value::String(s) => esc(s),
        other => esc(&other.to_string()),
    }
}

/// Whether an SVG document read from a file is only a picture: no script, no event handler,
/// no link (so that embedding it cannot run or fetch anything).
pub fn inert_svg(svg: &str) -> bool {
    let lower = svg.to_ascii_lowercase();
    let handler = lower.match_indices(" on").any(|(i, _)| {
        lower[i + 3..]
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .count()
            > 0
            && lower[i + 3..]
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .starts_with('=')
    });
    !(lower.contains("<script") || lower.contains("href") || lower.contains("url(") || handler)
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A grade's CSS class.
fn grade_class(g: &str) -> &'static str {
    match g {
        "ACCEPTABLE" => "ok",
        "INTERESTING" => "warn",
        _ => "bad",
    }
}

fn section(s: &Section) -> String {
    let sid = id(&s.name);
    let mut h = format!(
        "<section class=\"experiment\" id=\"{sid}\"><h2>{} <span class=\"tag {}\">{}</span></h2><p class=\"muted\">{} · family {}</p>",
        esc(&s.name),
        if s.class == "fixed" { "ok" } else { "bad" },
        esc(&s.class),
        esc(&s.summary),
        esc(&s.family)
    );
    let _ = write!(
        h,
        "<h3>Lesson</h3><pre class=\"lesson\">{}</pre><details><summary>Kernel source</summary><pre class=\"code\">{}</pre></details>",
        esc(&s.lesson),
        highlight(&s.source)
    );
    h.push_str("<h3>Native run</h3>");
    match &s.run {
        Some(r) => {
            let _ = write!(
                h,
                "<p>{} threads × {} increments, {} trials. <b>{}</b></p>{}",
                val(&r["params"]["threads"]),
                val(&r["params"]["iters"]),
                val(&r["params"]["trials"]),
                esc(str_of(r, "verdict")),
                histogram_svg(r)
            );
        }
        None => h.push_str("<p class=\"muted\">not measured</p>"),
    }
    h.push_str("<h3>Explore: every execution</h3>");
    match &s.explore {
        Some(e) => {
            let _ = write!(
                h,
                "<p>{} world, {} threads × {} increments: <b>{}</b></p>{}",
                esc(str_of(e, "world")),
                val(&e["params"]["threads"]),
                val(&e["params"]["iters"]),
                esc(str_of(e, "verdict")),
                outcome_table(e, "executions")
            );
        }
        None => h.push_str("<p class=\"muted\">not measured</p>"),
    }
    if let Some(w) = &s.weak {
        h.push_str("<h3>Weak memory: the execution graph (rc11 world)</h3>");
        let _ = write!(
            h,
            "<p>{} threads × {} increments: <b>{}</b></p>",
            val(&w["params"]["threads"]),
            val(&w["params"]["iters"]),
            esc(str_of(w, "verdict"))
        );
        let g = &w["graph"];
        match g["svg"].as_str() {
            // The lab's own SVG: every label in it is escaped where it is drawn.
            Some(svg) if svg.starts_with("<svg") => {
                let _ = write!(
                    h,
                    "<p>{}: po (program order), rf (which write each read read from), mo (each location's modification order).</p><div class=\"graph\">{svg}</div>",
                    esc(str_of(g, "of"))
                );
            }
            _ => h.push_str("<p class=\"muted\">no graph</p>"),
        }
        if let Some(t) = w["failing"][0]["timeline"].as_str() {
            let _ = write!(
                h,
                "<details><summary>The same execution as a timeline (each read names its source)</summary><pre>{}</pre></details>",
                esc(t)
            );
        }
    }
    h.push_str("<h3>An interleaving, step by step</h3>");
    match &s.replay {
        Some(r) => {
            let end = match r["final_value"].as_u64() {
                Some(v) => format!("final {v} (expected {})", r["expected"]),
                None => "no final value: deadlock".into(),
            };
            let _ = write!(
                h,
                "<p>{} Schedule <code>{}</code>; {} — {} {}</p>{}",
                esc(&s.replay_note),
                esc(str_of(r, "decisions")),
                esc(&end),
                esc(str_of(r, "grade")),
                esc(str_of(r, "meaning")),
                swimlanes(&sid, r)
            );
            let why = str_of(r, "explanation");
            if !why.is_empty() {
                let _ = write!(h, "<p>→ {}</p>", esc(why));
            }
        }
        None => {
            let _ = write!(h, "<p class=\"muted\">{}</p>", esc(&s.replay_note));
        }
    }
    h.push_str("<h3>Witnesses</h3>");
    match &s.witnesses {
        Some([loom, miri, tsan]) => {
            let _ = write!(
                h,
                "<table class=\"witnesses\"><tr><th>loom</th><th>Miri</th><th>ThreadSanitizer</th></tr><tr><td>{}</td><td>{}</td><td>{}</td></tr></table>",
                esc(loom),
                esc(miri),
                esc(tsan)
            );
        }
        None => h.push_str("<p class=\"muted\">not yet witnessed</p>"),
    }
    h.push_str("<p><a href=\"#index\">↑ index</a></p></section>");
    h
}

fn claims(c: &Result<Value, String>) -> String {
    let mut h = String::from("<section id=\"claims\"><h2>Claims</h2>");
    match c {
        Err(why) => {
            let _ = write!(h, "<p class=\"muted\">not measured: {}</p>", esc(why));
        }
        Ok(v) => {
            let _ = write!(
                h,
                "<p><b>{}</b></p><table><tr><th>id</th><th>claim</th><th>verdict</th><th>why</th><th>evidence</th></tr>",
                esc(str_of(v, "verdict"))
            );
            for c in v["claims"].as_array().into_iter().flatten() {
                let verdict = str_of(c, "verdict");
                let evidence: Vec<String> = c["evidence"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| {
                        format!(
                            "{}: {} {}",
                            esc(str_of(e, "name")),
                            val(&e["value"]),
                            esc(str_of(e, "unit"))
                        )
                    })
                    .collect();
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td class=\"small\">{}</td></tr>",
                    esc(str_of(c, "id")),
                    esc(str_of(c, "text")),
                    if verdict == "holds" { "ok" } else { "warn" },
                    esc(verdict),
                    esc(str_of(c, "why")),
                    evidence.join("<br>")
                );
            }
            h.push_str("</table>");
        }
    }
    h.push_str("</section>");
    h
}

/// The page's style and its script (the timelines' stepper and the `#selftest` the
/// browser check reads), kept as the files they are.
const CSS: &str = include_str!("page.css");

const JS: &str = include_str!("page.js");

/// The page.
pub fn render(p: &Page) -> String {
    let mut h = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>race-lab report</title><style>");
    h.push_str(CSS);
    h.push_str("</style></head><body><pre id=\"selftest\" style=\"display:none\"></pre>");
    let _ = write!(
        h,
        "<h1>race-lab report</h1><p class=\"muted\">generated {} · {}</p>",
        esc(&p.generated),
        esc(&p.provenance)
    );
    let _ = write!(
        h,
        "<section id=\"machine\"><h2>The machine</h2><table><tr><th>CPUs this process may use</th><td>{}</td></tr><tr><th>model</th><td>{}</td></tr><tr><th>witnesses' table</th><td>produced {}</td></tr></table></section>",
        p.cpus,
        esc(p.cpu_model.as_deref().unwrap_or("unknown (no /proc/cpuinfo)")),
        esc(&p.witnesses_date)
    );
    h.push_str("<section id=\"index\"><h2>Experiments</h2>");
    let mut families: Vec<&str> = p.sections.iter().map(|s| s.family.as_str()).collect();
    families.dedup();
    let mut seen = Vec::new();
    for f in families {
        if seen.contains(&f) {
            continue;
        }
        seen.push(f);
        let _ = write!(
            h,
            "<h3>{}</h3><table class=\"index\"><tr><th>experiment</th><th>class</th><th>verdict (explore)</th></tr>",
            esc(f)
        );
        for s in p.sections.iter().filter(|s| s.family == f) {
            let verdict = s
                .explore
                .as_ref()
                .map_or("not measured", |e| str_of(e, "verdict"));
            let _ = write!(
                h,
                "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
                id(&s.name),
                esc(&s.name),
                esc(&s.class),
                esc(verdict)
            );
        }
        h.push_str("</table>");
    }
    h.push_str(
        "<p><a href=\"#claims\">Claims</a> · <a href=\"#compare\">Compare plot</a></p></section>",
    );
    for s in &p.sections {
        h.push_str(&section(s));
    }
    h.push_str(&claims(&p.claims));
    h.push_str("<section id=\"compare\"><h2>Compare: cost per increment</h2>");
    match &p.plot {
        Ok(svg) if !inert_svg(svg) => h.push_str(
            "<p class=\"bad\">not shown: the plot contains a script, a link or an event handler</p>",
        ),
        Ok(svg) => {
            // The SVG document inline, without its XML declaration.
            let body = svg.find("<svg").map_or(svg.as_str(), |i| &svg[i..]);
            let _ = write!(h, "<div class=\"plot\">{body}</div>");
        }
        Err(why) => {
            let _ = write!(h, "<p class=\"muted\">not measured: {}</p>", esc(why));
        }
    }
    h.push_str("</section><script>");
    h.push_str(JS);
    h.push_str("</script></body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_code_highlighted() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        let h = highlight("pub fn f() -> u64 { 1 } // <b>\nlet s = \"</script>\";");
        assert!(h.contains("<span class=\"k\">pub</span>"), "{h}");
        assert!(h.contains("<span class=\"c\">// &lt;b&gt;</span>"), "{h}");
        assert!(h.contains("&lt;/script&gt;"), "{h}");
        assert!(!h.contains("</script>"), "{h}");
    }

    #[test]
    fn only_an_inert_svg_is_embedded() {
        assert!(inert_svg(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>on=1 one</text></svg>"
        ));
        assert!(!inert_svg("<svg><script>alert(1)</script></svg>"));
        assert!(!inert_svg("<svg><rect onload=\"x()\"/></svg>"));
        assert!(!inert_svg(
            "<svg><image href=\"http://example.com/x.png\"/></svg>"
        ));
        assert_eq!(val(&serde_json::json!("<b>")), "&lt;b&gt;");
        assert_eq!(val(&serde_json::json!(8)), "8");
    }

    #[test]
    fn a_timeline_has_a_row_and_a_state_per_event() {
        let r = serde_json::json!({
            "events": [{"thread": "T0", "text": "load a0 → 0"}, {"thread": "T1", "text": "store a0 ← 1"}],
            "states": ["a0 = 0", "a0 = 1 <x>"],
        });
        let h = swimlanes("exp-x", &r);
        assert_eq!(h.matches("<tr class=\"ev\"").count(), 2);
        assert!(h.contains("data-state=\"a0 = 1 &lt;x&gt;\""), "{h}");
    }
}
