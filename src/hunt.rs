//! `race-lab hunt` and `race-lab replay`: the scheduled world driven by proptest.
//!
//! `hunt` lets proptest generate schedules (lists of worker indices), runs the experiment's
//! kernel under each, and when one fails — a lost update, a FORBIDDEN outcome, a deadlock —
//! shrinks it to a minimal schedule. `replay` runs one schedule and prints its timeline; a
//! schedule always produces the same execution.

use crate::error::{LabError, Result};
use crate::experiment::{Ending, Experiment, Grade, Params};
use crate::explore::scheduled::ending_of;
use crate::machine::Cancel;
use crate::rt::sched::{self};
use crate::schedule;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde::Serialize;

mod replay;
pub use replay::{fails, grade_run, replay, replay_with, run_scheduled, ReplayReport};
use std::cell::Cell;
use std::time::Instant;

/// The most workers the scheduled world runs.
pub const SCHEDULED_MAX_WORKERS: usize = 64;
/// The most increments per worker `hunt` and `replay` take (each is a handful of handoffs
/// between real threads).
pub const MAX_ITERS: u64 = 10_000;

/// What `hunt` found.
#[derive(Clone, Debug, Serialize)]
pub struct HuntReport {
    pub schema: String,
    pub experiment: String,
    pub threads: usize,
    pub iters: u64,
    /// `random` (proptest) or `pct`.
    pub strategy: String,
    pub seed: u64,
    pub cases_requested: u32,
    /// Schedules tried before the first failure (all of them if none failed).
    pub cases_run: u64,
    /// Schedules tried while shrinking.
    pub shrink_steps: u64,
    pub found: bool,
    /// The failing schedule proptest generated first, and the minimal one it shrank to.
    pub original: Option<String>,
    pub minimal: Option<String>,
    pub replay: Option<ReplayReport>,
    pub seconds: f64,
    /// Stopped by Ctrl-C: the search (or the shrinking) is incomplete.
    pub interrupted: bool,
    pub verdict: String,
}

/// The longest schedule proptest generates: enough decisions for every operation.
pub fn max_schedule_len(p: &Params) -> usize {
    ((p.threads as u64).saturating_mul(p.iters).saturating_mul(4)).clamp(4, 1024) as usize
}

/// The failure a proptest case reports on Ctrl-C (not a failing schedule).
const INTERRUPTED: &str = "interrupted by Ctrl-C";

/// Hunts for a failing schedule with proptest, and shrinks it.
pub fn hunt(
    exp: &'static Experiment,
    p: &Params,
    cases: u32,
    seed: u64,
    cancel: &Cancel,
) -> Result<HuntReport> {
    if cases == 0 {
        return Err(LabError::usage("--cases must be at least 1"));
    }
    let started = Instant::now();
    let config = Config {
        cases,
        failure_persistence: None,
        // Proptest finds; the lab shrinks (below): a long schedule first loses the entries
        // it never used, then halves and delta debugging, then lowered entries — far fewer
        // runs than shrinking element by element from the start.
        max_shrink_iters: 0,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = proptest::collection::vec(0..p.threads, 0..=max_schedule_len(p));
    let calls = Cell::new(0u64);
    let line = crate::machine::counter_line(false);
    let result = runner.run(&strategy, |s| {
        if cancel.requested() {
            // Ctrl-C: end proptest's run at once (read as "nothing found" below).
            return Err(TestCaseError::fail(INTERRUPTED));
        }
        calls.set(calls.get() + 1);
        if calls.get() % 64 == 0 {
            line.set_message(format!("hunt: searching, {} schedules run", calls.get()));
        }
        if fails(exp, p, &s) {
            // proptest does not shrink (max_shrink_iters 0): the lab's `shrink` does, below.
            Err(TestCaseError::fail("failed"))
        } else {
            Ok(())
        }
    });
    line.finish_and_clear();
    let found = match result {
        Ok(()) => None,
        Err(TestError::Fail(why, _)) if why.message() == INTERRUPTED => None,
        Err(TestError::Fail(_, found)) => Some(found),
        Err(TestError::Abort(why)) => {
            return Err(LabError::failed(format!("proptest gave up: {why}")));
        }
    };
    let original = found.clone();
    let (minimal, shrink_steps) = match found {
        Some(f) => {
            let (m, n) = shrink(exp, p, f, cancel);
            (Some(m), n)
        }
        None => (None, 0),
    };
    let search = Search {
        strategy: "random",
        cases,
        seed,
        cases_run: calls.get(),
        shrink_steps,
        original,
        minimal,
        seconds: started.elapsed().as_secs_f64(),
        interrupted: cancel.requested(),
    };
    Ok(finish(exp, p, search))
}

/// How a search went, whatever its strategy.
struct Search {
    strategy: &'static str,
    cases: u32,
    seed: u64,
    cases_run: u64,
    shrink_steps: u64,
    original: Option<Vec<usize>>,
    minimal: Option<Vec<usize>>,
    seconds: f64,
    interrupted: bool,
}

fn finish(exp: &Experiment, p: &Params, f: Search) -> HuntReport {
    let Search {
        strategy,
        cases,
        seed,
        seconds,
        interrupted,
        ..
    } = f;
    let head = format!("{} {}x{}", exp.name, p.threads, p.iters);
    let mut report = HuntReport {
        schema: "race-lab.hunt/1".into(),
        experiment: exp.name.into(),
        threads: p.threads,
        iters: p.iters,
        strategy: strategy.into(),
        seed,
        cases_requested: cases,
        cases_run: f.cases_run,
        shrink_steps: f.shrink_steps,
        found: false,
        original: f.original.as_ref().map(|s| schedule::format(s)),
        minimal: None,
        replay: None,
        seconds,
        interrupted,
        verdict: String::new(),
    };
    match f.minimal {
        None => {
            report.verdict = if interrupted {
                format!(
                    "{head}: interrupted after {} schedules, no failure so far ({strategy}, seed {seed})",
                    f.cases_run
                )
            } else {
                format!("{head}: no failure in {cases} schedules ({strategy}, seed {seed})")
            };
        }
        Some(minimal) => {
            let r = replay(exp, p, &minimal);
            report.found = true;
            report.minimal = Some(schedule::format(&minimal));
            report.verdict = format!(
                "{head}: {} after {}; shrunk in {} steps to the {}-entry schedule \"{}\"",
                match (&r.outcome, r.final_value) {
                    (None, _) if r.deadlock.is_empty() => r.meaning.clone(),
                    (None, _) if r.ending == Ending::Livelock => "livelock".to_string(),
                    (None, _) => "deadlock".to_string(),
                    (Some(o), Some(v)) if o.is_value() => {
                        format!("{} (final {v}, expected {})", r.meaning, r.expected)
                    }
                    (Some(o), _) => format!("{} ({o})", r.meaning),
                },
                crate::explore::plural(report.cases_run, "schedule"),
                report.shrink_steps,
                minimal.len(),
                schedule::format(&minimal)
            );
            report.replay = Some(r);
        }
    }
    report
}

/// Hunts with the PCT scheduler (see [`sched::Pct`]): `cases` runs, each with fresh random
/// priorities and `depth - 1` change points; the first failing run's decisions become a
/// schedule, which is then shrunk (delta debugging: drop chunks, then lower entries) while
/// it still fails.
pub fn hunt_pct(
    exp: &'static Experiment,
    p: &Params,
    cases: u32,
    seed: u64,
    depth: usize,
    cancel: &Cancel,
) -> Result<HuntReport> {
    if cases == 0 {
        return Err(LabError::usage("--cases must be at least 1"));
    }
    if depth == 0 || depth > 16 {
        return Err(LabError::usage("--depth must be between 1 and 16"));
    }
    let started = Instant::now();
    let steps = max_schedule_len(p) as u64;
    let mut cases_run = 0;
    let mut original = None;
    for case in 0..cases as u64 {
        if cancel.requested() {
            break;
        }
        cases_run += 1;
        let pct = sched::Pct::new(
            p.threads,
            steps,
            depth,
            seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15),
        );
        let (kernel, params) = (exp.kernels.sched, p.clone());
        let limit = sched::step_limit(p.threads, p.iters);
        let run = sched::run_pct(p.threads, pct, false, limit, move || {
            kernel(&params).outcome
        });
        if exp
            .grade_ending(p, &ending_of(&run.end, run.result.clone()))
            .0
            != Grade::Acceptable
        {
            original = Some(run.decisions);
            break;
        }
    }
    let (minimal, shrink_steps) = match &original {
        Some(o) => {
            let (m, n) = shrink(exp, p, o.clone(), cancel);
            (Some(m), n)
        }
        None => (None, 0),
    };
    let search = Search {
        strategy: "pct",
        cases,
        seed,
        cases_run,
        shrink_steps,
        original,
        minimal,
        seconds: started.elapsed().as_secs_f64(),
        interrupted: cancel.requested(),
    };
    Ok(finish(exp, p, search))
}

/// The most schedules `shrink` tries.
const MAX_SHRINK_STEPS: u64 = 20_000;

/// Shrinks a failing schedule while it keeps failing: first drop chunks (halves, quarters, …
/// single entries), then lower entries towards worker 0; repeat until nothing helps.
pub fn shrink(
    exp: &Experiment,
    p: &Params,
    mut s: Vec<usize>,
    cancel: &Cancel,
) -> (Vec<usize>, u64) {
    // Entries past the last one the run used change nothing: drop them first.
    let used = run_scheduled(exp, p, &s, false).used;
    s.truncate(used);
    let mut steps = 1;
    'again: while steps < MAX_SHRINK_STEPS && !cancel.requested() {
        let mut size = s.len();
        while size >= 1 {
            let mut start = 0;
            while start < s.len() {
                let mut c = s.clone();
                c.drain(start..(start + size).min(s.len()));
                steps += 1;
                if fails(exp, p, &c) {
                    s = c;
                    continue 'again;
                }
                start += size;
            }
            size /= 2;
        }
        for i in 0..s.len() {
            for t in 0..s[i] {
                let mut c = s.clone();
                c[i] = t;
                steps += 1;
                if fails(exp, p, &c) {
                    s = c;
                    continue 'again;
                }
            }
        }
        break;
    }
    (s, steps)
}
