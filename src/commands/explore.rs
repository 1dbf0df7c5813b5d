//! `race-lab explore`: model-check an experiment — every execution of one world (rc11,
//! scheduled or loom), outcome counts, failing timelines. With no flags it explores the
//! experiment's proof size in the world that decides it there, and says so. loom runs in a
//! child process of the lab (the hidden `__explore` command, also here), so that nothing
//! loom does can take the lab down.
//!
//! A FORBIDDEN outcome (a fixed version that loses an update under some interleaving)
//! prints the report and exits 1.

use super::validate::{self, Limits};
use super::{Common, Exit};
use crate::error::Result;
use crate::explore::{self, ExploreConfig};
use crate::report;
use clap::Args;
use std::io::Write;

/// The largest preemption bound loom takes (it counts preemptions in a byte).
pub const MAX_PREEMPTIONS: usize = 255;
/// The most failing timelines `--show` prints.
pub const MAX_SHOW: usize = 100;
/// The failing timelines printed when `--show` is not given.
const DEFAULT_SHOW: usize = 1;

#[derive(Args, Debug)]
pub struct ExploreArgs {
    #[command(flatten)]
    pub common: Common,
    /// Explore only executions with at most P preemptions (loom's preemption bound).
    #[arg(long)]
    pub preemptions: Option<usize>,
    /// Stop (and say the exploration is incomplete) after this many seconds [default: 60].
    #[arg(long)]
    pub max_seconds: Option<f64>,
    /// Stop (and say the exploration is incomplete) after this many executions: a budget
    /// that does not depend on the machine's speed [default, unless --max-seconds is
    /// given: 400000 in the scheduled world, 200000 in rc11, 100000 under loom: about ten
    /// seconds' work].
    #[arg(long)]
    pub max_executions: Option<u64>,
    /// Scheduled and rc11 worlds: let a condvar waiter also wake without a notify (a
    /// spurious wake-up, which std allows), at most once per `wait` call.
    #[arg(long)]
    pub spurious_wakeups: bool,
    /// Stop at the first failing execution (what `verify` asks when one is all a check
    /// needs).
    #[arg(long)]
    pub first_failure: bool,
    /// The world to explore: `rc11` (the lab's own RC11 model checker: every consistent
    /// execution graph), `scheduled` (every sequentially consistent interleaving, any number
    /// of workers) or `loom` (loom's model of C11 atomics, up to 4 workers) [default: the
    /// world that decides the experiment at its proof size — rc11, or scheduled where rc11
    /// cannot — and scheduled for sizes past rc11's 64 increments; said under the report's
    /// first line].
    #[arg(long, value_enum, ignore_case = true)]
    pub world: Option<explore::World>,
    /// How many failing executions to print as timelines (one per final value; the shortest
    /// first, then the worst).
    #[arg(long, default_value_t = DEFAULT_SHOW)]
    pub show: usize,
    /// rc11 world: write the execution graph of what the report shows first (the data
    /// race, the deadlock, the first failing execution; for a proof, one execution) to
    /// FILE, as Graphviz text (`.dot`) or a picture (`.svg`).
    #[arg(long, value_name = "FILE")]
    pub graph: Option<std::path::PathBuf>,
    /// Scheduled and rc11 worlds: search on this many threads; the report is the same for
    /// every number, except that a search cut short by its budget explores a different part
    /// [default: the CPUs this process may use; loom's search runs on one].
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
}

impl ExploreArgs {
    /// The exploration of `common`'s experiment, every other option at its default.
    pub(crate) fn of(common: Common) -> Self {
        ExploreArgs {
            common,
            preemptions: None,
            max_seconds: None,
            max_executions: None,
            spurious_wakeups: false,
            first_failure: false,
            world: None,
            show: DEFAULT_SHOW,
            graph: None,
            jobs: None,
        }
    }
}

/// Validates an exploration.
pub fn config(a: &ExploreArgs) -> Result<ExploreConfig> {
    let exp = validate::experiment(&a.common.experiment)?;
    // What is not asked for is the experiment's own: its proof size, in the world that
    // decides it there.
    let proof = exp.proof;
    let limits = Limits {
        default_threads: proof.threads,
        default_iters: proof.iters,
        max_threads: usize::MAX,
        max_iters: u64::MAX,
    };
    let p = validate::params(&a.common, exp, &limits)?;
    let max_seconds = a.max_seconds.unwrap_or(60.0);
    validate::seconds(
        max_seconds,
        86_400.0,
        "--max-seconds must be more than 0 and at most 86400",
    )?;
    if let Some(b) = a.preemptions {
        validate::within(
            b,
            0,
            MAX_PREEMPTIONS,
            format!("--preemptions must be between 0 and {MAX_PREEMPTIONS} (got {b})"),
        )?;
    }
    validate::within(
        a.show,
        0,
        MAX_SHOW,
        format!("--show must be between 0 and {MAX_SHOW} (got {})", a.show),
    )?;
    if let Some(n) = a.max_executions {
        validate::within(
            n,
            1,
            u64::MAX / 2,
            format!("--max-executions must be at least 1 (got {n})"),
        )?;
    }
    let world = explore::pick_world(a.world, exp, &p);
    if world == explore::World::Loom && a.spurious_wakeups {
        return Err(crate::error::LabError::usage(
            "--spurious-wakeups is for the scheduled and rc11 worlds (--world scheduled or rc11); loom never wakes a waiter spuriously",
        ));
    }
    if let Some(path) = &a.graph {
        if world != explore::World::Rc11 {
            return Err(crate::error::LabError::usage(
                "--graph draws an execution graph, which only the rc11 world builds: use --world rc11",
            ));
        }
        graph_format(path)?;
    }
    if world != explore::World::Loom && a.preemptions.is_some() {
        return Err(crate::error::LabError::usage(format!(
            "--preemptions bounds loom's search; the {} world explores every {} (bound it with --max-seconds or --max-executions)",
            world.name(),
            if world == explore::World::Rc11 { "execution graph" } else { "interleaving" }
        )));
    }
    explore::check_config(exp, &p, world)?;
    let jobs = match (a.jobs, world) {
        (Some(j), explore::World::Loom) if j > 1 => {
            return Err(crate::error::LabError::usage(
                "--jobs is for the scheduled and rc11 worlds; loom's search runs on one thread",
            ))
        }
        (Some(j), _) => j,
        (None, explore::World::Loom) => 1,
        (None, _) => crate::machine::cpus(),
    };
    validate::within(
        jobs,
        1,
        crate::commands::verify::MAX_JOBS,
        format!(
            "--jobs must be between 1 and {} (got {jobs})",
            crate::commands::verify::MAX_JOBS
        ),
    )?;
    Ok(ExploreConfig {
        exp,
        params: p,
        world,
        preemptions: a.preemptions,
        max_seconds,
        max_seconds_given: a.max_seconds.is_some(),
        max_executions: match (a.max_executions, a.max_seconds) {
            (None, None) => Some(explore::budget(world)),
            (n, _) => n,
        },
        spurious_wakeups: a.spurious_wakeups,
        first_failure: a.first_failure,
        show: a.show,
        cancel: crate::machine::Cancel::ctrl_c(),
        jobs,
    })
}

/// What `explore` chose that was not asked for, and why: said under the report's first line.
pub fn chosen(a: &ExploreArgs, cfg: &ExploreConfig) -> Option<String> {
    let sized = a.common.threads.is_some() || a.common.iters.is_some();
    let size = format!("{}×{}", cfg.params.threads, cfg.params.iters);
    match (a.world, sized) {
        (Some(_), true) => None,
        (Some(w), false) => Some(format!(
            "no --threads or --iters: {size}, the size at which the {} world proves or finds {}",
            w.name(),
            cfg.exp.name
        )),
        (None, sized) => {
            let (decider, why) = explore::decider(cfg.exp);
            Some(if cfg.world != decider {
                let proof = cfg.exp.proof;
                format!(
                    "no --world: the {} world, which takes {size} ({} would decide {} at {}×{})",
                    cfg.world.name(),
                    decider.name(),
                    cfg.exp.name,
                    proof.threads,
                    proof.iters,
                )
            } else if sized {
                format!("no --world: the {} world, because {why}", cfg.world.name())
            } else {
                format!(
                    "no --world or size: {size}, where {} is proved or found, in the {} world, because {why}",
                    cfg.exp.name,
                    cfg.world.name()
                )
            })
        }
    }
}

/// Whether `--graph FILE` asks for Graphviz text (`.dot`) or SVG (`.svg`): true for SVG.
fn graph_format(path: &std::path::Path) -> Result<bool> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("svg") => Ok(true),
        Some("dot" | "gv") => Ok(false),
        _ => Err(crate::error::LabError::usage(format!(
            "--graph {}: the file must end in .dot (Graphviz text) or .svg (a picture)",
            path.display()
        ))),
    }
}

/// Explores in a child process and prints the report.
pub fn execute(a: &ExploreArgs, out: &mut dyn Write) -> Result<Exit> {
    let cancel = crate::machine::Cancel::ctrl_c();
    let cfg = config(a)?;
    // The picture's file is opened before the work, so a bad path costs nothing.
    let graph_file = match &a.graph {
        Some(path) => Some((
            path,
            graph_format(path)?,
            std::fs::File::create(path).map_err(|e| {
                crate::error::LabError::usage(format!("--graph {}: {e}", path.display()))
            })?,
        )),
        None => None,
    };
    let meter = crate::machine::CpuMeter::start();
    let r = explored(a, &cfg)?;
    if let Some((path, svg, mut file)) = graph_file {
        let text = match (&r.graph, svg) {
            (Some(g), true) => &g.svg,
            (Some(g), false) => &g.dot,
            (None, _) => {
                return Err(crate::error::LabError::usage(format!(
                    "--graph {}: no execution was explored, so there is no graph to draw",
                    path.display()
                )))
            }
        };
        file.write_all(text.as_bytes()).map_err(|e| {
            crate::error::LabError::usage(format!("--graph {}: {e}", path.display()))
        })?;
        if !a.common.json {
            eprintln!(
                "race-lab: wrote the execution graph of {} to {}",
                r.graph.as_ref().map_or("", |g| g.of.as_str()),
                path.display()
            );
        }
    }
    if a.common.json {
        report::explore::document(&r, crate::machine::busy_warnings(&meter)).write(out)?;
    } else {
        report::explore::text(out, &r)?;
    }
    if r.forbidden {
        return Ok(Exit::Failed(format!(
            "FORBIDDEN outcome: the {} world has an execution of {} that must never happen{}.",
            r.world,
            cfg.exp.name,
            explore::false_alarm(cfg.exp, &r)
        )));
    }
    Ok(Exit::ok_unless_interrupted(cancel.requested()))
}

/// The exploration `a` asks for, in a child process where it is loom's, with what was
/// chosen for it said.
fn explored(a: &ExploreArgs, cfg: &ExploreConfig) -> Result<explore::ExploreReport> {
    let mut r = explore::explore_isolated(cfg)?;
    r.chosen = chosen(a, cfg);
    Ok(r)
}

/// `explore --json`'s document (what it prints), for a command that keeps it (`report`).
pub(crate) fn evidence(a: &ExploreArgs) -> Result<serde_json::Value> {
    let cfg = config(a)?;
    let meter = crate::machine::CpuMeter::start();
    let r = explored(a, &cfg)?;
    Ok(report::explore::document(&r, crate::machine::busy_warnings(&meter)).value())
}

/// `__explore`, the child: explores in this process and prints the report as JSON for the
/// parent, whatever the outcome (the parent decides the exit status).
pub fn execute_child(a: &ExploreArgs, out: &mut dyn Write) -> Result<Exit> {
    // Die with the parent: an exploration nobody waits for is wasted.
    let _ = nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL);
    let cfg = config(a)?;
    let r = explore::explore(&cfg)?;
    report::json(out, &r)?;
    Ok(Exit::Ok)
}
