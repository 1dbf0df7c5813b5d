//! `race-lab litmus`: per test, the outcomes seen on this CPU next to the ones loom allows.

use super::{pct, table};
use crate::litmus::LitmusReport;
use std::io::{self, Write};

/// The tests as one JSON document (schema `race-lab.litmus/1`).
pub fn json(w: &mut dyn Write, reports: &[LitmusReport]) -> io::Result<()> {
    super::json(
        w,
        &serde_json::json!({"schema": "race-lab.litmus/1", "tests": reports}),
    )
}

/// The tests as tables, one after the other.
pub fn text(w: &mut dyn Write, reports: &[LitmusReport]) -> io::Result<()> {
    reports.iter().try_for_each(|r| one(w, r))
}

/// `race-lab litmus`: one test.
fn one(w: &mut dyn Write, r: &LitmusReport) -> io::Result<()> {
    writeln!(
        w,
        "{} (ordering {}): {} iterations on this CPU, {} executions under loom",
        r.test,
        r.ordering.name(),
        r.iterations,
        r.loom_executions
    )?;
    let mut t = table(&[
        "outcome",
        "seen here",
        "frequency",
        "loom",
        "grade",
        "meaning",
    ]);
    for row in &r.rows {
        t.add_row(vec![
            row.outcome.clone(),
            row.native.to_string(),
            pct(row.native as f64 / r.iterations.max(1) as f64),
            if row.loom {
                "allowed".into()
            } else {
                "-".into()
            },
            row.grade.as_str().to_string(),
            row.meaning.to_string(),
        ]);
    }
    writeln!(w, "{t}")?;
    writeln!(w, "{}", r.observation)?;
    writeln!(w, "{}\n", r.verdict)
}
