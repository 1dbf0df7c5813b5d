//! `race-lab replay`: one interleaving, chosen by a schedule, run by the scheduled world and
//! printed as a timeline — or, with `--step`, one operation at a time with the shared state.

use super::validate::{self, Limits};
use super::{Common, Exit};
use crate::error::Result;
use crate::experiment::{Experiment, Params};
use crate::hunt;
use crate::report;
use crate::schedule;
use clap::Args;
use std::io::Write;

/// `replay --help`'s closing: schedules, then examples.
pub const REPLAY_HELP: &str = "Schedule: the worker to run at each decision point (a moment when two or more workers could go next), \
as indices separated by commas or spaces; TxK repeats worker T K times: `1,1,0,0` = `1x2 0x2`. \
When the schedule runs out, the worker that ran last keeps running.

Examples:
  race-lab replay racy-atomic --schedule 0,1
  race-lab replay racy-atomic --threads 3 --iters 2 --schedule '1x2 0 2' --step
  race-lab replay deadlock --schedule 0,1 --json";

/// `hunt --help`'s closing: schedules, then examples.
pub const HUNT_HELP: &str = "Schedule: the worker to run at each decision point (a moment when two or more workers could go next), \
as indices separated by commas or spaces; TxK repeats worker T K times: `1,1,0,0` = `1x2 0x2`. \
When the schedule runs out, the worker that ran last keeps running.

Examples:
  race-lab hunt racy-atomic --threads 4 --iters 10
  race-lab hunt unsynced --strategy pct --depth 2 --seed 7
  race-lab hunt deadlock --json";

#[derive(Args, Debug)]
pub struct ReplayArgs {
    #[command(flatten)]
    pub common: Common,
    /// The schedule to run (see below).
    #[arg(long, short = 's', allow_hyphen_values = true)]
    pub schedule: String,
    /// Step through the interleaving one operation at a time, with the shared state after
    /// each (on a terminal, Enter shows the next step and q stops; without one, the steps
    /// the timeline shows, every one with --full).
    #[arg(long)]
    pub step: bool,
    /// Print every step of a long timeline (by default a run longer than a screenful shows
    /// its first and last steps and the window where it went wrong).
    #[arg(long)]
    pub full: bool,
}

/// A validated replay.
pub struct ReplayConfig {
    pub exp: &'static Experiment,
    pub params: Params,
    pub schedule: Vec<usize>,
}

/// Validates a replay: the experiment, its parameters, and the schedule against them.
pub fn config(a: &ReplayArgs) -> Result<ReplayConfig> {
    if a.step && a.common.json {
        return Err(crate::error::LabError::usage(
            "--step and --json cannot be used together: --step prints one operation at a time as text",
        ));
    }
    let exp = validate::experiment(&a.common.experiment)?;
    let limits = Limits {
        default_threads: 2,
        default_iters: 1,
        max_threads: hunt::SCHEDULED_MAX_WORKERS,
        max_iters: hunt::MAX_ITERS,
    };
    let params = validate::params(&a.common, exp, &limits)?;
    let schedule = schedule::parse(&a.schedule, params.threads)?;
    Ok(ReplayConfig {
        exp,
        params,
        schedule,
    })
}

/// Replays the schedule and prints the interleaving.
pub fn execute(a: &ReplayArgs, out: &mut dyn Write) -> Result<Exit> {
    let meter = crate::machine::CpuMeter::start();
    let r = measure(a)?;
    if a.common.json {
        report::hunt::replay_document(&r, crate::machine::busy_warnings(&meter)).write(out)?;
    } else if a.step {
        report::hunt::step(out, &r, &mut pause_on_terminal())?;
    } else {
        report::hunt::replay(out, &r)?;
    }
    Ok(Exit::ok_unless_interrupted(
        crate::machine::Cancel::ctrl_c().requested(),
    ))
}

/// `replay --json`'s document (what it prints), for a command that keeps it (`report`).
pub(crate) fn evidence(a: &ReplayArgs) -> Result<serde_json::Value> {
    let meter = crate::machine::CpuMeter::start();
    let r = measure(a)?;
    Ok(report::hunt::replay_document(&r, crate::machine::busy_warnings(&meter)).value())
}

/// The run `a` asks for, recorded.
fn measure(a: &ReplayArgs) -> Result<hunt::ReplayReport> {
    let cancel = crate::machine::Cancel::ctrl_c();
    let cfg = config(a)?;
    let flag = std::sync::Arc::new(std::sync::Mutex::new(false));
    crate::machine::stop_after_grace(
        cancel.clone(),
        flag.clone(),
        std::time::Duration::from_millis(300),
        if a.common.json {
            String::new() // no half a JSON document
        } else {
            format!(
            "{}: {} threads × {} increments, schedule \"{}\": interrupted before the run finished; no timeline to show\n",
            cfg.exp.name,
            cfg.params.threads,
            cfg.params.iters,
            schedule::format_runs(&cfg.schedule)
        )
        },
    );
    // `--step` shows every step to a person at a terminal; without one it prints the summary
    // the timeline shows (a run longer than a screenful in full only with `--full`), so that
    // a long run cannot fill a pipe or a disk with gigabytes.
    let every = a.full || (a.step && interactive());
    let r = hunt::replay_with(cfg.exp, &cfg.params, &cfg.schedule, every);
    crate::machine::reporting(&flag);
    Ok(r)
}

/// Whether a person can step through the run: stdin and stdout are a terminal.
fn interactive() -> bool {
    std::io::IsTerminal::is_terminal(&std::io::stdin())
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
}

/// Between steps: on a terminal, wait for Enter (`q` or the end of input stops); elsewhere
/// go straight on.
fn pause_on_terminal() -> impl FnMut(&mut dyn Write) -> std::io::Result<bool> {
    let interactive = interactive();
    move |w: &mut dyn Write| {
        if !interactive {
            return Ok(true);
        }
        write!(w, "          [Enter: next step, q: stop] ")?;
        w.flush()?;
        let mut line = String::new();
        let more = std::io::stdin().read_line(&mut line)? > 0 && line.trim() != "q";
        if !more {
            writeln!(w)?;
        }
        Ok(more)
    }
}
