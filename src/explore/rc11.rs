//! `race-lab explore --world rc11`: every execution graph of an experiment's kernel that is
//! consistent under RC11 (the lab's own weak-memory model checker, `rt::rc11`), each once.
//!
//! Where the scheduled world shows interleavings, this world shows what weak memory adds:
//! a read may return an older write, as long as the graph stays consistent. It covers
//! every primitive of the facade: atomics, fences, threads, spin loops, locks, condvars,
//! channels and the racy cell.

use super::{
    DeadlockReport, EventOut, ExecGraph, ExploreConfig, ExploreReport, Failing, RaceReport,
};
use crate::error::Result;
use crate::experiment::{Ending, Grade, Outcome};
use crate::rt::rc11::explore::{self as engine, Kernel};
use crate::rt::rc11::graph::{Ev, Graph};
use crate::rt::rc11::picture::{picture, Picture};
use crate::rt::rc11::RunEnd;
use crate::trace::{self, Event};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

/// The world's name, as `--world` and reports say it.
pub const WORLD_RC11: &str = "rc11";

/// The model's wording, in every report of this world.
pub const MODEL: &str = "RC11 with C++20's release sequences (Rust's model, without load buffering): every consistent execution graph, each once";

/// The most threads × iterations the rc11 world explores: past it, one run's graph is so
/// large that every choice costs a copy of it (the catalogue's sizes are all under 10).
pub const MAX_INCREMENTS: u64 = 64;

/// Events one run may add before it counts as running away (a LIVELOCK).
pub fn event_bound(threads: usize, iters: u64) -> u64 {
    (threads as u64 + 1)
        .saturating_mul(iters.saturating_mul(64).saturating_add(64))
        .min(1 << 20)
}

/// How an rc11 run ended, as every world says it.
pub fn ending_of(end: &RunEnd, result: Option<&Outcome>) -> Ending {
    match (end, result) {
        (RunEnd::Finished, Some(o)) => Ending::Finished(o.clone()),
        (RunEnd::Livelock(_) | RunEnd::StepLimit, _) => Ending::Livelock,
        (RunEnd::Deadlock(_), _) => Ending::Deadlock,
        (RunEnd::Panicked(_), _) => Ending::Panicked,
        _ => Ending::CutShort,
    }
}

/// A failing execution kept for the report: its trace, how it ended, its graph.
type Kept = (Vec<Event>, RunEnd, Graph);

impl From<Picture> for ExecGraph {
    fn from(p: Picture) -> Self {
        ExecGraph {
            of: String::new(),
            dot: p.dot,
            svg: p.svg,
        }
    }
}

/// Explores in this process (coroutines on this thread, as the scheduled world).
pub fn explore(cfg: &ExploreConfig) -> Result<ExploreReport> {
    let (exp, p) = (cfg.exp, cfg.params.clone());
    let expected = p.expected();
    let started = Instant::now();
    let line = crate::machine::counter_line(false);
    let mut outcomes: BTreeMap<Ending, u64> = BTreeMap::new();
    let mut failing: BTreeMap<Ending, Kept> = BTreeMap::new();
    // The graph to draw: the data race's (with its two accesses), else the one the report
    // shows first, else (a proof) the first execution.
    let mut race_graph: Option<(Graph, (Ev, Ev))> = None;
    let mut first: Option<Graph> = None;
    let mut failing_count = 0u64;
    let mut stopped = None;
    let mut race = None;
    let kernel_fn = exp.kernels.rc11;
    let q = p.clone();
    let kernel: Kernel<Outcome> = Arc::new(move || kernel_fn(&q).outcome);
    let _quiet = crate::error::QuietPanics::install();
    let bound = event_bound(p.threads, p.iters);
    let spurious = cfg.spurious_wakeups;
    let stats = crate::rt::sched::with_spurious_wakeups(spurious, || {
        engine::explore(kernel, bound, &cfg.cancel, |v| {
            if let RunEnd::DataRace(a, b) = v.end {
                race_graph = Some((v.graph.clone(), (*a, *b)));
                let mut events = engine::trace(v.graph);
                exp.name_objects(&mut events);
                let who = |e: crate::rt::rc11::graph::Ev| {
                    let write = v.graph.is_write(e);
                    format!(
                        "{} {} {}",
                        trace::thread_name(crate::rt::rc11::graph::trace_thread(e.t)),
                        if write { "writes" } else { "reads" },
                        if v.graph.is_na(e) {
                            "the cell"
                        } else {
                            "an atomic"
                        },
                    )
                };
                race = Some(RaceReport {
                    loom_message: "data race (rc11 world): two accesses to the cell, one a write, with no happens-before between them".into(),
                    accesses: vec![who(*a), who(*b)],
                    summary: format!(
                        "{} and {} with nothing ordering them: a data race, undefined behaviour",
                        who(*a),
                        who(*b)
                    ),
                    events: events.iter().map(EventOut::from).collect(),
                    timeline: trace::timeline(&events),
                });
                return false;
            }
            let o = ending_of(v.end, v.result);
            *outcomes.entry(o.clone()).or_default() += 1;
            let failed = exp.grade_ending(&p, &o).0 != Grade::Acceptable;
            if failed {
                failing_count += 1;
                let mut events = engine::trace(v.graph);
                exp.name_objects(&mut events);
                if failing
                    .get(&o)
                    .is_none_or(|(e, _, _)| events.len() < e.len())
                {
                    failing.insert(o.clone(), (events, v.end.clone(), v.graph.clone()));
                }
            } else if first.is_none() {
                first = Some(v.graph.clone());
            }
            let n: u64 = outcomes.values().sum();
            if n % 256 == 0 {
                line.set_message(crate::machine::searching(
                    "exploring (rc11 world)",
                    n,
                    "execution graphs",
                    started,
                ));
            }
            if matches!(o, Ending::Livelock) {
                stopped = Some(format!(
                    "the search stops at the first livelock ({n} execution graphs explored)"
                ));
                return false;
            }
            if failed && cfg.first_failure {
                stopped = Some(format!(
                    "the search stops at the first failing execution ({n} explored)"
                ));
                return false;
            }
            if let Some(why) = cfg.spent(n, started, "execution graphs") {
                stopped = Some(why);
                return false;
            }
            true
        })
    });
    line.finish_and_clear();
    if stats.stopped && stopped.is_none() && race.is_none() {
        stopped = Some("interrupted by Ctrl-C".to_string());
    }
    let mut report = ExploreReport {
        schema: "race-lab.explore/1".into(),
        experiment: exp.name.into(),
        world: WORLD_RC11.into(),
        model: MODEL.into(),
        threads: p.threads,
        iters: p.iters,
        chosen: None,
        ordering: None,
        preemption_bound: None,
        executions: stats.executions,
        complete: !stats.stopped,
        stopped,
        seconds: started.elapsed().as_secs_f64(),
        outcomes: Vec::new(),
        failing_executions: failing_count,
        failing: Vec::new(),
        race,
        deadlock: None,
        forbidden: false,
        verdict: String::new(),
        graph: None,
    };
    report.add_outcomes(exp, &p, &outcomes);
    let mut shown: Vec<(&Ending, &Kept)> = failing.iter().collect();
    shown.sort_by_key(|(o, (events, _, _))| (events.len(), (*o).clone()));
    super::worst_first(&report, &mut shown, |(o, _)| exp.grade_ending(&p, o).1);
    let rename = |s: &str| exp.object_name(s).into_owned();
    let draw = |g: &Graph, race: Option<(Ev, Ev)>, of: &str| ExecGraph {
        of: of.to_string(),
        ..picture(g, race, &rename).into()
    };
    report.graph = match (&race_graph, shown.first()) {
        (Some((g, pair)), _) => Some(draw(
            g,
            Some(*pair),
            "the data race (its two accesses in red)",
        )),
        (None, Some((_, (_, RunEnd::Livelock(_), g)))) => Some(draw(g, None, "the livelock")),
        (None, Some((_, (_, RunEnd::Deadlock(_), g)))) => Some(draw(g, None, "the deadlock")),
        (None, Some((_, (_, _, g)))) => Some(draw(g, None, "the first failing execution shown")),
        (None, None) => first
            .as_ref()
            .map(|g| draw(g, None, "one execution (every one is acceptable)")),
    };
    for (ending, (events, end, _)) in shown {
        let o = ending.record();
        if let RunEnd::Livelock(waits) | RunEnd::Deadlock(waits) = end {
            if report.deadlock.is_some() {
                continue;
            }
            let livelock = matches!(end, RunEnd::Livelock(_));
            let blocked: Vec<String> = waits
                .iter()
                .map(|(t, what)| format!("{} waits for {what}", trace::thread_name(*t)))
                .collect();
            report.deadlock = Some(DeadlockReport {
                livelock,
                loom_message: if livelock {
                    "livelock (rc11 world): every thread left spins on values nobody will change, or repeats an iteration that undoes itself"
                } else {
                    "deadlock (rc11 world): every thread left sleeps, and nothing in the execution graph can wake it"
                }
                .into(),
                summary: format!(
                    "{}: {}",
                    if livelock { "livelock" } else { "deadlock" },
                    blocked.join("; ")
                ),
                blocked,
                events: events.iter().map(EventOut::from).collect(),
                timeline: trace::timeline(events),
            });
            continue;
        }
        if report.failing.len() >= cfg.show {
            continue;
        }
        let why = if o.is_value() {
            trace::explain_lost_update(events, expected, o.primary()).unwrap_or_default()
        } else {
            exp.grade_ending(&p, ending).1.to_string()
        };
        report.failing.push(Failing {
            final_value: o.primary(),
            outcome: o.clone(),
            explanation: if events.iter().any(|e| e.newer_in_mo.is_some()) {
                format!(
                    "{why} (a read marked \"stale by mo\" read a write older, in its location's modification order, than one that had already run)"
                )
            } else {
                why
            },
            events: events.iter().map(EventOut::from).collect(),
            timeline: trace::timeline(events),
        });
    }
    report.verdict = format!("RC11: {}", super::verdict(exp, &p, &report));
    Ok(report)
}
