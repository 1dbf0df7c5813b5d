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

/// Where a graph stands among those a search may show: smaller first, then by a hash of
/// the graph (ties told apart by its key) — the same choice whichever order the graphs
/// were found in.
fn rank(g: &Graph) -> (usize, u64) {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    g.th.hash(&mut h);
    (g.len(), h.finish())
}

/// Whether `g` comes before `kept` in [`rank`]'s order.
fn before(g: &Graph, rank_g: (usize, u64), kept: &Graph, rank_kept: (usize, u64)) -> bool {
    match rank_g.cmp(&rank_kept) {
        std::cmp::Ordering::Equal => g.key() < kept.key(),
        o => o.is_lt(),
    }
}

/// What a search found, shared by its workers.
#[derive(Default)]
struct Found {
    outcomes: BTreeMap<Ending, u64>,
    /// Per failing ending, the first graph in [`rank`]'s order.
    failing: BTreeMap<Ending, ((usize, u64), Kept)>,
    /// The data race's graph (with its two accesses), and its report.
    race: Option<(Graph, (Ev, Ev), RaceReport)>,
    /// For a proof's picture: the first acceptable graph in [`rank`]'s order.
    first: Option<((usize, u64), Graph)>,
    failing_count: u64,
    stopped: Option<String>,
    /// Executions visited before the search was told to stop (a parallel search's other
    /// workers may still finish one each: they are not counted).
    visited: u64,
    /// The search stopped at what it found (a data race, a livelock, the first failure):
    /// a parallel search then defers to the sequential one, whose first is the same for
    /// every run.
    found_stop: bool,
}

impl Found {
    /// Whether the search was told to stop (what comes after is not counted).
    fn closed(&self) -> bool {
        self.stopped.is_some() || self.race.is_some()
    }
}

/// The report of a data race found in `g` between `a` and `b`.
fn race_report(exp: &crate::experiment::Experiment, g: &Graph, a: Ev, b: Ev) -> RaceReport {
    let mut events = engine::trace(g);
    exp.name_objects(&mut events);
    let frees = |e: Ev| g.is_write(e) && g.is_na(e) && g.val(e) == crate::rt::FREED;
    let who = |e: Ev| {
        format!(
            "{} {} {}",
            trace::thread_name(crate::rt::rc11::graph::trace_thread(e.t)),
            if frees(e) {
                "frees"
            } else if g.is_write(e) {
                "writes"
            } else {
                "reads"
            },
            if g.is_na(e) { "the cell" } else { "an atomic" },
        )
    };
    let use_after_free = frees(a) || frees(b);
    let (message, summary) = if use_after_free {
        (
            "use after free (rc11 world): an access to the cell not ordered before its free",
            format!(
                "use after free: {} and {} with nothing ordering the access before the free",
                who(a),
                who(b)
            ),
        )
    } else {
        (
            "data race (rc11 world): two accesses to the cell, one a write, with no happens-before between them",
            format!(
                "{} and {} with nothing ordering them: a data race, undefined behaviour",
                who(a),
                who(b)
            ),
        )
    };
    RaceReport {
        loom_message: message.into(),
        use_after_free,
        accesses: vec![who(a), who(b)],
        summary,
        events: events.iter().map(EventOut::from).collect(),
        timeline: trace::timeline(&events),
    }
}

/// Explores in this process (coroutines on this thread, as the scheduled world; on
/// `cfg.jobs` threads, each with its own). The report is the same for every `jobs`: the
/// graphs, so the outcome counts, are the same; the failing execution shown is the first of
/// its ending in [`rank`]'s order; a search that stops at what it found is the sequential
/// search's.
pub fn explore(cfg: &ExploreConfig) -> Result<ExploreReport> {
    let (exp, p) = (cfg.exp, cfg.params.clone());
    let expected = p.expected();
    let started = Instant::now();
    let line = crate::machine::counter_line(false);
    let found = std::sync::Mutex::new(Found::default());
    let kernel_fn = exp.kernels.rc11;
    let q = p.clone();
    let kernel: Kernel<Outcome> = Arc::new(move || kernel_fn(&q).outcome);
    let _quiet = crate::error::QuietPanics::install();
    let bound = event_bound(p.threads, p.iters);
    let spurious = cfg.spurious_wakeups;
    let visit = |v: engine::Visit<'_, Outcome>| -> bool {
        if let RunEnd::DataRace(a, b) = v.end {
            let report = race_report(exp, v.graph, *a, *b);
            let mut f = found.lock().unwrap_or_else(|e| e.into_inner());
            if f.closed() {
                return false;
            }
            f.visited += 1;
            f.race = Some((v.graph.clone(), (*a, *b), report));
            f.found_stop = true;
            return false;
        }
        let o = ending_of(v.end, v.result);
        let failed = exp.grade_ending(&p, &o).0 != Grade::Acceptable;
        let r = rank(v.graph);
        let mut f = found.lock().unwrap_or_else(|e| e.into_inner());
        if f.closed() {
            return false;
        }
        f.visited += 1;
        *f.outcomes.entry(o.clone()).or_default() += 1;
        if failed {
            f.failing_count += 1;
            let keep = f
                .failing
                .get(&o)
                .is_none_or(|(rk, (_, _, g))| before(v.graph, r, g, *rk));
            if keep {
                let mut events = engine::trace(v.graph);
                exp.name_objects(&mut events);
                f.failing
                    .insert(o.clone(), (r, (events, v.end.clone(), v.graph.clone())));
            }
        } else if f
            .first
            .as_ref()
            .is_none_or(|(rk, g)| before(v.graph, r, g, *rk))
        {
            f.first = Some((r, v.graph.clone()));
        }
        let n: u64 = f.outcomes.values().sum();
        if n % 256 == 0 {
            line.set_message(crate::machine::searching(
                "exploring (rc11 world)",
                n,
                "execution graphs",
                started,
            ));
        }
        let livelock = matches!(o, Ending::Livelock);
        if let Some(why) = cfg.stops_at(livelock, failed, n, "execution graphs") {
            f.stopped = Some(why);
            f.found_stop = true;
            return false;
        }
        if let Some(why) = cfg.spent(n, started, "execution graphs") {
            f.stopped = Some(why);
            return false;
        }
        true
    };
    let stats = crate::rt::sched::with_spurious_wakeups(spurious, || {
        if cfg.search_jobs() > 1 {
            engine::explore_parallel(kernel, bound, &cfg.cancel, cfg.jobs, &visit).0
        } else {
            engine::explore(kernel, bound, &cfg.cancel, visit)
        }
    });
    line.finish_and_clear();
    let found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    if cfg.search_jobs() > 1 && found.found_stop {
        return explore(&ExploreConfig {
            jobs: 1,
            ..cfg.clone()
        });
    }
    let Found {
        outcomes,
        failing,
        race,
        first,
        failing_count,
        mut stopped,
        visited,
        ..
    } = found;
    let failing: BTreeMap<Ending, Kept> = failing.into_iter().map(|(o, (_, k))| (o, k)).collect();
    let first = first.map(|(_, g)| g);
    let (race_graph, race) = match race {
        Some((g, pair, report)) => (Some((g, pair)), Some(report)),
        None => (None, None),
    };
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
        executions: visited,
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
