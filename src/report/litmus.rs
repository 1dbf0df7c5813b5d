//! `race-lab litmus`: per test, the outcomes seen on this CPU next to the ones loom allows.

use super::envelope::{object, Envelope, Machine, OutcomeRow};
use super::{pct, table};
use crate::experiment::Outcome;
use crate::litmus::LitmusReport;
use std::io::{self, Write};

/// The tests as one JSON document (schema `race-lab.litmus/2`): the envelope, then
/// `tests[]`, each with its own `outcomes[]` in the family's row shape.
pub fn json(
    w: &mut dyn Write,
    reports: &[LitmusReport],
    params: serde_json::Value,
    warnings: Vec<String>,
    interrupted: bool,
) -> io::Result<()> {
    let tests: Vec<serde_json::Value> = reports.iter().map(test).collect();
    let verdict = reports
        .iter()
        .map(|r| r.verdict.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    Envelope::new("litmus")
        .params(params)
        .machine(Machine::with(warnings))
        .verdict(verdict)
        .interrupted(interrupted)
        .field("tests", tests)
        .write(w)
}

/// One test: its fields, with `rows` as outcome rows.
fn test(r: &LitmusReport) -> serde_json::Value {
    let outcomes: Vec<OutcomeRow> = r
        .rows
        .iter()
        .map(|row| OutcomeRow {
            frequency: Some(row.native as f64 / r.iterations.max(1) as f64),
            loom: Some(row.loom),
            ..OutcomeRow::new(
                Some(Outcome::of(&[("r0", row.r0), ("r1", row.r1)])),
                row.outcome.clone(),
                row.native,
                row.grade,
                row.meaning,
            )
        })
        .collect();
    let mut m = object(serde_json::to_value(r).unwrap_or_default());
    m.remove("schema");
    m.remove("rows");
    m.insert(
        "outcomes".into(),
        serde_json::to_value(outcomes).unwrap_or_default(),
    );
    serde_json::Value::Object(m)
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
