//! `race-lab hunt` and `race-lab replay`: the schedule found, the replayed timeline, and the
//! step-by-step view.

use crate::hunt::{HuntReport, ReplayReport};
use std::io::{self, Write};

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
pub fn text(w: &mut dyn Write, r: &HuntReport) -> io::Result<()> {
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
