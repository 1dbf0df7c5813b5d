//! `race-lab explore`: run an experiment's kernel over every execution of one world — the
//! rc11 world's execution graphs ([`rc11`]), the scheduled world's interleavings
//! ([`scheduled`]) or loom's (up to an optional preemption bound) — and report the outcome
//! distribution, the failing executions as timelines, a data race or a deadlock. With no
//! world or size asked for, [`decider`] picks the world that decides the experiment at its
//! proof size.
//!
//! loom can abort the whole process when a panic unwinds through a held guard, so the CLI
//! runs each exploration in a child process of the lab ([`explore_isolated`], [`child`]);
//! the library function [`explore`] does the work in-process. The parts: `loom.rs` (loom's
//! search), [`scheduled`] (the scheduled world's), `outcomes.rs` (what both report), `verdict.rs`
//! (the report's first line), and here the configuration.

use crate::error::{LabError, Result};
use crate::experiment::{Class, Experiment, Grade, Params};
use crate::machine::Cancel;

pub mod child;
mod loom;
mod outcomes;
pub mod rc11;
pub mod scheduled;
mod verdict;

pub use outcomes::{
    DeadlockReport, EventOut, ExecGraph, ExploreReport, Failing, OutcomeCount, RaceReport,
};
pub use verdict::{false_alarm, plural};
use verdict::{verdict, worst_first};

/// loom's limit: 5 threads including the main one.
pub const LOOM_MAX_WORKERS: usize = 4;

/// The two worlds `explore` searches, as reports name them.
pub const WORLD_LOOM: &str = "loom";
pub const WORLD_SCHEDULED: &str = "scheduled";

/// loom's model, in every report of the loom world.
pub const MODEL_LOOM: &str = "the C11/Rust memory model as loom models it (stale reads and data races; SeqCst accesses treated as AcqRel; no load buffering)";

/// Which world `explore` searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum World {
    /// loom: its model of C11 (stale reads, data races; no load buffering, SeqCst
    /// accesses as AcqRel), at most 4 workers.
    Loom,
    /// The scheduled world: sequentially consistent interleavings, any number of workers.
    Scheduled,
    /// The lab's weak-memory model checker: every RC11-consistent execution graph, once
    /// (atomics, fences, threads and spin loops).
    Rc11,
}

impl World {
    /// The world as reports and `--world` name it.
    pub fn name(self) -> &'static str {
        match self {
            World::Loom => WORLD_LOOM,
            World::Scheduled => WORLD_SCHEDULED,
            World::Rc11 => rc11::WORLD_RC11,
        }
    }
}

#[derive(Clone)]
pub struct ExploreConfig {
    pub exp: &'static Experiment,
    pub params: Params,
    pub world: World,
    pub preemptions: Option<usize>,
    pub max_seconds: f64,
    /// Whether the user bounded the time (then a large model is explored in part).
    pub max_seconds_given: bool,
    /// A budget in executions: the search stops there, INCOMPLETE (a verdict that must not
    /// depend on the machine's speed uses this, not seconds).
    pub max_executions: Option<u64>,
    /// The scheduled world lets condvar waiters wake without a notify (as std allows).
    pub spurious_wakeups: bool,
    /// Stop at the first failing execution (a check that only needs one, in a budget of
    /// executions rather than seconds).
    pub first_failure: bool,
    pub show: usize,
    /// Stops the search between executions; what was explored is reported.
    pub cancel: Cancel,
    /// Threads the scheduled and rc11 worlds search on (1: the sequential search). The
    /// same report whatever the number (see `scheduled::explore`), except for a search
    /// cut short by its budget, which explores a different part.
    pub jobs: usize,
}

impl ExploreReport {
    /// Adds the outcomes a search counted, each graded by the experiment.
    pub fn add_outcomes(
        &mut self,
        exp: &Experiment,
        p: &Params,
        counted: &std::collections::BTreeMap<crate::experiment::Ending, u64>,
    ) {
        for (ending, n) in counted {
            let (grade, meaning) = exp.grade_ending(p, ending);
            let o = ending.record();
            self.forbidden |= grade == Grade::Forbidden;
            self.outcomes.push(OutcomeCount {
                value: o.primary(),
                label: o.to_string(),
                outcome: o,
                executions: *n,
                grade,
                meaning: meaning.into(),
            });
        }
    }
}

impl ExploreConfig {
    /// A search of `exp` at `params` in `world` as a program (a test, a benchmark) wants
    /// it: sequential, no budget and no time cap (an hour's backstop), one failing execution
    /// shown, stopped by nothing but its end. Change what differs with `..`.
    pub fn new(exp: &'static Experiment, params: Params, world: World) -> Self {
        ExploreConfig {
            exp,
            params,
            world,
            preemptions: None,
            max_seconds: 3600.0,
            max_seconds_given: false,
            max_executions: None,
            spurious_wakeups: false,
            first_failure: false,
            show: 1,
            cancel: Cancel::new(),
            jobs: 1,
        }
    }

    /// The threads the scheduled and rc11 worlds search on: `jobs`, except for a search
    /// that will stop at what it finds. A parallel search that stops defers to the
    /// sequential one (whose first failure is the one reported, the same for every `jobs`),
    /// so a `--first-failure` search of a lesson whose bug shows in this world, at its proof
    /// size or larger (where `verify` shows it), goes there at once instead of twice.
    pub fn search_jobs(&self) -> usize {
        // Every bug of loom's or of the schedules is RC11's too (loom searches on one).
        let shows = self.world != World::Scheduled || self.exp.bug_worlds().scheduled;
        let proof = self.exp.proof;
        let stops = self.first_failure
            && self.exp.class != crate::experiment::Class::Fixed
            && shows
            && self.params.threads >= proof.threads
            && self.params.iters >= proof.iters;
        if stops {
            1
        } else {
            self.jobs
        }
    }

    /// Why a search stops at what it has just found, the `n`th of `unit`: a livelock
    /// (always: one is the finding), or a failure when `--first-failure` asks; `None` to go on.
    pub fn stops_at(&self, livelock: bool, failed: bool, n: u64, unit: &str) -> Option<String> {
        if livelock {
            Some(format!(
                "the search stops at the first livelock ({n} {unit} explored)"
            ))
        } else if failed && self.first_failure {
            Some(format!(
                "the search stops at the first failing execution ({n} explored)"
            ))
        } else {
            None
        }
    }

    /// Why a search that has explored `n` (of `unit`: "classes", "execution graphs") since
    /// `started` stops now: Ctrl-C, its budget of executions, or its time; `None` to go on.
    pub fn spent(&self, n: u64, started: std::time::Instant, unit: &str) -> Option<String> {
        if self.cancel.requested() {
            return Some("interrupted by Ctrl-C".to_string());
        }
        if self.max_executions.is_some_and(|max| n >= max) {
            return Some(format!(
                "explored {n} {unit}, the budget (--max-executions), not finished: INCOMPLETE (raise --max-executions, or lower --iters or --threads)"
            ));
        }
        if started.elapsed().as_secs_f64() >= self.max_seconds {
            return Some(format!(
                "explored {n} {unit} in {:.0} s, not finished: INCOMPLETE (raise --max-seconds, or lower --iters or --threads)",
                self.max_seconds
            ));
        }
        None
    }
}

/// The world that decides `exp` at its proof size when no `--world` is given, and why: the
/// rc11 world (every execution Rust's memory model allows) wherever it can explore the proof
/// size, else the scheduled world for a bug that shows under sequential consistency, else
/// loom.
pub fn decider(exp: &Experiment) -> (World, String) {
    if let Some(reason) = exp.rc11_census {
        let shows_sc = exp.bug_shows_in.scheduled || exp.class == Class::Fixed;
        let world = if shows_sc {
            World::Scheduled
        } else {
            World::Loom
        };
        return (
            world,
            format!(
                "the rc11 world {}cannot list every graph at its proof size ({reason}); the {} world can",
                if exp.class == Class::Fixed {
                    ""
                } else {
                    "finds its bug but "
                },
                world.name()
            ),
        );
    }
    let why = if exp.weak_memory_lesson() {
        "its lesson is about weak memory, and the rc11 world explores every execution graph \
         Rust's memory model allows, naming the write each read saw"
    } else if exp.class == Class::Fixed {
        "a fix is proved under the memory model Rust has: every RC11-consistent execution graph"
    } else {
        "it explores every execution Rust's memory model allows (sequentially consistent \
         ones and weaker), naming the write each read saw"
    };
    (World::Rc11, why.to_string())
}

/// The world to explore in: the one asked for, else [`decider`]'s, unless the size asked
/// for is past what that world takes (more than loom's four workers, more increments than
/// the rc11 world builds): then the scheduled world, which takes any size.
pub fn pick_world(asked: Option<World>, exp: &Experiment, p: &Params) -> World {
    if let Some(w) = asked {
        return w;
    }
    match decider(exp).0 {
        World::Loom if p.threads > LOOM_MAX_WORKERS => World::Scheduled,
        World::Rc11 if (p.threads as u64).saturating_mul(p.iters) > rc11::MAX_INCREMENTS => {
            World::Scheduled
        }
        w => w,
    }
}

/// The executions one `explore` may take when neither `--max-executions` nor
/// `--max-seconds` is given: about ten seconds' work on a 2-core machine in the scheduled
/// and rc11 worlds (loom's executions are slower: its 60-second cap may come first), so
/// that what a search says does not depend on the machine's speed.
pub fn budget(world: World) -> u64 {
    match world {
        World::Loom => 100_000,
        World::Scheduled => 400_000,
        World::Rc11 => 200_000,
    }
}

/// Validates an exploration before it starts.
pub fn check_config(exp: &Experiment, p: &Params, world: World) -> Result<()> {
    if world == World::Rc11 && (p.threads as u64).saturating_mul(p.iters) > rc11::MAX_INCREMENTS {
        return Err(LabError::too_large(format!(
            "the rc11 world builds every execution graph event by event, and {} × {} is too large for it (at most {} increments in all): lower --iters or --threads",
            p.threads,
            p.iters,
            rc11::MAX_INCREMENTS
        )));
    }
    if matches!(world, World::Scheduled | World::Rc11) {
        return Ok(());
    }
    if p.threads > LOOM_MAX_WORKERS {
        return Err(LabError::usage(format!(
            "loom explores at most {LOOM_MAX_WORKERS} worker threads (5 including main); use `race-lab explore {} --threads {} --world scheduled` for a sequentially consistent proof with more",
            exp.name, p.threads
        )));
    }
    if p.iters > 1000 {
        return Err(LabError::usage(format!(
            "--iters {} is far beyond what loom can explore (executions grow exponentially); lower --iters to 1..=5",
            p.iters
        )));
    }
    Ok(())
}

/// Explores in this process. Prefer [`explore_isolated`] from the CLI.
pub fn explore(cfg: &ExploreConfig) -> Result<ExploreReport> {
    check_config(cfg.exp, &cfg.params, cfg.world)?;
    match cfg.world {
        World::Scheduled => scheduled::explore(cfg),
        World::Rc11 => rc11::explore(cfg),
        World::Loom => loom::explore(cfg),
    }
}

/// Runs the exploration in a child process of the lab (the hidden `__explore` command), so
/// that nothing loom does — not even an abort — can take the lab down with it. The scheduled
/// world (coroutines on this thread, nothing that can abort) explores in this process.
pub fn explore_isolated(cfg: &ExploreConfig) -> Result<ExploreReport> {
    check_config(cfg.exp, &cfg.params, cfg.world)?;
    match cfg.world {
        World::Scheduled => scheduled::explore(cfg),
        World::Rc11 => rc11::explore(cfg),
        World::Loom => child::explore_in_child(cfg, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A first-failure search of a lesson at its proof size, where its bug shows, goes to
    /// the sequential search at once; anything else searches on `jobs`.
    #[test]
    fn a_search_sure_to_stop_at_a_failure_runs_sequentially() {
        let at = |name: &str, world, first_failure, shrink: u64| {
            let exp = crate::experiments::find(name).expect("in the catalogue");
            let size = Params::new(exp.proof.threads, exp.proof.iters - shrink);
            ExploreConfig {
                first_failure,
                jobs: 2,
                ..ExploreConfig::new(exp, size, world)
            }
            .search_jobs()
        };
        assert_eq!(at("bounded-buffer-one-cv", World::Rc11, true, 0), 1);
        assert_eq!(at("racy-atomic", World::Scheduled, true, 0), 1);
        assert_eq!(at("racy-atomic", World::Scheduled, false, 0), 2);
        assert_eq!(at("atomic", World::Scheduled, true, 0), 2, "a fix");
        // Weak memory's bug: the schedules cannot show it.
        assert_eq!(at("publish-relaxed", World::Scheduled, true, 0), 2);
        assert_eq!(at("publish-relaxed", World::Rc11, true, 0), 1);
        // Below the proof size the bug may not show.
        assert_eq!(at("bounded-buffer-one-cv", World::Rc11, true, 1), 2);
    }
}
