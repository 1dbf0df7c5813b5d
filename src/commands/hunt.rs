//! `race-lab hunt`: search schedules for a failure — proptest's random schedules or PCT —
//! and shrink the first failing one to a minimal schedule that `replay` runs again.

use super::validate::{self, Limits};
use super::{Common, Exit};
use crate::error::{LabError, Result};
use crate::experiment::{Experiment, Params};
use crate::hunt;
use crate::report;
use clap::Args;
use std::io::Write;

/// PCT's bug depth when `--depth` is not given.
const DEFAULT_DEPTH: usize = 3;
/// The deepest PCT search.
const MAX_DEPTH: usize = 16;
/// Schedules tried when `--cases` is not given.
const DEFAULT_CASES: u32 = 1000;

#[derive(Args, Debug)]
pub struct HuntArgs {
    #[command(flatten)]
    pub common: Common,
    /// Schedules to try before giving up.
    #[arg(long, default_value_t = DEFAULT_CASES)]
    pub cases: u32,
    /// Seed of the random generator (the same seed finds the same schedule).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// How schedules are chosen: `random` (proptest generates them; the lab shrinks the
    /// first failing one, as it does for `pct`) or `pct`
    /// (shuttle's probabilistic concurrency testing: random priorities with change points).
    #[arg(long, value_enum, ignore_case = true, default_value_t = Strategy::Random)]
    pub strategy: Strategy,
    /// PCT's bug depth: how many ordering constraints the failure needs (change points + 1).
    #[arg(long)]
    pub depth: Option<usize>,
    /// Print every step of the failing run's timeline (by default a run longer than a
    /// screenful shows its first and last steps and the window where it went wrong).
    #[arg(long)]
    pub full: bool,
}

impl HuntArgs {
    /// The hunt in `common`'s experiment, every other option at its default.
    pub(crate) fn of(common: Common) -> Self {
        HuntArgs {
            common,
            cases: DEFAULT_CASES,
            seed: 0,
            strategy: Strategy::Random,
            depth: None,
            full: false,
        }
    }
}

/// How `hunt` chooses schedules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Strategy {
    /// Uniformly random schedules from proptest, shrunk by proptest.
    Random,
    /// PCT: random priorities with d - 1 priority change points.
    Pct,
}

/// A validated hunt.
pub struct HuntConfig {
    pub exp: &'static Experiment,
    pub params: Params,
    pub cases: u32,
    pub seed: u64,
    /// `None`: proptest's random schedules; `Some(depth)`: PCT.
    pub pct_depth: Option<usize>,
}

/// Validates a hunt.
pub fn config(a: &HuntArgs) -> Result<HuntConfig> {
    let exp = validate::experiment(&a.common.experiment)?;
    let limits = Limits {
        default_threads: 2,
        default_iters: 2,
        max_threads: hunt::SCHEDULED_MAX_WORKERS,
        max_iters: hunt::MAX_ITERS,
    };
    let params = validate::params(&a.common, exp, &limits)?;
    let pct_depth = match a.strategy {
        Strategy::Random if a.depth.is_some() => {
            return Err(LabError::usage("--depth applies to --strategy pct only"))
        }
        Strategy::Random => None,
        Strategy::Pct => Some(a.depth.unwrap_or(DEFAULT_DEPTH)),
    };
    validate::within(
        a.cases,
        1,
        u32::MAX,
        format!("--cases must be between 1 and {}", u32::MAX),
    )?;
    // A schedule costs a couple of microseconds to start and about one per increment
    // (a spin lock's increments cost more).
    let increments = params.threads as f64 * params.iters as f64;
    validate::work(
        a.cases as f64 * (2e-6 + 1e-6 * increments),
        &format!(
            "{} schedules of {} threads × {} increments",
            a.cases, params.threads, params.iters
        ),
        "--cases, --iters or --threads",
    )?;
    if let Some(d) = pct_depth {
        validate::within(
            d,
            1,
            MAX_DEPTH,
            format!("--depth must be between 1 and {MAX_DEPTH}"),
        )?;
    }
    Ok(HuntConfig {
        exp,
        params,
        cases: a.cases,
        seed: a.seed,
        pct_depth,
    })
}

/// Hunts and prints what was found.
pub fn execute(a: &HuntArgs, out: &mut dyn Write) -> Result<Exit> {
    let meter = crate::machine::CpuMeter::start();
    let r = measure(a)?;
    if a.common.json {
        report::hunt::document(&r, crate::machine::busy_warnings(&meter)).write(out)?;
    } else {
        report::hunt::text(out, &r)?;
    }
    Ok(Exit::ok_unless_interrupted(r.interrupted))
}

/// `hunt --json`'s document (what it prints), for a command that keeps it (`report`).
pub(crate) fn evidence(a: &HuntArgs) -> Result<serde_json::Value> {
    let meter = crate::machine::CpuMeter::start();
    let r = measure(a)?;
    Ok(report::hunt::document(&r, crate::machine::busy_warnings(&meter)).value())
}

/// The hunt `a` asks for, and what it found.
fn measure(a: &HuntArgs) -> Result<hunt::HuntReport> {
    let cancel = crate::machine::Cancel::ctrl_c();
    let cfg = config(a)?;
    let flag = std::sync::Arc::new(std::sync::Mutex::new(false));
    crate::machine::stop_after_grace(
        cancel.clone(),
        flag.clone(),
        std::time::Duration::from_millis(700),
        if a.common.json {
            String::new() // no half a JSON document
        } else {
            format!(
                "{} {}x{}: interrupted in the middle of a run; no failure to show\n",
                cfg.exp.name, cfg.params.threads, cfg.params.iters
            )
        },
    );
    let mut r = match cfg.pct_depth {
        None => hunt::hunt(cfg.exp, &cfg.params, cfg.cases, cfg.seed, &cancel)?,
        Some(depth) => hunt::hunt_pct(cfg.exp, &cfg.params, cfg.cases, cfg.seed, depth, &cancel)?,
    };
    if a.full {
        if let (Some(min), Some(rep)) = (&r.minimal, &mut r.replay) {
            let schedule = crate::schedule::parse(min, cfg.params.threads)?;
            *rep = hunt::replay_with(cfg.exp, &cfg.params, &schedule, true);
        }
    }
    crate::machine::reporting(&flag);
    Ok(r)
}
