//! `race-lab run`: a thread experiment's trials, histogram, cost and verdict; a process
//! experiment's evidence.

use super::envelope::{Envelope, Machine, OutcomeRow};
use super::{number, pct, table};
use crate::experiment::Outcome;
use crate::harness::RunReport;
use crate::procs::{Evidence, ProcParams};
use serde_json::json;
use std::io::{self, Write};

/// A thread experiment's run as JSON (schema `race-lab.run/2`).
pub fn document(r: &RunReport) -> Envelope {
    let p = &r.params;
    let outcomes = r
        .histogram
        .iter()
        .map(|h| OutcomeRow {
            frequency: Some(h.frequency),
            min: h.min,
            max: h.max,
            ..OutcomeRow::new(
                h.record.clone(),
                h.outcome.clone(),
                h.count as u64,
                h.grade,
                h.meaning,
            )
        })
        .collect();
    Envelope::new("run")
        .params(json!({
            "experiment": r.experiment,
            "threads": p.threads,
            "iters": p.iters,
            "ordering": r.ordering_applies.then(|| p.ordering.name()),
            "window": p.window,
            "batch": p.batch,
            "trials": r.trials_requested,
            "pin": r.pin,
        }))
        .machine(Machine {
            other_cpu_use: r.other_cpu_use,
            ..Machine::with(r.warnings.clone())
        })
        .outcomes(outcomes)
        .verdict(&r.verdict)
        .interrupted(r.interrupted)
        .field("kind", "thread")
        .body(
            r,
            &[
                "experiment",
                "histogram",
                "cpus",
                "warnings",
                "other_cpu_use",
                "ordering_applies",
                "trials_requested",
                "pin",
            ],
        )
}

/// A process experiment's evidence as JSON (schema `race-lab.run/2`, `kind: process`).
pub fn evidence_json(
    w: &mut dyn Write,
    ev: &Evidence,
    p: &ProcParams,
    interrupted: bool,
) -> io::Result<()> {
    let outcomes = ev
        .outcomes
        .iter()
        .map(|t| {
            let grade = t.grade;
            OutcomeRow::new(
                t.value.map(Outcome::value),
                t.label.clone(),
                t.count,
                grade,
                t.meaning.clone(),
            )
        })
        .collect();
    Envelope::new("run")
        .params(json!({
            "experiment": ev.experiment,
            "procs": p.procs,
            "iters": p.iters,
            "trials": p.trials,
            "sync": p.sync,
            "pool": p.pool,
            "tasks": p.tasks,
        }))
        .machine(Machine::with(ev.warnings.clone()))
        .outcomes(outcomes)
        .verdict(&ev.verdict)
        .interrupted(interrupted)
        .field("kind", "process")
        .body(ev, &["experiment", "warnings"])
        .write(w)
}

/// A thread experiment's run.
pub fn text(w: &mut dyn Write, r: &RunReport) -> io::Result<()> {
    let p = &r.params;
    let mut opts = Vec::new();
    if p.window > 0 {
        opts.push(format!("window {}", p.window));
    }
    if p.batch > 1 {
        opts.push(format!("batch {}", p.batch));
    }
    if r.ordering_applies {
        opts.push(format!("ordering {}", p.ordering.name()));
    }
    if let Some(pin) = &r.pin {
        opts.push(format!("pinned to CPU {pin:?}"));
    }
    writeln!(
        w,
        "{}: {} threads × {} increments, {} trials on {} CPUs{}",
        r.experiment,
        p.threads,
        p.iters,
        r.trials.len(),
        r.cpus,
        if opts.is_empty() {
            String::new()
        } else {
            format!(" ({})", opts.join(", "))
        }
    )?;
    if r.trials.len() <= 20 {
        let mut head = vec![
            "trial", "final", "expected", "lost", "lost %", "ms", "ns/incr",
        ];
        if let Some(m) = r.metric_name {
            head.push(m);
        }
        let mut t = table(&head);
        for (i, tr) in r.trials.iter().enumerate() {
            let mut row = vec![
                (i + 1).to_string(),
                tr.value.map(|v| v.to_string()).unwrap_or_else(|| {
                    crate::experiments::find(r.experiment)
                        .map_or("deadlock", |e| e.unfinished())
                        .into()
                }),
                tr.expected.to_string(),
                tr.lost.to_string(),
                if tr.expected > 0 {
                    pct(tr.lost as f64 / tr.expected as f64)
                } else {
                    "-".into()
                },
                tr.wall_ns
                    .map(|n| format!("{:.2}", n as f64 / 1e6))
                    .unwrap_or_else(|| "-".into()),
                tr.ns_per_increment
                    .map(|n| format!("{n:.2}"))
                    .unwrap_or_else(|| "-".into()),
            ];
            if r.metric_name.is_some() {
                row.push(tr.metric.to_string());
            }
            t.add_row(row);
        }
        writeln!(w, "{t}")?;
    }
    writeln!(w, "outcomes:")?;
    let mut t = table(&["final value", "trials", "frequency", "grade", "meaning"]);
    for row in &r.histogram {
        t.add_row(vec![
            row.outcome.clone(),
            row.count.to_string(),
            pct(row.frequency),
            row.grade.as_str().to_string(),
            row.meaning.to_string(),
        ]);
    }
    writeln!(w, "{t}")?;
    if let Some(ns) = r.ns_per_increment {
        writeln!(
            w,
            "cost: {ns:.2} ns per increment, all threads together ({:.1} M increments/s; median over trials)",
            1e3 / ns
        )?;
    }
    for warning in &r.warnings {
        writeln!(w, "{warning}")?;
    }
    writeln!(w, "{}", r.verdict)
}

/// A process experiment's evidence.
pub fn evidence(w: &mut dyn Write, ev: &Evidence) -> io::Result<()> {
    let mut t = table(&["measure", "value", "unit"]);
    for m in &ev.measures {
        t.add_row(vec![m.name.clone(), number(m.value), m.unit.clone()]);
    }
    writeln!(w, "{}: {} CPUs", ev.experiment, crate::machine::cpus())?;
    writeln!(w, "{t}")?;
    for n in &ev.notes {
        writeln!(w, "  {n}")?;
    }
    for warning in &ev.warnings {
        writeln!(w, "{warning}")?;
    }
    writeln!(w, "{}", ev.verdict)
}
