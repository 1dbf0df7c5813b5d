//! `race-lab replay`: one schedule, run in the scheduled world and told as a timeline — the
//! same execution every time.

use crate::experiment::{Ending, Experiment, Grade, Outcome, Params};
use crate::explore::{scheduled::ending_of, EventOut};
use crate::rt::sched::{self, End};
use crate::schedule;
use crate::trace;
use serde::Serialize;

/// One scheduled execution.
#[derive(Clone, Debug, Serialize)]
pub struct ReplayReport {
    pub schema: String,
    pub experiment: String,
    pub threads: usize,
    pub iters: u64,
    /// The schedule given.
    pub schedule: String,
    /// How many of its entries were used.
    pub used: usize,
    /// Whether it ran out before the run ended (the default order decided the rest).
    pub ran_out: bool,
    /// The worker chosen at every decision point, defaults included.
    pub decisions: String,
    /// The final value, or `None` for a deadlock.
    pub final_value: Option<u64>,
    /// The whole outcome record (`None` if the run did not finish).
    pub outcome: Option<Outcome>,
    pub expected: u64,
    /// How the run ended (printers say it in words).
    #[serde(skip)]
    pub ending: Ending,
    pub grade: Grade,
    pub meaning: String,
    pub explanation: String,
    pub deadlock: Vec<String>,
    pub events: Vec<EventOut>,
    pub timeline: String,
    /// The shared state after each event (`replay --step`).
    pub states: Vec<String>,
    /// How many steps the run took.
    pub steps: usize,
    /// The step number (from 1) of each of `events`: all of them, or a summary's.
    pub shown_steps: Vec<usize>,
    /// Whether `events`, `states` and `timeline` are a summary (the run is longer than a
    /// screenful and `--full` was not given).
    pub truncated: bool,
}

/// Runs `exp`'s kernel once in the scheduled world under `schedule` (`record`: keep the
/// trace, with the experiment's names for its objects).
pub fn run_scheduled(
    exp: &Experiment,
    p: &Params,
    schedule: &[usize],
    record: bool,
) -> sched::SchedRun<Outcome> {
    let (kernel, params) = (exp.kernels.sched, p.clone());
    let limit = sched::step_limit(p.threads, p.iters);
    let body = move || kernel(&params).outcome;
    let mut run = if record {
        sched::run(p.threads, schedule, limit, body)
    } else {
        sched::run_quiet(p.threads, schedule, limit, body)
    };
    exp.name_objects(&mut run.events);
    run
}

/// How a scheduled run is graded: its [`Ending`] by [`Experiment::grade_ending`], with a
/// panic's message added to the meaning.
pub fn grade_run(
    exp: &Experiment,
    p: &Params,
    end: &End,
    result: Option<Outcome>,
) -> (Grade, String) {
    let (grade, meaning) = exp.grade_ending(p, &ending_of(end, result));
    match end {
        End::Panicked(msg) => (grade, format!("{meaning}: {msg}")),
        _ => (grade, meaning.to_string()),
    }
}

/// Runs `exp` under `schedule` in the scheduled world; a run longer than a screenful is
/// summarised (`trace::summary_steps`).
pub fn replay(exp: &Experiment, p: &Params, schedule: &[usize]) -> ReplayReport {
    replay_with(exp, p, schedule, false)
}

/// [`replay`], with every step kept when `full`.
pub fn replay_with(exp: &Experiment, p: &Params, schedule: &[usize], full: bool) -> ReplayReport {
    let run = run_scheduled(exp, p, schedule, true);
    let shown: Vec<usize> = if full {
        (0..run.events.len()).collect()
    } else {
        trace::summary_steps(&run.events)
    };
    let expected = p.expected();
    let ending = ending_of(&run.end, run.result.clone());
    let (grade, meaning) = grade_run(exp, p, &run.end, run.result.clone());
    let value = run.result.as_ref().map(Outcome::primary);
    let explanation = match (&run.end, value) {
        (End::Finished, Some(v)) if run.result.as_ref().is_some_and(Outcome::is_value) => {
            trace::explain_lost_update(&run.events, expected, v).unwrap_or_default()
        }
        (End::Finished, _) => String::new(),
        (End::Panicked(m), _) => format!("a thread panicked: {m}"),
        _ => run
            .waiting
            .iter()
            .map(|(t, l)| format!("{} waits for {l}", trace::thread_name(*t)))
            .collect::<Vec<_>>()
            .join("; "),
    };
    ReplayReport {
        schema: "race-lab.replay/1".into(),
        experiment: exp.name.into(),
        threads: p.threads,
        iters: p.iters,
        schedule: schedule::format_runs(schedule),
        used: run.used,
        ran_out: run.ran_out,
        decisions: schedule::format_runs(&run.decisions),
        final_value: value,
        outcome: run.result.clone(),
        expected,
        ending,
        grade,
        meaning,
        explanation,
        deadlock: run
            .waiting
            .iter()
            .map(|(t, l)| format!("{} waits for {l}", trace::thread_name(*t)))
            .collect(),
        events: shown
            .iter()
            .map(|&i| EventOut::from(&run.events[i]))
            .collect(),
        timeline: trace::timeline_of(&run.events, &shown),
        states: trace::states_at(&run.events, &shown),
        steps: run.events.len(),
        truncated: shown.len() < run.events.len(),
        shown_steps: shown.iter().map(|i| i + 1).collect(),
    }
}

/// Whether a scheduled run failed: anything but an ACCEPTABLE outcome.
pub fn fails(exp: &Experiment, p: &Params, schedule: &[usize]) -> bool {
    let run = run_scheduled(exp, p, schedule, false);
    exp.grade_ending(p, &ending_of(&run.end, run.result.clone()))
        .0
        != Grade::Acceptable
}
