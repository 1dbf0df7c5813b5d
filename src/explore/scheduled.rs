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
use crate::rt::sched::StepRec;
use crate::rt::sched::{self, dpor, End};
use crate::trace::{self, Event};
use std::collections::BTreeMap;
use std::sync::Mutex;
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

/// What a search found, shared by its workers.
#[derive(Default)]
struct Found {
    outcomes: BTreeMap<Ending, u64>,
    /// Per failing ending, the least class by (length, class hash, class key) and a run of it.
    failing: BTreeMap<Ending, (u64, Witness, Vec<StepRec>)>,
    failing_count: u64,
    stopped: Option<String>,
    /// Executions visited before the search was told to stop (a parallel search's other
    /// workers may still finish one each: they are not counted).
    visited: u64,
    /// The search stopped at what it found (a livelock; with `--first-failure`, the first
    /// failing execution): a parallel search then defers to the sequential one, whose first
    /// is the same for every run.
    found_stop: bool,
}

impl Found {
    /// Whether the search was told to stop (what comes after is not counted).
    fn closed(&self) -> bool {
        self.stopped.is_some()
    }
}

/// Explores in this process (coroutines on this thread; on `cfg.jobs` threads, each with
/// its own). The report is the same for every `jobs`: the classes, so the outcome counts,
/// are the same; a failing execution is shown as the canonical interleaving of the least
/// failing class ([`dpor::canonical_run`]); a search that stops at a livelock or at the
/// first failure is the sequential search's.
pub fn explore(cfg: &ExploreConfig) -> Result<ExploreReport> {
    let (exp, p) = (cfg.exp, cfg.params.clone());
    let expected = p.expected();
    let started = Instant::now();
    let line = crate::machine::counter_line(false);
    let found = Mutex::new(Found::default());
    let kernel = exp.kernels.sched;
    let q = p.clone();
    let run_kernel = move || kernel(&q).outcome;
    let _quiet = crate::error::QuietPanics::install();
    // The longest witness kept, read without the lock: a longer run cannot replace one, and
    // its class key (the costly part) is computed only if it is the first of its ending.
    let shortest = std::sync::atomic::AtomicUsize::new(usize::MAX);
    let visit = |v: dpor::Visit<'_, Outcome>| -> bool {
        let o = ending_of(v.end, v.result);
        let failed = exp.grade_ending(&p, &o).0 != Grade::Acceptable;
        let len = v.events.len();
        let key = (failed && len <= shortest.load(std::sync::atomic::Ordering::Relaxed))
            .then(|| dpor::class_hash(v.history));
        let mut f = found.lock().unwrap_or_else(|e| e.into_inner());
        if f.closed() {
            return false;
        }
        f.visited += 1;
        *f.outcomes.entry(o.clone()).or_default() += 1;
        if failed {
            f.failing_count += 1;
        }
        // The first of its ending is kept whatever its length.
        let first_of_ending = failed && !f.failing.contains_key(&o);
        let key = key.or_else(|| first_of_ending.then(|| dpor::class_hash(v.history)));
        if let Some(key) = key {
            let keep = match f.failing.get(&o) {
                None => true,
                Some((k, (e, _, _), h)) => match (len, key).cmp(&(e.len(), *k)) {
                    std::cmp::Ordering::Equal => dpor::trace_key(v.history) < dpor::trace_key(h),
                    less_or_more => less_or_more.is_lt(),
                },
            };
            if keep {
                let witness = (v.events, v.schedule.to_vec(), v.end.clone());
                f.failing
                    .insert(o.clone(), (key, witness, v.history.to_vec()));
                // A run can only replace a witness at most as long as itself.
                let longest = f.failing.values().map(|(_, (e, _, _), _)| e.len()).max();
                shortest.store(
                    longest.unwrap_or(usize::MAX),
                    std::sync::atomic::Ordering::Relaxed,
                );
            }
        }
        let n: u64 = f.outcomes.values().sum();
        if n % 256 == 0 {
            line.set_message(crate::machine::searching(
                "exploring (scheduled world)",
                n,
                "classes",
                started,
            ));
        }
        // A livelocked run takes the whole step bound: one is the finding.
        let livelock = matches!(v.end, End::Livelock(_));
        if let Some(why) = cfg.stops_at(livelock, failed, n, "executions") {
            f.stopped = Some(why);
            f.found_stop = true;
            return false;
        }
        if let Some(why) = cfg.spent(n, started, "classes") {
            f.stopped = Some(why);
            return false;
        }
        true
    };
    let limit = sched::step_limit(p.threads, p.iters);
    let stats = sched::with_spurious_wakeups(cfg.spurious_wakeups, || {
        if cfg.search_jobs() > 1 {
            dpor::explore_parallel(cfg.jobs, p.threads, limit, true, run_kernel.clone(), &visit).0
        } else {
            dpor::explore(p.threads, limit, true, run_kernel.clone(), visit)
        }
    });
    let found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    if cfg.search_jobs() > 1 && found.found_stop {
        line.finish_and_clear();
        return explore(&ExploreConfig {
            jobs: 1,
            ..cfg.clone()
        });
    }
    let Found {
        outcomes,
        failing,
        failing_count,
        stopped,
        visited,
        ..
    } = found;
    // Each failing class shown as its canonical interleaving, named as the experiment names
    // its objects.
    let failing: BTreeMap<Ending, Witness> = failing
        .into_iter()
        .map(|(o, (_, (events, schedule, end), history))| {
            let canonical = sched::with_spurious_wakeups(cfg.spurious_wakeups, || {
                dpor::canonical_run(p.threads, limit, run_kernel.clone(), &history)
            })
            .filter(|(r, e, _, end2)| ending_of(end2, r.clone()) == o && e.len() == events.len());
            let (mut events, schedule, end) = match canonical {
                Some((_, e, s, end2)) => (e, s, end2),
                None => (events, schedule, end),
            };
            exp.name_objects(&mut events);
            (o, (events, schedule, end))
        })
        .collect();
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
        executions: visited,
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
