//! `race-lab verify`: the CI entry point. Every promise of the catalogue checked — fixes
//! proved at their proof sizes, bugs found where they are declared to show, litmus tests'
//! loom answers against the cited model — one line each, a summary, and exit 1 if any check
//! failed. `--junit FILE.xml` writes the checks as JUnit XML for CI dashboards; `--json` the
//! envelope (`docs/schema/verify.schema.json`). Ctrl-C stops after the current check (exit
//! 130) with the checks done so far.

use super::{validate, Exit};
use crate::error::{LabError, Result};
use crate::experiment::Experiment;
use crate::experiments;
use crate::litmus::Litmus;
use crate::machine;
use crate::report;
use crate::verify::{self, Check, Planned, Status, Summary};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Experiments or litmus tests to verify (default: the whole catalogue).
    pub experiments: Vec<String>,
    /// Also write the checks as JUnit XML to this file.
    #[arg(long, value_name = "FILE.xml")]
    pub junit: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Checks run at once, each on its own thread (every check is a model checker's search or
    /// a schedule hunt: none measures timings, so none needs the machine to itself); the
    /// lines still print in plan order [default: the CPUs this process may use].
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
}

/// The most checks `verify` runs at once.
pub const MAX_JOBS: usize = 256;

/// What to verify.
pub struct VerifyConfig {
    pub experiments: Vec<&'static Experiment>,
    pub litmus: Vec<&'static Litmus>,
}

/// Validates the names (none: every thread experiment and every litmus test).
pub fn config(a: &VerifyArgs) -> Result<VerifyConfig> {
    if a.experiments.is_empty() {
        return Ok(VerifyConfig {
            experiments: experiments::all().collect(),
            litmus: experiments::LITMUS.to_vec(),
        });
    }
    let mut cfg = VerifyConfig {
        experiments: Vec::new(),
        litmus: Vec::new(),
    };
    // A name given twice is checked once.
    for name in &a.experiments {
        match experiments::find_litmus(name) {
            Some(t) if !cfg.litmus.iter().any(|x| std::ptr::eq(*x, t)) => cfg.litmus.push(t),
            Some(_) => {}
            None => {
                let e = validate::experiment(name)?;
                if !cfg.experiments.iter().any(|x| std::ptr::eq(*x, e)) {
                    cfg.experiments.push(e);
                }
            }
        }
    }
    cfg.experiments = validate::once(cfg.experiments, |e| e.name);
    cfg.litmus = validate::once(cfg.litmus, |t| t.name);
    Ok(cfg)
}

/// Whether explorations of `exp` can run in a child process of the lab: built-in experiments
/// from the `race-lab` binary (a program with its own catalogue explores in-process).
fn isolated(exp: Option<&Experiment>) -> bool {
    let builtin = exp.is_none_or(|e| experiments::BUILTIN.iter().any(|b| std::ptr::eq(*b, e)));
    let ours = std::env::current_exe().ok().is_some_and(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("race-lab"))
    });
    builtin && ours
}

/// Runs every check, prints them, writes the JUnit file.
pub fn execute(a: &VerifyArgs, out: &mut dyn Write) -> Result<Exit> {
    let cancel = crate::machine::Cancel::ctrl_c();
    let cfg = config(a)?;
    // The JUnit file is opened before any check runs: a path that cannot be written is
    // refused at once, not after the whole run.
    let cannot = |path: &std::path::Path, e: std::io::Error| {
        LabError::usage(format!("cannot write {}: {e}", path.display()))
    };
    let mut junit = match &a.junit {
        Some(path) => Some((
            path,
            std::fs::File::create(path).map_err(|e| cannot(path, e))?,
        )),
        None => None,
    };
    let jobs = a.jobs.unwrap_or_else(machine::cpus);
    validate::within(
        jobs,
        1,
        MAX_JOBS,
        format!("--jobs must be between 1 and {MAX_JOBS} (got {jobs})"),
    )?;
    let planned = verify::plan(&cfg.experiments, &cfg.litmus);
    let started = Instant::now();
    let visible = !a.json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let bar = machine::progress_bar(visible, planned.len() as u64, "check {pos}/{len}");
    let mut checks: Vec<Check> = Vec::new();
    let mut interrupted = false;
    let mut written: std::io::Result<()> = Ok(());
    let work = |p: &Planned| {
        let exp = match p {
            Planned::Experiment { exp, .. } => Some(*exp),
            Planned::Litmus { .. } => None,
        };
        let began = Instant::now();
        verify::run(p, isolated(exp), &cancel).map_err(|e| (e, began.elapsed().as_secs_f64()))
    };
    let complete = machine::in_parallel(&planned, jobs, &cancel, Planned::cost, work, |p, done| {
        let check = match done {
            // Cut short by Ctrl-C: what it says is not its verdict.
            _ if cancel.requested() => None,
            Ok(c) => Some(c),
            Err((e, _)) if e.is_interrupted() => None,
            Err((e, secs)) => Some(errored(p, e, secs)),
        };
        let Some(check) = check else {
            interrupted = true;
            return false;
        };
        if !a.json {
            written = bar.suspend(|| report::verify::line(out, &check));
        }
        checks.push(check);
        bar.set_message(p.name());
        bar.inc(1);
        written.is_ok()
    });
    written?;
    // Stopped before every check was handed over (a Ctrl-C while the longest checks, which
    // start first, ran: those before them in plan order never started).
    interrupted |= !complete;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let summary = Summary::of(&checks);
    if let Some((path, file)) = &mut junit {
        let xml = report::verify::junit(&checks, seconds)?;
        file.write_all(xml.as_bytes())
            .map_err(|e| cannot(path, e))?;
    }
    if a.json {
        report::verify::json(out, &a.experiments, &checks, &summary, seconds, interrupted)?;
    } else {
        report::verify::summary(out, &summary, planned.len(), seconds, interrupted)?;
    }
    if interrupted {
        return Ok(Exit::Interrupted(format!(
            "interrupted after {} of {} checks",
            checks.len(),
            planned.len()
        )));
    }
    if summary.failed > 0 {
        return Ok(Exit::Failed(format!(
            "verify: {} of {} checks failed",
            summary.failed, summary.checks
        )));
    }
    Ok(Exit::Ok)
}

/// A check that could not run counts as failed, with the engine's message.
fn errored(p: &Planned, e: LabError, seconds: f64) -> Check {
    let (subject, world) = match p {
        Planned::Experiment { exp, world, .. } => (exp.name.to_string(), world.name()),
        Planned::Litmus { test, world, .. } => (test.name.to_string(), world.name()),
    };
    Check {
        name: p.name(),
        kind: p.kind(),
        subject,
        world: world.into(),
        status: Status::Fail,
        detail: if e.message.is_empty() {
            format!("the check could not run ({:?})", e.kind)
        } else {
            format!("the check could not run: {}", e.message)
        },
        seconds,
    }
}
