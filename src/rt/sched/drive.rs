//! The one loop that steps an [`Execution`] ([`drive`]), and who decides it ([`Chooser`]):
//! here a schedule ([`run`]: its entries, then the default order) and PCT's priorities
//! ([`run_pct`]); elsewhere the exhaustive searches (`dpor`) and `play`'s moves.

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

/// Who decides a scheduled execution, step by step: which thread runs, and — when that
/// step is a `notify_one` with sleepers to choose from — which sleeper wakes (std promises
/// only "one"). Every driver of the scheduled world is one: a schedule, PCT, the
/// exhaustive searches, `play`'s moves.
pub trait Chooser<T> {
    /// The thread to step, from `enabled` (never empty); `None` stops the run here.
    fn thread(&mut self, ex: &Execution<T>, enabled: &[usize]) -> Option<usize>;
    /// Which of `options` (the sleepers `t`'s `notify_one` may wake; never empty) wakes;
    /// `None`: the longest sleeper.
    fn waiter(&mut self, _ex: &Execution<T>, _t: usize, _options: &[usize]) -> Option<usize> {
        None
    }
    /// Told after each step.
    fn stepped(&mut self, _ex: &Execution<T>, _t: usize) {}
}

/// Steps `ex` as `chooser` decides, until the run ends (no thread can step) or the chooser
/// stops it.
pub fn drive<T: Send + 'static>(ex: &mut Execution<T>, chooser: &mut impl Chooser<T>) {
    loop {
        let enabled = ex.enabled();
        if enabled.is_empty() {
            return;
        }
        let Some(t) = chooser.thread(ex, &enabled) else {
            return;
        };
        let options = ex.notify_options(t);
        let waiter = if options.is_empty() {
            None
        } else {
            chooser.waiter(ex, t, &options)
        };
        ex.step_with(t, waiter);
        chooser.stepped(ex, t);
    }
}

/// Runs `kernel` (which spawns exactly `threads` workers through [`Sched`](super::Sched)) under `schedule`.
pub fn run<T: Send + 'static>(
    threads: usize,
    schedule: &[usize],
    max_steps: u64,
    kernel: impl FnOnce() -> T + Send + 'static,
) -> SchedRun<T> {
    run_with(threads, schedule, None, true, max_steps, kernel)
}

/// As [`run`], without recording the trace (for searches that only need the outcome).
pub fn run_quiet<T: Send + 'static>(
    threads: usize,
    schedule: &[usize],
    max_steps: u64,
    kernel: impl FnOnce() -> T + Send + 'static,
) -> SchedRun<T> {
    run_with(threads, schedule, None, false, max_steps, kernel)
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
    run_with(threads, &[], Some(pct), record, max_steps, kernel)
}

/// A schedule's decisions, then PCT's (if any) or the default order's once it runs out:
/// the driver of `run`, `run_quiet` and `run_pct`.
struct Scheduled<'a> {
    schedule: &'a [usize],
    pos: usize,
    pct: Option<Pct>,
    ran_out: bool,
    decisions: Vec<usize>,
}

impl<T: Send + 'static> Chooser<T> for Scheduled<'_> {
    fn thread(&mut self, ex: &Execution<T>, enabled: &[usize]) -> Option<usize> {
        if enabled.len() == 1 {
            return Some(enabled[0]); // no decision: no schedule entry is used
        }
        let t = match (
            next_entry(self.schedule, &mut self.pos, enabled),
            self.pct.as_mut(),
        ) {
            (Some(t), _) => t,
            (None, Some(p)) => {
                let yielded = ex.last.is_some_and(|l| ex.yielded(l));
                p.choose(enabled, ex.last, yielded)
            }
            (None, None) => {
                self.ran_out = true;
                default_choice(ex, enabled)
            }
        };
        self.decisions.push(t);
        Some(t)
    }

    fn waiter(&mut self, _ex: &Execution<T>, _t: usize, options: &[usize]) -> Option<usize> {
        let w = match (
            next_entry(self.schedule, &mut self.pos, options),
            self.pct.as_mut(),
        ) {
            (Some(w), _) => w,
            (None, Some(p)) => p.choose(options, None, false),
            (None, None) => {
                self.ran_out = true;
                options[0]
            }
        };
        self.decisions.push(w);
        Some(w)
    }
}

fn run_with<T: Send + 'static>(
    threads: usize,
    schedule: &[usize],
    pct: Option<Pct>,
    record: bool,
    max_steps: u64,
    kernel: impl FnOnce() -> T + Send + 'static,
) -> SchedRun<T> {
    let mut ex = Execution::start(threads, record, max_steps, kernel);
    let mut chooser = Scheduled {
        schedule,
        pos: 0,
        pct,
        ran_out: false,
        decisions: Vec::new(),
    };
    drive(&mut ex, &mut chooser);
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
        decisions: chooser.decisions,
        used: chooser.pos,
        ran_out: chooser.ran_out,
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
