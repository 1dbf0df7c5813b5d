//! `race-lab hunt` and `race-lab replay`: the schedule found, the replayed timeline, and the
//! step-by-step view.

use super::envelope::{Envelope, Machine, OutcomeRow};
use crate::experiment::Ending;
use crate::hunt::{HuntReport, ReplayReport};
use serde_json::{json, Value};
use std::io::{self, Write};

/// The one outcome of a scheduled run.
fn replay_row(r: &ReplayReport) -> OutcomeRow {
    OutcomeRow::new(
        r.outcome.clone(),
        r.outcome
            .as_ref()
            .map_or("deadlock".to_string(), |o| o.to_string()),
        1,
        r.grade,
        r.meaning.clone(),
    )
}

/// The one line `replay` ends its text with, as the verdict.
fn replay_verdict(r: &ReplayReport) -> String {
    match r.final_value {
        Some(v) => format!(
            "final {v} (expected {}): {} — {}",
            r.expected,
            r.grade.as_str(),
            r.meaning
        ),
        None => format!("{}: {}", stuck_kind(r), r.deadlock.join("; ")),
    }
}

/// DEADLOCK, or LIVELOCK for a run whose threads kept stepping past the step bound.
fn stuck_kind(r: &ReplayReport) -> &'static str {
    if r.ending == Ending::Livelock {
        "LIVELOCK"
    } else {
        "DEADLOCK"
    }
}

/// `race-lab replay --json` (schema `race-lab.replay/2`).
pub fn replay_document(r: &ReplayReport, warnings: Vec<String>) -> Envelope {
    Envelope::new("replay")
        .params(json!({
            "experiment": r.experiment,
            "threads": r.threads,
            "iters": r.iters,
            "schedule": r.schedule,
        }))
        .machine(Machine::with(warnings))
        .outcomes(vec![replay_row(r)])
        .verdict(replay_verdict(r))
        .body(
            r,
            &[
                "experiment",
                "threads",
                "iters",
                "schedule",
                "outcome",
                "grade",
                "meaning",
            ],
        )
}

/// `race-lab hunt --json` (schema `race-lab.hunt/2`): the failing outcome found (one row,
/// the minimal schedule's), if any.
pub fn document(r: &HuntReport, warnings: Vec<String>) -> Envelope {
    let mut e = Envelope::new("hunt")
        .params(json!({
            "experiment": r.experiment,
            "threads": r.threads,
            "iters": r.iters,
            "strategy": r.strategy,
            "seed": r.seed,
            "cases": r.cases_requested,
        }))
        .machine(Machine::with(warnings))
        .outcomes(r.replay.iter().map(replay_row).collect())
        .verdict(&r.verdict)
        .interrupted(r.interrupted)
        .body(
            r,
            &[
                "experiment",
                "threads",
                "iters",
                "strategy",
                "seed",
                "cases_requested",
            ],
        );
    // The nested replay is the engine's record of one run, not a document of its own.
    if let Some(Value::Object(m)) = e.body.get_mut("replay") {
        m.remove("schema");
    }
    e
}

/// How a replayed run ended, and why.
fn replay_outcome(w: &mut dyn Write, r: &ReplayReport) -> io::Result<()> {
    match r.final_value {
        Some(v) => writeln!(
            w,
            "final {v} (expected {}): {} — {}",
            r.expected,
            r.grade.as_str(),
            r.meaning
        )?,
        None => writeln!(w, "{}: {}", stuck_kind(r), r.deadlock.join("; "))?,
    }
    if !r.explanation.is_empty() && r.final_value.is_some() {
        writeln!(w, "→ {}", r.explanation)?;
    }
    Ok(())
}

/// The most decisions the text report lists (a livelock runs to the step limit: thousands).
const SHOWN_DECISIONS: usize = 64;

/// A comma-separated list of decisions, cut after [`SHOWN_DECISIONS`] with a count of the
/// rest (`--json` carries them all).
fn first_decisions(list: &str) -> String {
    let all: Vec<&str> = list.split(',').collect();
    if all.len() <= SHOWN_DECISIONS {
        return list.to_string();
    }
    format!(
        "{},… ({} more; --json lists them all)",
        all[..SHOWN_DECISIONS].join(","),
        all.len() - SHOWN_DECISIONS
    )
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
            r.used,
            first_decisions(&r.decisions)
        )?;
    } else {
        writeln!(
            w,
            "decisions: {}",
            if r.decisions.is_empty() {
                "(none needed)".to_string()
            } else {
                first_decisions(&r.decisions)
            }
        )?;
    }
    Ok(())
}

/// `race-lab hunt`.
pub fn text(w: &mut dyn Write, r: &HuntReport) -> io::Result<()> {
    writeln!(
        w,
        "{}: {} threads × {} increments; {}, seed {}, up to {} schedules",
        r.experiment,
        r.threads,
        r.iters,
        if r.strategy == "pct" {
            "PCT"
        } else {
            "proptest"
        },
        r.seed,
        r.cases_requested
    )?;
    if let (Some(min), Some(rep)) = (&r.minimal, &r.replay) {
        writeln!(
            w,
            "found a failing schedule after {} ({} entries); shrunk it in {} steps to {} entries",
            crate::explore::plural(r.cases_run, "case"),
            r.original
                .as_deref()
                .map(|o| o.split(',').filter(|s| !s.is_empty()).count())
                .unwrap_or(0),
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
        r.experiment, r.threads, r.iters, r.schedule, r.steps
    )?;
    for (i, ((e, state), n)) in r
        .events
        .iter()
        .zip(&r.states)
        .zip(&r.shown_steps)
        .enumerate()
    {
        writeln!(w, "step {:>3}  {:<4} {}", n, e.thread, e.text)?;
        writeln!(w, "          {state}")?;
        if i + 1 < r.events.len() && !pause(w)? {
            return Ok(());
        }
    }
    replay_outcome(w, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_decision_lists_are_cut_with_a_count() {
        let short = "0,1,1,0";
        assert_eq!(first_decisions(short), short);
        let long = vec!["1"; SHOWN_DECISIONS + 5].join(",");
        let cut = first_decisions(&long);
        assert!(cut.ends_with(",… (5 more; --json lists them all)"), "{cut}");
        assert_eq!(cut.matches('1').count(), SHOWN_DECISIONS);
    }
}
