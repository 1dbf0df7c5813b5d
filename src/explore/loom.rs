//! The loom world's search: the kernel under loom's model checker, every execution's
//! outcome collected and graded, the clearest failing trace kept per outcome; a data race or
//! a deadlock (loom reports both by panicking) turned into a report of its own.

use super::{
    DeadlockReport, EventOut, ExploreConfig, ExploreReport, Failing, OutcomeCount, RaceReport,
    MODEL_LOOM, WORLD_LOOM,
};
use crate::error::{panic_message, LabError, QuietPanics, Result};
use crate::experiment::{Grade, Opt, Outcome};
use crate::rt::loom_world;
use crate::trace::{self, Event};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often (in executions) loom checks the time cap; loom's default is 20,000.
const CAP_CHECK_INTERVAL: usize = 500;

#[derive(Default)]
struct Collector {
    executions: u64,
    outcomes: BTreeMap<Outcome, u64>,
    /// The shortest failing trace for each outcome.
    failing: BTreeMap<Outcome, Vec<Event>>,
    failing_count: u64,
}

/// Why the lab itself ended loom's search: the payload of its own panic (loom ends a search
/// only by a panic), read back by type, never by text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabStop {
    /// Ctrl-C.
    Interrupted,
    /// The first failing execution, which is all the search was asked for.
    Found,
}

/// How a search that panicked ended. loom reports a data race, a deadlock and its branch
/// limit only as panic messages: they are read here, and nowhere else.
enum Stopped {
    Lab(LabStop),
    DataRace,
    /// A freed cell accessed, or freed while an access was unordered with the free.
    UseAfterFree,
    Deadlock,
    BranchLimit,
    Other,
}

impl Stopped {
    fn of(payload: &(dyn std::any::Any + Send), msg: &str) -> Stopped {
        let lab = payload.downcast_ref::<LabStop>().or_else(|| {
            payload
                .downcast_ref::<Box<dyn std::any::Any + Send>>()
                .and_then(|inner| inner.downcast_ref::<LabStop>())
        });
        let freed = payload.downcast_ref::<crate::rt::UseAfterFree>().is_some()
            || payload
                .downcast_ref::<Box<dyn std::any::Any + Send>>()
                .is_some_and(|inner| inner.downcast_ref::<crate::rt::UseAfterFree>().is_some());
        match lab {
            Some(stop) => Stopped::Lab(*stop),
            None if freed => Stopped::UseAfterFree,
            None if msg.starts_with("Causality violation") => Stopped::DataRace,
            None if msg.starts_with("deadlock") => Stopped::Deadlock,
            None if msg.contains("maximum number of branches") || msg.contains("max_branches") => {
                Stopped::BranchLimit
            }
            None => Stopped::Other,
        }
    }
}

/// Explores `cfg` under loom, in this process.
pub fn explore(cfg: &ExploreConfig) -> Result<ExploreReport> {
    let collector = Arc::new(Mutex::new(Collector::default()));
    let (exp, p) = (cfg.exp, cfg.params.clone());
    let expected = p.expected();
    let c = collector.clone();
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = cfg.preemptions;
    builder.max_duration = Some(Duration::from_secs_f64(cfg.max_seconds));
    builder.checkpoint_interval = CAP_CHECK_INTERVAL;
    builder.max_permutations = cfg.max_executions.map(|n| n as usize);
    builder.max_branches = 100_000;
    let started = Instant::now();
    let first_failure = cfg.first_failure;
    // Set by `explore_isolated` when the user's terminal can show a progress line.
    let line = match std::env::var_os("RACE_LAB_PROGRESS") {
        Some(_) => crate::machine::counter_line(true),
        None => indicatif::ProgressBar::hidden(),
    };
    let counter = line.clone();
    let cancel = cfg.cancel.clone();
    let model = move || {
        if cancel.requested() {
            // Ctrl-C: end loom's search here; what was explored so far is reported.
            std::panic::panic_any(LabStop::Interrupted);
        }
        loom_world::begin();
        let n = {
            let mut col = c.lock().unwrap_or_else(|e| e.into_inner());
            col.executions += 1;
            col.executions
        };
        if n % 256 == 0 {
            counter.set_message(crate::machine::searching(
                "exploring (loom)",
                n,
                "executions",
                started,
            ));
        }
        let run = (exp.kernels.loom)(&p);
        let mut rec = loom_world::take();
        exp.name_objects(&mut rec.events);
        let mut col = c.lock().unwrap_or_else(|e| e.into_inner());
        *col.outcomes.entry(run.outcome.clone()).or_default() += 1;
        if exp.grade(&p, Some(&run.outcome)).0 != Grade::Acceptable {
            col.failing_count += 1;
            // Per final value, keep the clearest story: fewest stale reads, then shortest.
            let key = |t: &[Event]| {
                (
                    t.iter().filter(|e| e.stale_latest.is_some()).count(),
                    t.len(),
                )
            };
            let keep = col
                .failing
                .get(&run.outcome)
                .is_none_or(|t| key(&rec.events) < key(t));
            if keep {
                col.failing.insert(run.outcome, rec.events);
            }
            if first_failure {
                drop(col);
                std::panic::panic_any(LabStop::Found);
            }
        }
    };
    let quiet = QuietPanics::install();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| builder.check(model)));
    drop(quiet);
    line.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let col = std::mem::take(&mut *collector.lock().unwrap_or_else(|e| e.into_inner()));
    let mut report = ExploreReport {
        schema: "race-lab.explore/1".into(),
        experiment: exp.name.into(),
        world: WORLD_LOOM.into(),
        model: MODEL_LOOM.into(),
        threads: cfg.params.threads,
        iters: cfg.params.iters,
        chosen: None,
        ordering: exp
            .takes(Opt::Ordering)
            .then(|| cfg.params.ordering.name().into()),
        preemption_bound: cfg.preemptions,
        executions: col.executions,
        complete: false,
        stopped: None,
        seconds,
        outcomes: Vec::new(),
        failing_executions: col.failing_count,
        failing: Vec::new(),
        race: None,
        deadlock: None,
        forbidden: false,
        verdict: String::new(),
        graph: None,
    };
    match result {
        Ok(()) => {
            let budget = cfg.max_executions.is_some_and(|n| col.executions >= n);
            let capped = (col.executions as usize + 1) % CAP_CHECK_INTERVAL == 0
                && seconds >= cfg.max_seconds;
            report.complete = !capped && !budget;
            if budget {
                report.stopped = Some(format!(
                    "budget of {} executions reached; the exploration is INCOMPLETE (raise --max-executions, or lower --iters or --threads)",
                    col.executions
                ));
            } else if capped {
                report.stopped = Some(format!(
                    "time cap of {} s reached after {} executions; the exploration is INCOMPLETE (lower --iters or --threads, or bound it with --preemptions 2)",
                    cfg.max_seconds, col.executions
                ));
            }
        }
        Err(payload) => {
            let msg = panic_message(&payload);
            let rec = loom_world::take();
            match Stopped::of(payload.as_ref(), &msg) {
                Stopped::Lab(LabStop::Found) => {
                    report.stopped = Some(format!(
                        "stopped at the first failing execution (execution {})",
                        col.executions
                    ));
                }
                Stopped::Lab(LabStop::Interrupted) => {
                    report.stopped = Some(format!(
                        "interrupted by Ctrl-C after {} executions",
                        col.executions
                    ));
                }
                Stopped::DataRace => {
                    report.race = Some(race_report(&msg, &rec.events));
                    report.stopped = Some("loom stopped at the first data race".into());
                }
                Stopped::UseAfterFree => {
                    let mut race = race_report(
                        "use after free: an access to a freed cell, or not ordered before its free",
                        &rec.events,
                    );
                    race.use_after_free = true;
                    race.summary = format!("use after free: {}", race.summary);
                    report.race = Some(race);
                    report.stopped = Some("loom stopped at the first use after free".into());
                }
                Stopped::Deadlock => {
                    report.deadlock = Some(deadlock_report(&msg, &rec));
                    report.stopped = Some("loom stopped at the first deadlock".into());
                }
                Stopped::BranchLimit => {
                    return Err(LabError::too_large(format!(
                        "the model is too large for loom ({}); lower --iters or --threads, or set --preemptions 2 — a spin loop whose every turn writes (a swap) never looks stuck to loom: explore it with --world scheduled",
                        first_line(&msg)
                    )));
                }
                Stopped::Other => {
                    return Err(LabError::failed(format!(
                        "loom stopped the exploration after {} executions: {}",
                        col.executions,
                        first_line(&msg)
                    )));
                }
            }
        }
    }
    for (o, n) in col.outcomes.iter() {
        let (grade, meaning) = exp.grade(&cfg.params, Some(o));
        report.forbidden |= grade == Grade::Forbidden;
        report.outcomes.push(OutcomeCount {
            value: o.primary(),
            label: o.to_string(),
            outcome: o.clone(),
            executions: *n,
            grade,
            meaning: meaning.into(),
        });
    }
    // One execution per failing final value; the shortest first, then the worst.
    let mut failing: Vec<(&Outcome, &Vec<Event>)> = col.failing.iter().collect();
    failing.sort_by_key(|(o, events)| (events.len(), (*o).clone()));
    super::worst_first(&report, &mut failing, |(o, _)| {
        cfg.exp.grade(&cfg.params, Some(o)).1
    });
    report.failing = failing
        .into_iter()
        .take(cfg.show)
        .map(|(o, events)| Failing {
            final_value: o.primary(),
            outcome: o.clone(),
            // A counter's story of the lost update; any other outcome, what its grade means.
            explanation: match o.is_value() {
                true => trace::explain_lost_update(events, expected, o.primary()),
                false => None,
            }
            .unwrap_or_else(|| exp.grade(&cfg.params, Some(o)).1.to_string()),
            events: events.iter().map(EventOut::from).collect(),
            timeline: trace::timeline(events),
        })
        .collect();
    report.verdict = super::verdict(exp, &cfg.params, &report);
    Ok(report)
}

fn race_report(msg: &str, events: &[Event]) -> RaceReport {
    let describe = |e: &Event| {
        let what = match e.op {
            trace::Op::RacyRead | trace::Op::Read => "read",
            _ if e.value == crate::rt::FREED => "free",
            _ => "write",
        };
        format!(
            "{} {what} of {} at {}",
            trace::thread_name(e.thread),
            e.object,
            e.location.as_deref().unwrap_or("?")
        )
    };
    let stopped = events
        .iter()
        .rev()
        .find(|e| matches!(e.op, trace::Op::RacyRead | trace::Op::RacyWrite));
    let mut accesses = Vec::new();
    let mut summary = first_line(msg).to_string();
    if let Some(s) = stopped {
        let stopped_is_write = s.op == trace::Op::RacyWrite;
        // The conflicting access: the latest access to the same object by another thread
        // that conflicts (a write, or any access if the stopped one is a write).
        let other = events.iter().rev().find(|e| {
            e.thread != s.thread
                && e.object == s.object
                && (stopped_is_write || matches!(e.op, trace::Op::Write | trace::Op::RacyWrite))
                && matches!(e.op, trace::Op::Read | trace::Op::Write)
        });
        accesses.push(describe(s));
        if let Some(o) = other {
            accesses.push(describe(o));
            summary = format!(
                "{} races with {} (no happens-before between them)",
                describe(s),
                describe(o)
            );
        }
    }
    RaceReport {
        loom_message: first_line(msg).to_string(),
        use_after_free: false,
        accesses,
        summary,
        events: events.iter().map(EventOut::from).collect(),
        timeline: trace::timeline(events),
    }
}

fn deadlock_report(msg: &str, rec: &loom_world::Recording) -> DeadlockReport {
    let holds = |t: usize| -> Vec<String> {
        let mut held: Vec<String> = Vec::new();
        for e in rec.events.iter().filter(|e| e.thread == t) {
            match e.op {
                trace::Op::Lock => held.push(e.object.clone()),
                trace::Op::Unlock => held.retain(|h| *h != e.object),
                _ => {}
            }
        }
        held
    };
    let blocked: Vec<String> = rec
        .waiting
        .iter()
        .map(|(t, l)| {
            let h = holds(*t);
            let held = if h.is_empty() {
                "nothing".to_string()
            } else {
                h.join(", ")
            };
            format!("{} holds {held} and waits for {l}", trace::thread_name(*t))
        })
        .collect();
    let summary = if blocked.is_empty() {
        first_line(msg).to_string()
    } else {
        blocked.join("; ")
    };
    DeadlockReport {
        livelock: false,
        loom_message: first_line(msg).to_string(),
        blocked,
        summary,
        events: rec.events.iter().map(EventOut::from).collect(),
        timeline: trace::timeline(&rec.events),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}
