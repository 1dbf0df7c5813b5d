//! `race-lab litmus`: per test and ordering, the outcomes seen on this CPU next to the ones
//! loom produces, then the three-way verdict (model / hardware / loom) of every run.

use super::{pct, table};
use crate::litmus::LitmusReport;
use std::io::{self, Write};

/// The tests as one JSON document (schema `race-lab.litmus/2`).
pub fn json(w: &mut dyn Write, reports: &[LitmusReport]) -> io::Result<()> {
    super::json(
        w,
        &serde_json::json!({"schema": "race-lab.litmus/2", "tests": reports}),
    )
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
        "test", "ordering", "outcome", "model", "here", "at once", "near", "loom", "verdict",
    ]);
    for r in reports {
        t.add_row(vec![
            r.test.to_string(),
            r.ordering.name().to_string(),
            r.interesting.clone(),
            r.model.as_str().to_string(),
            if r.native_seen == 0 {
                format!("never in {}", r.iterations)
            } else {
                format!("{} of {}", r.native_seen, r.iterations)
            },
            pct(r.overlapped as f64 / r.iterations.max(1) as f64),
            pct(r.near as f64 / r.iterations.max(1) as f64),
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
    writeln!(w, "Verdicts: the model (C11, as cited), this CPU, loom")?;
    writeln!(w, "{t}")
}
