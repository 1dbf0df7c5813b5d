//! `race-lab explore --world scheduled`: every sequentially consistent interleaving of an
//! experiment's kernel, up to equivalence (dynamic partial-order reduction, see
//! `rt::sched::dpor`), with no limit on the number of workers.
//!
//! The model is sequential consistency: a load always returns the latest store, so stale
//! reads and store buffering never show here — those are the loom world's. What it adds
//! is scale: proofs for 5 to 8 workers, past loom's four.

use super::{DeadlockReport, EventOut, ExploreConfig, ExploreReport, Failing, WORLD_SCHEDULED};
use crate::error::Result;
use crate::experiment::{Ending, Grade, Outcome};
use crate::rt::sched::{self, dpor, End};
use crate::trace::{self, Event};
use std::collections::BTreeMap;
use std::time::Instant;

/// The model's wording, in every report of this world.
pub const MODEL: &str =
    "sequentially consistent: no stale reads (for those use the rc11 world: --world rc11)";

/// A failing execution kept for the report: its trace, its schedule, how it ended.
type Witness = (Vec<Event>, Vec<usize>, End);

/// How a scheduled run ended, as every world says it (the engine's [`End`] keeps who
/// waited for what; the grade needs only the kind).
pub fn ending_of(end: &End, result: Option<Outcome>) -> Ending {
    match (end, result) {
        (End::Finished, Some(o)) => Ending::Finished(o),
        (End::Deadlock(_), _) => Ending::Deadlock,
        (End::Livelock(_), _) => Ending::Livelock,
        (End::Panicked(_), _) => Ending::Panicked,
        (End::Finished | End::StepLimit, _) => Ending::CutShort,
    }
}

/// Explores in this process (coroutines on this thread: nothing here can abort the lab).
pub fn explore(cfg: &ExploreConfig) -> Result<ExploreReport> {
    let (exp, p) = (cfg.exp, cfg.params.clone());
    let expected = p.expected();
    let started = Instant::now();
    let line = crate::machine::counter_line(false);
    let mut outcomes: BTreeMap<Ending, u64> = BTreeMap::new();
    let mut failing: BTreeMap<Ending, Witness> = BTreeMap::new();
    let mut failing_count = 0u64;
    let mut stopped = None;
    let kernel = exp.kernels.sched;
    let q = p.clone();
    let _quiet = crate::error::QuietPanics::install();
    let stats = sched::with_spurious_wakeups(cfg.spurious_wakeups, || {
        dpor::explore(
            p.threads,
            sched::step_limit(p.threads, p.iters),
            true,
            move || kernel(&q).outcome,
            |v| {
                let o = ending_of(v.end, v.result);
                *outcomes.entry(o.clone()).or_default() += 1;
                if exp.grade_ending(&p, &o).0 != Grade::Acceptable {
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
                if n % 256 == 0 {
                    line.set_message(crate::machine::searching(
                        "exploring (scheduled world)",
                        n,
                        "classes",
                        started,
                    ));
                }
                if matches!(v.end, End::Livelock(_)) {
                    // A livelocked run takes the whole step bound: one is the finding.
                    stopped = Some(format!(
                        "the search stops at the first livelock ({} executions explored)",
                        n
                    ));
                    return false;
                }
                if let Some(why) = cfg.spent(n, started, "classes") {
                    stopped = Some(why);
                    return false;
                }
                true
            },
        )
    });
    line.finish_and_clear();
    let mut report = ExploreReport {
        schema: "race-lab.explore/1".into(),
        experiment: exp.name.into(),
        world: WORLD_SCHEDULED.into(),
        model: MODEL.into(),
        threads: cfg.params.threads,
        iters: cfg.params.iters,
        chosen: None,
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
        graph: None,
    };
    report.add_outcomes(exp, &cfg.params, &outcomes);
    let mut shown: Vec<(&Ending, &Witness)> = failing.iter().collect();
    shown.sort_by_key(|(o, (events, _, _))| (events.len(), (*o).clone()));
    super::worst_first(&report, &mut shown, |(o, _)| {
        cfg.exp.grade_ending(&cfg.params, o).1
    });
    for (ending, (events, schedule, end)) in shown.into_iter() {
        let o = &ending.record();
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
                livelock: matches!(end, End::Livelock(_)),
                loom_message: format!(
                    "{kind} (scheduled world), replay with: race-lab replay {} -t {} -i {} --schedule \"{}\"",
                    exp.name,
                    cfg.params.threads,
                    cfg.params.iters,
                    crate::schedule::format(schedule)
                ),
                summary: if matches!(end, End::Livelock(_)) {
                    format!(
                        "livelock: no end within {} steps ({}); {}",
                        sched::step_limit(cfg.params.threads, cfg.params.iters),
                        sched::STEP_BOUND,
                        blocked.join("; ")
                    )
                } else {
                    format!("{kind}: {}", blocked.join("; "))
                },
                blocked,
                events: events.iter().map(EventOut::from).collect(),
                // A livelock's run is long: its first steps and the cycle it ended in.
                timeline: trace::timeline_of(events, &trace::summary_steps(events)),
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
