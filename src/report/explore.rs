//! `race-lab explore`: what loom explored, the outcomes, failing timelines, races and
//! deadlocks.

use super::envelope::{Envelope, Machine, OutcomeRow};
use super::{pct, table};
use crate::explore::ExploreReport;
use std::io::{self, Write};

/// `race-lab explore --json` (schema `race-lab.explore/2`): every outcome loom reached, with
/// how many executions reached it.
pub fn document(r: &ExploreReport, warnings: Vec<String>) -> Envelope {
    let total: u64 = r.outcomes.iter().map(|o| o.executions).sum();
    let outcomes = r
        .outcomes
        .iter()
        .map(|o| OutcomeRow {
            frequency: Some(o.executions as f64 / total.max(1) as f64),
            ..OutcomeRow::new(
                Some(o.outcome.clone()),
                o.outcome.to_string(),
                o.executions,
                o.grade,
                o.meaning.clone(),
            )
        })
        .collect();
    Envelope::new("explore")
        .params(serde_json::json!({
            "experiment": r.experiment,
            "threads": r.threads,
            "iters": r.iters,
            "ordering": r.ordering,
            "preemptions": r.preemption_bound,
        }))
        .machine(Machine::with(warnings))
        .outcomes(outcomes)
        .verdict(&r.verdict)
        .interrupted(
            r.stopped
                .as_deref()
                .is_some_and(|s| s.starts_with("interrupted")),
        )
        .body(
            r,
            &[
                "experiment",
                "threads",
                "iters",
                "ordering",
                "preemption_bound",
            ],
        )
}

/// `race-lab explore`.
pub fn text(w: &mut dyn Write, r: &ExploreReport) -> io::Result<()> {
    let bound = match r.preemption_bound {
        Some(b) => format!("at most {b} preemptions"),
        None => "no preemption bound".into(),
    };
    let ordering = r
        .ordering
        .as_deref()
        .map(|o| format!("ordering {o}, "))
        .unwrap_or_default();
    if r.world == crate::explore::WORLD_SCHEDULED || r.world == crate::explore::rc11::WORLD_RC11 {
        writeln!(
            w,
            "{}: {} threads × {} increments in the {} world ({})",
            r.experiment, r.threads, r.iters, r.world, r.model
        )?;
    } else {
        writeln!(
            w,
            "{}: {} threads × {} increments under loom ({ordering}{bound})",
            r.experiment, r.threads, r.iters
        )?;
    }
    if let Some(why) = &r.chosen {
        writeln!(w, "({why})")?;
    }
    writeln!(
        w,
        "explored {} in {:.2} s: {}",
        crate::explore::plural(r.executions, "execution"),
        r.seconds,
        if r.complete {
            match r.preemption_bound {
                Some(b) => format!(
                    "COMPLETE within the bound of {b} preemptions (executions with more were not explored: other outcomes may exist)"
                ),
                None => "COMPLETE".to_string(),
            }
        } else if r.race.is_some() {
            "stopped at the first data race (undefined behaviour: what follows it means nothing)"
                .to_string()
        } else if r.failing_executions > 0 || r.deadlock.is_some() {
            format!(
                "FOUND, not all explored — {}",
                r.stopped.as_deref().unwrap_or("stopped early")
            )
        } else {
            format!(
                "INCOMPLETE — {}",
                r.stopped.as_deref().unwrap_or("stopped early")
            )
        }
    )?;
    if !r.outcomes.is_empty() {
        let total: u64 = r.outcomes.iter().map(|o| o.executions).sum();
        let records = r.outcomes.iter().any(|o| !o.outcome.is_value());
        let first = if records { "outcome" } else { "final value" };
        let mut t = table(&[first, "executions", "% of executions", "grade", "meaning"]);
        for o in r.outcomes.iter().rev() {
            t.add_row(vec![
                if o.label.is_empty() {
                    o.value.to_string()
                } else {
                    o.label.clone()
                },
                o.executions.to_string(),
                pct(o.executions as f64 / total.max(1) as f64),
                o.grade.as_str().to_string(),
                o.meaning.clone(),
            ]);
        }
        writeln!(w, "{t}")?;
    }
    for (i, f) in r.failing.iter().enumerate() {
        let what = if f.outcome.is_value() || f.outcome.fields().is_empty() {
            format!("final {}", f.final_value)
        } else {
            f.outcome.to_string()
        };
        writeln!(
            w,
            "\nfailing execution {} of the ones shown ({what}):",
            i + 1
        )?;
        write!(w, "{}", f.timeline)?;
        if !f.explanation.is_empty() {
            writeln!(w, "→ {}", f.explanation)?;
        }
    }
    if let Some(race) = &r.race {
        if r.world == crate::explore::WORLD_LOOM {
            writeln!(w, "\ndata race (loom: {}):", race.loom_message)?;
        } else {
            writeln!(w, "\n{}:", race.loom_message)?;
        }
        write!(w, "{}", race.timeline)?;
        for a in &race.accesses {
            writeln!(w, "  access: {a}")?;
        }
        writeln!(w, "→ {}", race.summary)?;
    }
    if let Some(d) = &r.deadlock {
        if r.world == crate::explore::WORLD_SCHEDULED || r.world == crate::explore::rc11::WORLD_RC11
        {
            writeln!(w, "\n{}:", d.loom_message)?;
        } else {
            writeln!(w, "\ndeadlock (loom found every worker blocked):")?;
        }
        write!(w, "{}", d.timeline)?;
        writeln!(w, "→ {}", d.summary)?;
    }
    writeln!(w, "{}", r.verdict)
}
