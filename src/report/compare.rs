//! `race-lab compare`: the table (baselines, experiments, the ranking of the fixes), the
//! CSV and the JSON (schema `race-lab.compare/2`), all carrying the same rows.

use super::envelope::{Envelope, Machine};
use crate::compare::{CompareReport, Row};
use comfy_table::{presets::UTF8_BORDERS_ONLY, CellAlignment, Table};
use std::fmt::Display;
use std::io::{self, Write};

/// The report as JSON (schema `race-lab.compare/2`): the envelope, then `baselines[]` and
/// `rows[]` (the CSV's rows). Figures are not graded outcomes: the top-level `outcomes` is
/// empty, and a FORBIDDEN outcome is named in `forbidden[]` and the verdict.
pub fn json(w: &mut dyn Write, r: &CompareReport) -> io::Result<()> {
    let mut experiments: Vec<&str> = Vec::new();
    for e in r.rows.iter().filter_map(|row| row.experiment.as_deref()) {
        if !experiments.contains(&e) {
            experiments.push(e);
        }
    }
    let verdict = if r.forbidden.is_empty() {
        format!(
            "{} experiments at threads {:?}: no outcome graded FORBIDDEN",
            experiments.len(),
            r.threads
        )
    } else {
        format!("FORBIDDEN: {}", r.forbidden.join("; "))
    };
    Envelope::new("compare")
        .params(serde_json::json!({
            "experiments": experiments,
            "threads": r.threads,
            "iters": r.iters,
            "trials": r.trials_requested,
        }))
        .machine(Machine {
            other_cpu_use: r.other_cpu_use,
            ..Machine::with(r.warnings.clone())
        })
        .verdict(verdict)
        .interrupted(r.interrupted)
        .body(
            r,
            &[
                "cpus",
                "threads",
                "iters",
                "trials_requested",
                "warnings",
                "other_cpu_use",
            ],
        )
        .write(w)
}

/// The columns of the CSV, one per field of [`Row`].
pub const CSV_HEADER: &str = "kind,name,experiment,batch,class,threads,iters,trials,ns_per_increment,m_increments_per_s,lost_pct,speedup,x_fetch_add,x_ping_pong";

/// The report as CSV: the baselines, then the experiments; figures at full precision.
pub fn csv(w: &mut dyn Write, r: &CompareReport) -> io::Result<()> {
    fn opt<T: Display>(x: &Option<T>) -> String {
        x.as_ref().map(|v| v.to_string()).unwrap_or_default()
    }
    fn field(s: &str) -> String {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    writeln!(w, "{CSV_HEADER}")?;
    for row in r.baselines.iter().chain(&r.rows) {
        let fields = [
            field(&row.kind),
            field(&row.name),
            field(&row.experiment.clone().unwrap_or_default()),
            opt(&row.batch),
            field(&row.class),
            row.threads.to_string(),
            row.iters.to_string(),
            row.trials.to_string(),
            opt(&row.ns_per_increment),
            opt(&row.m_increments_per_s),
            opt(&row.lost_pct),
            opt(&row.speedup),
            opt(&row.x_fetch_add),
            opt(&row.x_ping_pong),
        ];
        writeln!(w, "{}", fields.join(","))?;
    }
    Ok(())
}

/// Three significant figures, without scientific notation.
pub(super) fn sig(x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let a = x.abs();
    let decimals = if a >= 100.0 || a == 0.0 {
        0
    } else {
        (2 - a.log10().floor() as i32).clamp(0, 6) as usize
    };
    format!("{x:.decimals$}")
}

/// A ratio to a baseline; below 0.001 the figure is noise around "free".
fn ratio(x: Option<f64>) -> String {
    match x {
        Some(v) if v < 0.001 => "<0.001×".into(),
        Some(v) => format!("{}×", sig(v)),
        None => "-".into(),
    }
}

fn cells(r: &Row) -> Vec<String> {
    let f = |x: Option<f64>, unit: &str| x.map(|v| format!("{}{unit}", sig(v)));
    let lost = match r.lost_pct {
        Some(0.0) => "0".to_string(),
        Some(l) if l < 0.1 => format!("{l:.3}%"),
        Some(l) => format!("{l:.1}%"),
        None => "-".into(),
    };
    vec![
        r.name.clone(),
        r.threads.to_string(),
        f(r.ns_per_increment, "").unwrap_or_else(|| "-".into()),
        f(r.m_increments_per_s, "").unwrap_or_else(|| "-".into()),
        lost,
        f(r.speedup, "×").unwrap_or_else(|| "-".into()),
        ratio(r.x_fetch_add),
        ratio(r.x_ping_pong),
    ]
}

fn table(first: &str) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        first,
        "threads",
        "ns/incr",
        "M incr/s",
        "lost",
        "speed-up",
        "× fetch_add",
        "× ping-pong",
    ]);
    for c in 1..8 {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// The fixed versions at `threads`, fastest first.
pub fn ranking(r: &CompareReport, threads: usize) -> Vec<(&str, f64)> {
    let mut v: Vec<(&str, f64)> = r
        .rows
        .iter()
        .filter(|row| row.threads == threads && row.class == "fixed")
        .filter_map(|row| row.ns_per_increment.map(|ns| (row.name.as_str(), ns)))
        .collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1));
    v
}

/// The report as text: the baselines, the table, the ranking of the fixes, warnings.
pub fn text(w: &mut dyn Write, r: &CompareReport) -> io::Result<()> {
    let names: Vec<&str> = {
        let mut n: Vec<&str> = r.rows.iter().map(|row| row.name.as_str()).collect();
        n.dedup();
        n
    };
    writeln!(
        w,
        "race-lab compare: {} experiments × threads {}, {} increments per thread, median of {} trials; {} CPUs",
        names.len(),
        r.threads
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(","),
        r.iters,
        if r.interrupted {
            format!("up to {} (interrupted)", r.trials_requested)
        } else {
            r.trials_requested.to_string()
        },
        r.cpus
    )?;
    writeln!(
        w,
        "hardware baselines, measured in this run (raw std atomics, no lab code in the loop):"
    )?;
    let mut t = table("baseline");
    for row in &r.baselines {
        t.add_row(cells(row));
    }
    writeln!(w, "{t}")?;
    let mut t = table("experiment");
    for row in &r.rows {
        t.add_row(cells(row));
    }
    writeln!(w, "{t}")?;
    writeln!(
        w,
        "ns/incr: wall time ÷ (threads × increments), all threads together; speed-up: throughput over 1 thread;\n\
         × fetch_add: over the uncontended (1 thread) or contended (2+ threads) fetch_add; × ping-pong: over one cache-line handoff"
    )?;
    for &t in r.threads.iter().filter(|&&t| t > 1) {
        let rank = ranking(r, t);
        if rank.len() > 1 {
            let list: Vec<String> = rank
                .iter()
                .map(|(n, ns)| format!("{n} {}", sig(*ns)))
                .collect();
            writeln!(
                w,
                "fixes by throughput at {t} threads (fastest first, ns/incr): {}",
                list.join(" > ")
            )?;
        }
    }
    writeln!(w, "took {:.1} s", r.seconds)?;
    for warning in &r.warnings {
        writeln!(w, "{warning}")?;
    }
    Ok(())
}
