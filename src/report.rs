//! Printers: every report as a human-readable text or as JSON, written to any `Write`.

use crate::experiment::{Experiment, Opt};
use crate::explore::ExploreReport;
use crate::harness::RunReport;
use crate::hunt::{HuntReport, ReplayReport};
use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};
use serde::Serialize;
use std::io::{self, Write};

/// Writes any report as pretty JSON followed by a newline.
pub fn json<T: Serialize>(w: &mut dyn Write, report: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report).map_err(io::Error::other)?;
    writeln!(w)
}

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY).set_header(header.to_vec());
    t
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// Option flags, space-separated.
fn flags<'a>(f: impl Iterator<Item = &'a str>) -> String {
    f.collect::<Vec<_>>().join(" ")
}

/// `race-lab list`.
pub fn list(w: &mut dyn Write, all: &[&Experiment]) -> io::Result<()> {
    let mut t = table(&["experiment", "class", "options", "what it does"]);
    for e in all {
        t.add_row(vec![
            e.name.to_string(),
            e.class.name().to_string(),
            flags(e.options.iter().map(|o| o.flag())),
            e.summary.to_string(),
        ]);
    }
    writeln!(w, "{t}")?;
    writeln!(
        w,
        "run one: race-lab run <experiment>   read its lesson: race-lab explain <experiment>"
    )
}

/// `race-lab run`.
pub fn run(w: &mut dyn Write, r: &RunReport) -> io::Result<()> {
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
                tr.value
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "deadlock".into()),
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

/// `race-lab explain`.
pub fn explain(w: &mut dyn Write, e: &Experiment, witnesses: Option<&str>) -> io::Result<()> {
    writeln!(w, "{}\n", e.lesson())?;
    let opts: Vec<&str> = e.options.iter().map(|o: &Opt| o.flag()).collect();
    writeln!(w, "class: {}", e.class.describe())?;
    writeln!(
        w,
        "defaults: --threads {} --iters {}{}",
        e.default_threads,
        e.default_iters,
        if opts.is_empty() {
            String::new()
        } else {
            format!("; also takes {}", opts.join(" "))
        }
    )?;
    if let Some(wit) = witnesses {
        writeln!(w, "{wit}")?;
    }
    writeln!(
        w,
        "\nthe kernel (experiments/{}.rs):\n",
        e.name.replace('-', "_")
    )?;
    writeln!(w, "{}", e.code())
}

/// `race-lab explore`.
pub fn explore(w: &mut dyn Write, r: &ExploreReport) -> io::Result<()> {
    let bound = match r.preemption_bound {
        Some(b) => format!("at most {b} preemptions"),
        None => "no preemption bound".into(),
    };
    let ordering = r
        .ordering
        .as_deref()
        .map(|o| format!("ordering {o}, "))
        .unwrap_or_default();
    writeln!(
        w,
        "{}: {} threads × {} increments under loom ({ordering}{bound})",
        r.experiment, r.threads, r.iters
    )?;
    writeln!(
        w,
        "explored {} executions in {:.2} s: {}",
        r.executions,
        r.seconds,
        if r.complete {
            "COMPLETE".to_string()
        } else {
            format!(
                "INCOMPLETE — {}",
                r.stopped.as_deref().unwrap_or("stopped early")
            )
        }
    )?;
    if !r.outcomes.is_empty() {
        let total: u64 = r.outcomes.iter().map(|o| o.executions).sum();
        let mut t = table(&["final value", "executions", "frequency", "grade", "meaning"]);
        for o in r.outcomes.iter().rev() {
            t.add_row(vec![
                o.value.to_string(),
                o.executions.to_string(),
                pct(o.executions as f64 / total.max(1) as f64),
                o.grade.clone(),
                o.meaning.clone(),
            ]);
        }
        writeln!(w, "{t}")?;
    }
    for (i, f) in r.failing.iter().enumerate() {
        writeln!(
            w,
            "\nfailing execution {} of the ones shown (final {}):",
            i + 1,
            f.final_value
        )?;
        write!(w, "{}", f.timeline)?;
        writeln!(w, "→ {}", f.explanation)?;
    }
    if let Some(race) = &r.race {
        writeln!(w, "\ndata race (loom: {}):", race.loom_message)?;
        write!(w, "{}", race.timeline)?;
        for a in &race.accesses {
            writeln!(w, "  access: {a}")?;
        }
        writeln!(w, "→ {}", race.summary)?;
    }
    if let Some(d) = &r.deadlock {
        writeln!(w, "\ndeadlock (loom: {}):", d.loom_message)?;
        write!(w, "{}", d.timeline)?;
        writeln!(w, "→ {}", d.summary)?;
    }
    writeln!(w, "{}", r.verdict)
}

/// How a replayed run ended, and why.
fn replay_outcome(w: &mut dyn Write, r: &ReplayReport) -> io::Result<()> {
    match r.final_value {
        Some(v) => writeln!(
            w,
            "final {v} (expected {}): {} — {}",
            r.expected, r.grade, r.meaning
        )?,
        None => writeln!(w, "DEADLOCK: {}", r.deadlock.join("; "))?,
    }
    if !r.explanation.is_empty() && r.final_value.is_some() {
        writeln!(w, "→ {}", r.explanation)?;
    }
    Ok(())
}

/// `race-lab replay`.
pub fn replay(w: &mut dyn Write, r: &ReplayReport) -> io::Result<()> {
    writeln!(
        w,
        "{}: {} threads × {} increments, schedule \"{}\"",
        r.experiment, r.threads, r.iters, r.schedule
    )?;
    write!(w, "{}", r.timeline)?;
    replay_outcome(w, r)?;
    if r.ran_out {
        writeln!(
            w,
            "the schedule ran out after {} entries; the default order (the worker that ran last keeps running) decided the rest: decisions {}",
            r.used, r.decisions
        )?;
    } else {
        writeln!(
            w,
            "decisions: {}",
            if r.decisions.is_empty() {
                "(none needed)"
            } else {
                &r.decisions
            }
        )?;
    }
    Ok(())
}

/// `race-lab hunt`.
pub fn hunt(w: &mut dyn Write, r: &HuntReport) -> io::Result<()> {
    writeln!(
        w,
        "{}: {} threads × {} increments; proptest, seed {}, up to {} schedules",
        r.experiment, r.threads, r.iters, r.seed, r.cases_requested
    )?;
    if let (Some(min), Some(rep)) = (&r.minimal, &r.replay) {
        writeln!(
            w,
            "found a failing schedule after {} cases ({} entries); shrunk it in {} steps to {} entries",
            r.cases_run,
            r.original.as_deref().map(|o| o.split(',').filter(|s| !s.is_empty()).count()).unwrap_or(0),
            r.shrink_steps,
            min.split(',').filter(|s| !s.is_empty()).count()
        )?;
        writeln!(w, "minimal schedule: {min}")?;
        replay(w, rep)?;
        writeln!(
            w,
            "replay it: race-lab replay {} --threads {} --iters {} --schedule '{}'",
            r.experiment, r.threads, r.iters, min
        )?;
    }
    writeln!(w, "{} ({:.2} s)", r.verdict, r.seconds)
}

/// `race-lab list`: the process experiments.
pub fn list_process(w: &mut dyn Write, all: &[&crate::procs::ProcExperiment]) -> io::Result<()> {
    let mut t = table(&["process experiment", "claims", "options", "what it does"]);
    for e in all {
        t.add_row(vec![
            e.name.to_string(),
            e.claims.join(" "),
            flags(e.options.iter().map(|o| o.flag())),
            e.summary.to_string(),
        ]);
    }
    writeln!(w, "{t}")?;
    writeln!(
        w,
        "measure the study notes' claims: race-lab claims [C1 … C23] [--lang zh]"
    )
}

/// `race-lab explain` of a process experiment.
pub fn explain_process(w: &mut dyn Write, e: &crate::procs::ProcExperiment) -> io::Result<()> {
    writeln!(w, "claims: {}\n", e.claims.join(", "))?;
    explain_source(
        w,
        e.source,
        &format!("experiments/{}.rs", e.name.replace('-', "_")),
    )
}

/// The lesson (the `//!` header) and then the code of an experiment's source file.
pub fn explain_source(w: &mut dyn Write, source: &str, path: &str) -> io::Result<()> {
    let lesson: Vec<&str> = source
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .collect();
    for l in &lesson {
        writeln!(
            w,
            "{}",
            l.trim_start_matches("//!").strip_prefix(' ').unwrap_or("")
        )?;
    }
    writeln!(w, "\nthe experiment ({path}):\n")?;
    let code: Vec<&str> = source
        .lines()
        .skip(lesson.len())
        .skip_while(|l| l.trim().is_empty())
        .collect();
    writeln!(w, "{}", code.join("\n"))
}

fn number(v: f64) -> String {
    if v.is_nan() {
        "-".into()
    } else if (v == v.trunc() && v.abs() < 1e15) || v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// A process experiment's evidence.
pub fn evidence(w: &mut dyn Write, ev: &crate::procs::Evidence) -> io::Result<()> {
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

/// `race-lab claims`.
pub fn claims(
    w: &mut dyn Write,
    results: &[crate::claims::ClaimResult],
    zh: bool,
) -> io::Result<()> {
    for c in results {
        writeln!(
            w,
            "{} [{}] {}",
            c.id,
            c.verdict.as_str(),
            if zh { c.text_zh } else { c.text }
        )?;
        writeln!(w, "    experiments: {}", c.experiments.join(", "))?;
        for m in &c.evidence {
            writeln!(w, "    • {} = {} {}", m.name, number(m.value), m.unit)?;
        }
        writeln!(w, "    why: {}\n", c.why)?;
    }
    let count = |v: crate::claims::Verdict| results.iter().filter(|c| c.verdict == v).count();
    writeln!(
        w,
        "{} claims on {} CPUs: {} hold, {} hold with a nuance, {} do not hold in Rust",
        results.len(),
        crate::machine::cpus(),
        count(crate::claims::Verdict::Holds),
        count(crate::claims::Verdict::Nuance),
        count(crate::claims::Verdict::DoesNotHold)
    )
}

/// `race-lab litmus`: one test.
pub fn litmus(w: &mut dyn Write, r: &crate::litmus::LitmusReport) -> io::Result<()> {
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

/// `race-lab replay --step`: the interleaving one operation at a time, with the shared
/// state after each — The Deadlock Empire's view. `pause` is called between steps (the CLI
/// waits for Enter there, on a terminal); it returns false to stop.
pub fn step(
    w: &mut dyn Write,
    r: &ReplayReport,
    pause: &mut dyn FnMut(&mut dyn Write) -> io::Result<bool>,
) -> io::Result<()> {
    writeln!(
        w,
        "{}: {} threads × {} increments, schedule \"{}\" — {} steps",
        r.experiment,
        r.threads,
        r.iters,
        r.schedule,
        r.events.len()
    )?;
    for (i, (e, state)) in r.events.iter().zip(&r.states).enumerate() {
        writeln!(w, "step {:>3}  {:<4} {}", i + 1, e.thread, e.text)?;
        writeln!(w, "          {state}")?;
        if i + 1 < r.events.len() && !pause(w)? {
            return Ok(());
        }
    }
    replay_outcome(w, r)
}
