//! `race-lab run`: an experiment on real threads (per-trial counts, outcome histogram,
//! verdict, cost), or a process experiment in child processes (its evidence).
//!
//! A FORBIDDEN outcome — a fixed version that lost an update — prints the report and exits 1.

use super::validate::{self, Limits};
use super::{Common, Exit};
use crate::error::{LabError, Result};
use crate::harness::{self, RunConfig};
use crate::machine;
use crate::procs::{check_procs, POpt, ProcExperiment, ProcParams};
use crate::report;
use clap::Args;
use std::io::Write;
use std::time::Duration;

/// The most threads `race-lab run` starts.
pub const MAX_THREADS: usize = 1024;
/// The most increments per thread `race-lab run` performs.
pub const MAX_ITERS: u64 = validate::MAX_ITERS;
/// The most trials.
pub const MAX_TRIALS: usize = 1_000_000;
/// The most increments in all (threads × iters × trials): as `compare`'s cap, hours of work.
/// Trials when `--trials` is not given.
const DEFAULT_TRIALS: usize = 10;
/// The watchdog's seconds when `--watchdog` is not given.
const DEFAULT_WATCHDOG: f64 = 2.0;

#[derive(Args, Debug, Default)]
pub struct RunArgs {
    #[command(flatten)]
    pub common: Common,
    /// Trials to run [default: 10].
    #[arg(long, short = 'k')]
    pub trials: Option<usize>,
    /// Run on these CPUs only, e.g. `0` (one CPU: concurrency without parallelism) or `0,1`.
    #[arg(long)]
    pub pin: Option<String>,
    /// Seconds without progress after which a trial is declared deadlocked (experiments
    /// that can deadlock) [default: 2].
    #[arg(long)]
    pub watchdog: Option<f64>,
    /// Child processes (process experiments).
    #[arg(long)]
    pub procs: Option<usize>,
    /// How processes increment the shared counter (`process-shm`).
    #[arg(long, value_enum, ignore_case = true)]
    pub sync: Option<crate::procs::ShmSync>,
    /// Workers in each pool (`pool-submit`).
    #[arg(long)]
    pub pool: Option<usize>,
    /// Tasks to submit or spawn (`pool-submit`, `spawn-cost`).
    #[arg(long)]
    pub tasks: Option<usize>,
}

impl RunArgs {
    /// The command line that clap parses back into these arguments: `run` in a child
    /// process of the lab (`report`'s run of a lesson whose threads may spin forever).
    pub(crate) fn command_line(&self) -> Vec<String> {
        fn name<E: clap::ValueEnum>(e: &E) -> Option<String> {
            e.to_possible_value().map(|v| v.get_name().to_string())
        }
        let c = &self.common;
        let mut line = vec!["run".to_string(), c.experiment.clone()];
        let mut flag = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                line.extend([k.to_string(), v]);
            }
        };
        flag("--threads", c.threads.map(|n| n.to_string()));
        flag("--iters", c.iters.map(|n| n.to_string()));
        flag("--ordering", c.ordering.as_ref().and_then(name));
        flag("--window", c.window.map(|n| n.to_string()));
        flag("--batch", c.batch.map(|n| n.to_string()));
        flag("--trials", self.trials.map(|n| n.to_string()));
        flag("--pin", self.pin.clone());
        flag("--watchdog", self.watchdog.map(|s| s.to_string()));
        flag("--procs", self.procs.map(|n| n.to_string()));
        flag("--sync", self.sync.as_ref().and_then(name));
        flag("--pool", self.pool.map(|n| n.to_string()));
        flag("--tasks", self.tasks.map(|n| n.to_string()));
        if c.json {
            line.push("--json".into());
        }
        line
    }
}

/// Validates a run of a thread experiment.
pub fn config(a: &RunArgs) -> Result<RunConfig> {
    let exp = validate::experiment(&a.common.experiment)?;
    validate::refuse_options(
        exp.name,
        &validate::flags_of(exp),
        &[
            ("--procs", a.procs.is_some()),
            ("--sync", a.sync.is_some()),
            ("--pool", a.pool.is_some()),
            ("--tasks", a.tasks.is_some()),
        ],
    )?;
    let limits = Limits {
        default_threads: exp.default_threads,
        default_iters: exp.default_iters,
        max_threads: MAX_THREADS,
        max_iters: MAX_ITERS,
    };
    let p = validate::params(&a.common, exp, &limits)?;
    let trials = a.trials.unwrap_or(DEFAULT_TRIALS);
    validate::within(
        trials,
        1,
        MAX_TRIALS,
        format!("--trials must be between 1 and {MAX_TRIALS}"),
    )?;
    let work = p.threads as u128 * p.iters as u128 * trials as u128;
    // An increment costs about 25 ns under contention (an atomic; a mutex up to 100 ns).
    validate::work(
        work as f64 * 25e-9,
        &format!("{work} increments in all (threads × iters × trials)"),
        "--iters, --trials or --threads",
    )?;
    if a.watchdog.is_some() && !exp.can_hang() {
        return Err(LabError::usage(format!(
            "--watchdog does not apply to {} (it cannot hang; the watchdog watches for a hang)",
            exp.name
        )));
    }
    let watchdog = a.watchdog.unwrap_or(DEFAULT_WATCHDOG);
    validate::seconds(
        watchdog,
        3600.0,
        "--watchdog must be more than 0 and at most 3600 seconds",
    )?;
    let pin = a.pin.as_deref().map(machine::parse_cpus).transpose()?;
    Ok(RunConfig {
        exp,
        params: p,
        trials,
        pin,
        watchdog: Duration::from_secs_f64(watchdog),
        progress: !a.common.json && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        cancel: crate::machine::Cancel::ctrl_c(),
    })
}

/// Runs the experiment and prints its report.
pub fn execute(a: &RunArgs, out: &mut dyn Write) -> Result<Exit> {
    if let Some(exp) = validate::find_process(&a.common.experiment) {
        return execute_process(exp, a, out);
    }
    let (cfg, r) = measure(a)?;
    if a.common.json {
        report::run::document(&r).write(out)?;
    } else {
        report::run::text(out, &r)?;
    }
    if r.forbidden {
        return Ok(Exit::Failed(format!(
            "FORBIDDEN outcome: {} must always count exactly {}, and did not. This is a bug.",
            cfg.exp.name, r.expected
        )));
    }
    Ok(Exit::ok_unless_interrupted(r.interrupted))
}

/// Runs the thread experiment: what it was asked, and what it measured.
fn measure(a: &RunArgs) -> Result<(RunConfig, harness::RunReport)> {
    let cfg = config(a)?;
    let shared = std::sync::Arc::new(std::sync::Mutex::new(harness::Finished::default()));
    watch_for_ctrlc(&cfg, a.common.json, shared.clone());
    let r = harness::run_shared(&cfg, &shared)?;
    Ok((cfg, r))
}

/// `run`'s JSON document of a thread experiment (what `--json` prints), for a command that
/// keeps it (`report`).
pub(crate) fn evidence(a: &RunArgs) -> Result<serde_json::Value> {
    Ok(report::run::document(&measure(a)?.1).value())
}

/// On Ctrl-C, prints the report of the trials finished so far and exits 130 at once: the
/// trial in flight is abandoned (its workers end with the process), so the kernels' timed
/// loops need no checks.
fn watch_for_ctrlc(
    cfg: &RunConfig,
    json: bool,
    shared: std::sync::Arc<std::sync::Mutex<harness::Finished>>,
) {
    if machine::is_embedded() {
        return; // the embedding command reports
    }
    let cancel = crate::machine::Cancel::ctrl_c();
    let cfg = cfg.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(20));
        if !cancel.requested() {
            continue;
        }
        let f = shared.lock().unwrap_or_else(|e| e.into_inner());
        if f.done {
            return; // the run ended and reports itself
        }
        let r = harness::report(&cfg, f.trials.clone(), false, true, None);
        let mut buf = Vec::new();
        let _ = if json {
            report::run::document(&r).write(&mut buf)
        } else {
            report::run::text(&mut buf, &r)
        };
        machine::write_stdout_unlocked(&buf);
        std::process::exit(crate::error::ErrorKind::Interrupted.exit_code());
    });
}

/// Validates a run of a process experiment.
pub fn process_config(exp: &ProcExperiment, a: &RunArgs) -> Result<ProcParams> {
    let c = &a.common;
    let thread_only = [
        ("--threads", c.threads.is_some()),
        ("--ordering", c.ordering.is_some()),
        ("--window", c.window.is_some()),
        ("--batch", c.batch.is_some()),
        ("--pin", a.pin.is_some()),
        ("--watchdog", a.watchdog.is_some()),
    ];
    if let Some((flag, _)) = thread_only.iter().find(|(_, g)| *g) {
        return Err(LabError::usage(format!(
            "{flag} does not apply to {} (a process experiment)",
            exp.name
        )));
    }
    validate::refuse_options(
        exp.name,
        &exp.options.iter().map(|o| o.flag()).collect::<Vec<_>>(),
        &[
            (POpt::Procs.flag(), a.procs.is_some()),
            (POpt::Iters.flag(), c.iters.is_some()),
            (POpt::Sync.flag(), a.sync.is_some()),
            (POpt::Pool.flag(), a.pool.is_some()),
            (POpt::Tasks.flag(), a.tasks.is_some()),
            (POpt::Trials.flag(), a.trials.is_some()),
        ],
    )?;
    let d = ProcParams::default();
    let p = ProcParams {
        procs: a.procs.unwrap_or(d.procs),
        iters: c.iters.unwrap_or(d.iters),
        trials: if exp.takes(POpt::Trials) {
            a.trials.unwrap_or(DEFAULT_TRIALS)
        } else {
            1
        },
        sync: a.sync.unwrap_or(d.sync),
        pool: a.pool.unwrap_or(d.pool),
        tasks: a.tasks.unwrap_or(d.tasks),
        cancel: crate::machine::Cancel::ctrl_c(),
    };
    check_procs(p.procs, "--procs")?;
    check_procs(p.pool, "--pool")?;
    validate::within(
        p.iters,
        1,
        1_000_000_000,
        "--iters must be between 1 and 1000000000 for process experiments",
    )?;
    if (p.procs as u64).checked_mul(p.iters).is_none() {
        return Err(LabError::usage(
            "--procs × --iters overflows a 64-bit counter",
        ));
    }
    validate::within(p.tasks, 1, 10_000, "--tasks must be between 1 and 10000")?;
    validate::within(
        p.trials,
        1,
        10_000,
        "--trials must be between 1 and 10000 for process experiments",
    )?;
    Ok(p)
}

/// `race-lab run` of a process experiment.
fn execute_process(exp: &'static ProcExperiment, a: &RunArgs, out: &mut dyn Write) -> Result<Exit> {
    let cancel = crate::machine::Cancel::ctrl_c();
    let p = process_config(exp, a)?;
    let meter = machine::CpuMeter::start();
    let flag = std::sync::Arc::new(std::sync::Mutex::new(false));
    machine::stop_after_grace(
        cancel.clone(),
        flag.clone(),
        Duration::from_millis(700),
        if a.common.json {
            String::new() // no half a JSON document
        } else {
            format!(
                "{}: interrupted before its measurement finished; nothing complete to show\n",
                exp.name
            )
        },
    );
    let mut ev = (exp.run)(&p)?;
    machine::reporting(&flag);
    // Read once: the report and the exit status say the same thing.
    let interrupted = cancel.requested();
    if interrupted && !ev.verdict.contains("interrupted") {
        // The workers had finished when Ctrl-C came (a process that is only reading the
        // last messages): every figure is complete, and the run still ends as interrupted.
        ev.verdict = format!(
            "{} (interrupted by Ctrl-C as it ended: the figures are complete)",
            ev.verdict
        );
    }
    ev.warnings.extend(machine::busy_warning(meter.others()));
    if a.common.json {
        report::run::evidence_json(out, &ev, &p, interrupted)?;
    } else {
        report::run::evidence(out, &ev)?;
    }
    if !ev.ok {
        return Ok(Exit::Failed(format!(
            "{} found an outcome that must never happen; this is a bug",
            exp.name
        )));
    }
    Ok(Exit::ok_unless_interrupted(interrupted))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::{Cli, Command};
    use clap::Parser;

    /// What `report` hands a child process parses back into the arguments it was made from,
    /// every option set and none.
    #[test]
    fn the_command_line_parses_back_into_the_arguments() {
        let full = RunArgs {
            common: Common {
                threads: Some(3),
                iters: Some(20_000),
                ordering: Some(crate::rt::MemOrder::Relaxed),
                window: Some(5),
                batch: Some(64),
                json: true,
                ..Common::of("spin-plain")
            },
            trials: Some(3),
            pin: Some("0,1".into()),
            watchdog: Some(0.1),
            procs: Some(2),
            sync: Some(crate::procs::ShmSync::None),
            pool: Some(4),
            tasks: Some(9),
        };
        let bare = RunArgs {
            common: Common::of("unsynced"),
            ..RunArgs::default()
        };
        for args in [full, bare] {
            let line = std::iter::once("race-lab".to_string()).chain(args.command_line());
            match Cli::try_parse_from(line).map(|c| c.command) {
                Ok(Command::Run(back)) => assert_eq!(format!("{back:?}"), format!("{args:?}")),
                other => panic!("{:?} parsed as {other:?}", args.command_line()),
            }
        }
    }
}
