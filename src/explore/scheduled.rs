//! `race-lab explore --world scheduled`: every sequentially consistent interleaving of an
//! experiment's kernel, up to equivalence (dynamic partial-order reduction, see
//! `rt::sched::dpor`), with no limit on the number of workers.
//!
//! The model is sequential consistency: a load always returns the latest store, so stale
//! reads and store buffering never show here — those are the loom world's. What it adds
//! is scale: proofs for 5 to 8 workers, past loom's four.

use super::{
    DeadlockReport, EventOut, ExploreConfig, ExploreReport, Failing, OutcomeCount, WORLD_SCHEDULED,
};
use crate::error::{LabError, Result};
use crate::experiment::{Experiment, Grade, Outcome, Params};
use crate::rt::sched::{self, dpor, End, Execution};
use crate::trace::{self, Event};
use std::collections::BTreeMap;
use std::time::Instant;

/// Estimated classes above which an exploration is refused unless `--max-seconds` bounds
/// it: at some 50,000 classes a second on 2 cores, beyond it a search runs for hours.
pub const MAX_CLASSES: f64 = 1e8;

/// The model's wording, in every report of this world.
pub const MODEL: &str =
    "sequentially consistent: no stale reads (for those use the loom world: --world loom)";

/// The multinomial coefficient (Σ n)! / Π n!: the interleavings of sequences of these
/// lengths.
pub fn multinomial(steps_per_worker: &[u64]) -> f64 {
    let mut total = 0u64;
    let mut log = 0f64;
    for &n in steps_per_worker {
        for k in 1..=n {
            total += 1;
            log += (total as f64).ln() - (k as f64).ln();
        }
    }
    log.exp()
}

/// The size of the model, from one execution in the default order: for every object, the
/// interleavings of the steps that touch it (one sequence per worker), multiplied over the
/// objects. Steps on different objects commute, so this bounds the classes of executions
/// that run the same operations (control flow that depends on values, like a CAS retry,
/// can add more).
fn estimate(exp: &Experiment, p: &Params) -> f64 {
    let (kernel, q) = (exp.kernels.sched, p.clone());
    let limit = sched::step_limit(p.threads, p.iters);
    let mut ex = Execution::start(p.threads, false, limit, move || kernel(&q).outcome);
    ex.keep_history();
    loop {
        let en = ex.enabled();
        let Some(&t) = en.first() else { break };
        ex.step(t);
    }
    let mut per_object: BTreeMap<usize, Vec<u64>> = BTreeMap::new();
    for (t, accesses) in &ex.history {
        let mut objects: Vec<usize> = accesses.iter().map(|a| a.obj()).collect();
        objects.sort_unstable();
        objects.dedup();
        for o in objects {
            let counts = per_object.entry(o).or_insert_with(|| vec![0; p.threads]);
            if let Some(c) = counts.get_mut(*t) {
                *c += 1;
            }
        }
    }
    drop(ex.finish());
    per_object.values().map(|c| multinomial(c)).product()
}

/// Refuses a model too large to finish, naming the bound to lower.
pub fn check_size(cfg: &ExploreConfig) -> Result<()> {
    if cfg.max_seconds_given {
        return Ok(());
    }
    let size = estimate(cfg.exp, &cfg.params);
    if size > MAX_CLASSES {
        return Err(LabError::usage(format!(
            "{} {}x{} has up to {size:.1e} classes of interleavings: too many to explore to the end; lower --iters or --threads, or give --max-seconds S to explore part of it (reported INCOMPLETE)",
            cfg.exp.name, cfg.params.threads, cfg.params.iters
        )));
    }
    Ok(())
}

/// A failing execution kept for the report: its trace, its schedule, how it ended.
type Witness = (Vec<Event>, Vec<usize>, End);

fn outcome_of(end: &End, result: Option<Outcome>) -> Outcome {
    match (end, result) {
        (End::Finished, Some(o)) => o,
        (End::Deadlock(_), _) => Outcome::of(&[("deadlock", 1)]),
        (End::Livelock(_), _) => Outcome::of(&[("livelock", 1)]),
        (End::Panicked(_), _) => Outcome::of(&[("panicked", 1)]),
        _ => Outcome::of(&[("step_limit", 1)]),
    }
}

/// Explores in this process (coroutines on this thread: nothing here can abort the lab).
pub fn explore(cfg: &ExploreConfig) -> Result<ExploreReport> {
    check_size(cfg)?;
    let (exp, p) = (cfg.exp, cfg.params.clone());
    let expected = p.expected();
    let started = Instant::now();
    let progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut last_report = Instant::now();
    let mut outcomes: BTreeMap<Outcome, u64> = BTreeMap::new();
    let mut failing: BTreeMap<Outcome, Witness> = BTreeMap::new();
    let mut failing_count = 0u64;
    let mut stopped = None;
    let kernel = exp.kernels.sched;
    let q = p.clone();
    let _quiet = crate::error::QuietPanics::install();
    let stats = dpor::explore(
        p.threads,
        sched::step_limit(p.threads, p.iters),
        true,
        move || kernel(&q).outcome,
        |v| {
            let o = outcome_of(v.end, v.result);
            *outcomes.entry(o.clone()).or_default() += 1;
            let grade = match v.end {
                End::Finished => exp.grade(&p, Some(&o)).0,
                End::Deadlock(_) => exp.grade(&p, None).0,
                _ => Grade::Forbidden,
            };
            if grade != Grade::Acceptable {
                failing_count += 1;
                let mut events = v.events;
                exp.name_objects(&mut events);
                let keep = failing
                    .get(&o)
                    .is_none_or(|(e, _, _)| events.len() < e.len());
                if keep {
                    failing.insert(o, (events, v.schedule.to_vec(), v.end.clone()));
                }
            }
            let n: u64 = outcomes.values().sum();
            if progress && n % 256 == 0 && last_report.elapsed().as_millis() >= 500 {
                last_report = Instant::now();
                eprint!(
                    "\rexploring (scheduled world): {n} executions, {:.0} s",
                    started.elapsed().as_secs_f64()
                );
            }
            if crate::machine::interrupted() {
                stopped = Some("interrupted by Ctrl-C".to_string());
                return false;
            }
            if started.elapsed().as_secs_f64() >= cfg.max_seconds {
                stopped = Some(format!(
                    "time cap of {} s reached after {n} executions; the exploration is INCOMPLETE (lower --iters or --threads)",
                    cfg.max_seconds
                ));
                return false;
            }
            true
        },
    );
    if progress && started.elapsed().as_millis() >= 500 {
        eprint!("\r\x1b[2K");
    }
    let mut report = ExploreReport {
        schema: "race-lab.explore/1".into(),
        experiment: exp.name.into(),
        world: WORLD_SCHEDULED.into(),
        model: MODEL.into(),
        threads: cfg.params.threads,
        iters: cfg.params.iters,
        ordering: None,
        preemption_bound: None,
        executions: stats.executions,
        complete: stats.complete,
        stopped,
        seconds: started.elapsed().as_secs_f64(),
        outcomes: Vec::new(),
        failing_executions: failing_count,
        failing: Vec::new(),
        race: None,
        deadlock: None,
        forbidden: false,
        verdict: String::new(),
    };
    for (o, n) in &outcomes {
        let grade = match o.fields().first().map(|(k, _)| k.as_str()) {
            Some("deadlock") => exp.grade(&cfg.params, None),
            Some("livelock") => (
                Grade::Forbidden,
                "livelock: every live worker spins on values nobody will change",
            ),
            Some("panicked") => (Grade::Forbidden, "a thread panicked"),
            Some("step_limit") => (Grade::Forbidden, "no end within the step limit"),
            _ => exp.grade(&cfg.params, Some(o)),
        };
        report.forbidden |= grade.0 == Grade::Forbidden;
        report.outcomes.push(OutcomeCount {
            value: o.primary(),
            label: o.to_string(),
            outcome: o.clone(),
            executions: *n,
            grade: grade.0.as_str().into(),
            meaning: grade.1.into(),
        });
    }
    let mut shown: Vec<(&Outcome, &Witness)> = failing.iter().collect();
    shown.sort_by_key(|(o, (events, _, _))| (events.len(), (*o).clone()));
    for (o, (events, schedule, end)) in shown.into_iter() {
        let blocked = match end {
            End::Deadlock(w) | End::Livelock(w) => w
                .iter()
                .map(|(t, what)| format!("{} waits for {what}", trace::thread_name(*t)))
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        if matches!(end, End::Deadlock(_) | End::Livelock(_)) && report.deadlock.is_none() {
            let kind = if matches!(end, End::Deadlock(_)) {
                "deadlock"
            } else {
                "livelock"
            };
            report.deadlock = Some(DeadlockReport {
                loom_message: format!(
                    "{kind} (scheduled world), replay with: race-lab replay {} -t {} -i {} --schedule \"{}\"",
                    exp.name,
                    cfg.params.threads,
                    cfg.params.iters,
                    crate::schedule::format(schedule)
                ),
                summary: format!("{kind}: {}", blocked.join("; ")),
                blocked,
                events: events.iter().map(EventOut::from).collect(),
                timeline: trace::timeline(events),
            });
            continue;
        }
        if report.failing.len() >= cfg.show {
            continue;
        }
        report.failing.push(Failing {
            final_value: o.primary(),
            outcome: o.clone(),
            explanation: if o.is_value() {
                let why =
                    trace::explain_lost_update(events, expected, o.primary()).unwrap_or_default();
                format!(
                    "{why} (replay: race-lab replay {} -t {} -i {} --schedule \"{}\")",
                    exp.name,
                    cfg.params.threads,
                    cfg.params.iters,
                    crate::schedule::format(schedule)
                )
            } else {
                format!(
                    "replay: race-lab replay {} -t {} -i {} --schedule \"{}\"",
                    exp.name,
                    cfg.params.threads,
                    cfg.params.iters,
                    crate::schedule::format(schedule)
                )
            },
            events: events.iter().map(EventOut::from).collect(),
            timeline: trace::timeline(events),
        });
    }
    report.verdict = super::verdict(exp, &cfg.params, &report);
    Ok(report)
}
