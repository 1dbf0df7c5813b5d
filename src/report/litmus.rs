//! `race-lab litmus`: per test and ordering, the outcomes seen on this CPU next to the ones
//! loom produces, then the three-way verdict (model / hardware / loom) of every run.

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
            rc11: Some(row.rc11),
            ..OutcomeRow::new(
                Some(Outcome::of(
                    &r.registers
                        .iter()
                        .copied()
                        .zip(row.values.iter().copied())
                        .collect::<Vec<_>>(),
                )),
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

/// The tests as tables, one after the other, and the verdicts together when there are
/// several.
pub fn text(w: &mut dyn Write, reports: &[LitmusReport]) -> io::Result<()> {
    reports.iter().try_for_each(|r| one(w, r))?;
    if reports.len() > 1 {
        verdicts(w, reports)?;
    }
    Ok(())
}

/// `race-lab litmus`: one test under one ordering.
fn one(w: &mut dyn Write, r: &LitmusReport) -> io::Result<()> {
    writeln!(
        w,
        "{} (ordering {}): {} iterations on this CPU, {} executions under loom, {} graphs in the rc11 world",
        r.test,
        r.ordering.name(),
        r.iterations,
        r.loom_executions,
        r.rc11_graphs
    )?;
    let mut t = table(&[
        "outcome",
        "seen here",
        "frequency",
        "loom",
        "rc11",
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
            if row.rc11 {
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
    writeln!(w, "{}", overlap(r))?;
    writeln!(w, "model: {}", r.citation)?;
    writeln!(w, "{}\n", r.verdict)
}

/// How many iterations ran all the actors at once.
fn overlap(r: &LitmusReport) -> String {
    let crowded = if r.actors > r.cores {
        format!(
            " ({} actors on {} cores: they can never all run at once here, so these counts \
             come from threads taking turns, not from the hardware's reorderings)",
            r.actors, r.cores
        )
    } else {
        String::new()
    };
    let of = |n: u64| pct(n as f64 / r.iterations.max(1) as f64);
    format!(
        "overlap: all {} actors ran at once in {} of {} iterations ({}), started within {} ns \
         of each other in {} ({}){crowded}",
        r.actors,
        r.overlapped,
        r.iterations,
        of(r.overlapped),
        r.near_ns,
        r.near,
        of(r.near),
    )
}

/// The three-way verdicts: per test and ordering, the model, this CPU, loom.
fn verdicts(w: &mut dyn Write, reports: &[LitmusReport]) -> io::Result<()> {
    let mut t = table(&[
        "test", "ordering", "outcome", "model", "here", "at once", "near", "rc11", "loom",
        "verdict",
    ]);
    for r in reports {
        t.add_row(vec![
            r.test.to_string(),
            r.ordering.name().to_string(),
            r.interesting.clone(),
            match (&r.forbidden_by, r.model_rc11 == r.model) {
                (Some(a), _) => format!("forbidden: {}", a.split(' ').next().unwrap_or(a)),
                (None, true) => r.model.as_str().to_string(),
                (None, false) => format!("{} (RC11: no)", r.model.as_str()),
            },
            if r.native_seen == 0 {
                format!("never in {}", r.iterations)
            } else {
                format!("{} of {}", r.native_seen, r.iterations)
            },
            pct(r.overlapped as f64 / r.iterations.max(1) as f64),
            pct(r.near as f64 / r.iterations.max(1) as f64),
            if r.rc11_found {
                "found".into()
            } else {
                format!("not in {}", r.rc11_graphs)
            },
            if r.loom_found {
                "found".into()
            } else {
                format!("not in {}", r.loom_executions)
            },
            format!(
                "{}{}",
                r.loom_vs_model.as_str(),
                if r.forbidden_seen {
                    "; FORBIDDEN seen here"
                } else {
                    ""
                }
            ),
        ]);
    }
    writeln!(
        w,
        "Verdicts: the model (C++20, computed from every candidate execution), this CPU, the rc11 world, loom"
    )?;
    writeln!(w, "{t}")
}
