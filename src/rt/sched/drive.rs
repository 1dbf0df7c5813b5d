//! The drivers that follow a schedule: [`run`] (a schedule, the default order after it),
//! [`run_pct`] (PCT's priorities), and the default order itself. The exhaustive search
//! (`dpor`) and `play` step an [`Execution`] themselves.

use super::exec::{End, Execution};
use super::pct::Pct;
use crate::trace::Event;

/// What one scheduled run did.
#[derive(Debug, Clone)]
pub struct SchedRun<T> {
    /// The kernel's result, or `None` if the run did not finish (see `end`).
    pub result: Option<T>,
    pub end: End,
    pub events: Vec<Event>,
    /// The worker chosen at every decision point (the schedule as it was actually used,
    /// completed by the default order once the given schedule ran out).
    pub decisions: Vec<usize>,
    /// How many entries of the given schedule were used (skipped entries included).
    pub used: usize,
    /// Whether the given schedule ran out before the run ended.
    pub ran_out: bool,
    /// For a deadlock or livelock: each stuck worker and what it waits for.
    pub waiting: Vec<(usize, String)>,
    /// Steps taken (visible operations of workers).
    pub steps: u64,
}

/// The step bound for `threads` workers doing `iters` iterations each: 64 visible
/// operations per iteration per worker, plus 64 per worker. A run whose live threads are
/// still stepping at the bound is a LIVELOCK (no kernel of the catalogue needs a tenth of
/// it to finish; spinners that only re-read sleep under the yield rule and take no steps).
pub fn step_limit(threads: usize, iters: u64) -> u64 {
    (threads as u64).saturating_mul(iters.saturating_mul(64).saturating_add(64))
}

/// The step bound in words, for verdicts.
pub const STEP_BOUND: &str = "the step bound: 64 steps per iteration per thread, plus 64";

/// Runs `kernel` (which spawns exactly `threads` workers through [`Sched`](super::Sched)) under `schedule`.
pub fn run<T: Send + 'static>(
    threads: usize,
    schedule: &[usize],
    max_steps: u64,
    kernel: impl FnOnce() -> T + Send + 'static,
) -> SchedRun<T> {
    drive(threads, schedule, None, true, max_steps, kernel)
}

/// As [`run`], without recording the trace (for searches that only need the outcome).
pub fn run_quiet<T: Send + 'static>(
    threads: usize,
    schedule: &[usize],
    max_steps: u64,
    kernel: impl FnOnce() -> T + Send + 'static,
) -> SchedRun<T> {
    drive(threads, schedule, None, false, max_steps, kernel)
}

/// Runs `kernel` under a PCT schedule: the decisions it takes are recorded in
/// [`SchedRun::decisions`], which replays the run.
pub fn run_pct<T: Send + 'static>(
    threads: usize,
    pct: Pct,
    record: bool,
    max_steps: u64,
    kernel: impl FnOnce() -> T + Send + 'static,
) -> SchedRun<T> {
    drive(threads, &[], Some(pct), record, max_steps, kernel)
}

fn drive<T: Send + 'static>(
    threads: usize,
    schedule: &[usize],
    mut pct: Option<Pct>,
    record: bool,
    max_steps: u64,
    kernel: impl FnOnce() -> T + Send + 'static,
) -> SchedRun<T> {
    let mut ex = Execution::start(threads, record, max_steps, kernel);
    let (mut pos, mut ran_out, mut decisions) = (0, false, Vec::new());
    loop {
        let enabled = ex.enabled();
        let t = match enabled.len() {
            0 => break,
            1 => enabled[0],
            _ => {
                let t = match (next_entry(schedule, &mut pos, &enabled), pct.as_mut()) {
                    (Some(t), _) => t,
                    (None, Some(p)) => {
                        let yielded = ex.last.is_some_and(|l| ex.yielded(l));
                        p.choose(&enabled, ex.last, yielded)
                    }
                    (None, None) => {
                        ran_out = true;
                        default_choice(&ex, &enabled)
                    }
                };
                decisions.push(t);
                t
            }
        };
        // Which sleeper a `notify_one` wakes is a decision too (std promises only "one").
        let options = ex.notify_options(t);
        let waiter = (!options.is_empty()).then(|| {
            let w = match (next_entry(schedule, &mut pos, &options), pct.as_mut()) {
                (Some(w), _) => w,
                (None, Some(p)) => p.choose(&options, None, false),
                (None, None) => {
                    ran_out = true;
                    options[0]
                }
            };
            decisions.push(w);
            w
        });
        ex.step_with(t, waiter);
    }
    let steps = ex.steps;
    let (result, events, end) = ex.finish();
    let waiting = match &end {
        End::Deadlock(w) | End::Livelock(w) => w.clone(),
        _ => Vec::new(),
    };
    SchedRun {
        result,
        end,
        events,
        decisions,
        used: pos,
        ran_out,
        waiting,
        steps,
    }
}

/// The next entry of `schedule` from `pos` that names one of `options`, skipping the
/// entries that do not (a finished or blocked worker, a thread that is not a sleeper).
fn next_entry(schedule: &[usize], pos: &mut usize, options: &[usize]) -> Option<usize> {
    while let Some(&e) = schedule.get(*pos) {
        *pos += 1;
        if options.contains(&e) {
            return Some(e);
        }
    }
    None
}

/// The default order: the worker that ran last keeps running, unless it cannot or it has
/// just yielded; then the next worker after it (cyclically) that can.
pub fn default_choice<T: Send + 'static>(ex: &Execution<T>, enabled: &[usize]) -> usize {
    match ex.last {
        Some(l) if enabled.contains(&l) && !ex.yielded(l) => l,
        Some(l) if ex.yielded(l) => enabled
            .iter()
            .copied()
            .find(|&t| t > l)
            .or_else(|| enabled.iter().copied().find(|&t| t != l))
            .unwrap_or(l),
        _ => enabled[0],
    }
}
