//! `race-lab explore`: model-check an experiment with loom — every interleaving, outcome
//! counts, failing timelines. loom runs in a child process of the lab (the hidden
//! `__explore` command, also here), so that nothing loom does can take the lab down.
//!
//! A FORBIDDEN outcome (a fixed version that loses an update under some interleaving)
//! prints the report and exits 1.

use super::validate::{self, Limits};
use super::{Common, Exit};
use crate::error::Result;
use crate::experiment::Class;
use crate::explore::{self, ExploreConfig};
use crate::report;
use clap::Args;
use std::io::Write;

#[derive(Args, Debug)]
pub struct ExploreArgs {
    #[command(flatten)]
    pub common: Common,
    /// Explore only executions with at most P preemptions (loom's preemption bound).
    #[arg(long)]
    pub preemptions: Option<usize>,
    /// Stop (and say the exploration is incomplete) after this many seconds.
    #[arg(long, default_value_t = 60.0)]
    pub max_seconds: f64,
    /// How many failing executions to print as timelines (one per final value; the shortest
    /// first, then the worst).
    #[arg(long, default_value_t = 1)]
    pub show: usize,
}

/// Validates an exploration.
pub fn config(a: &ExploreArgs) -> Result<ExploreConfig> {
    let exp = validate::experiment(&a.common.experiment)?;
    let limits = Limits {
        default_threads: 2,
        default_iters: if exp.class == Class::Deadlock { 1 } else { 2 },
        max_threads: usize::MAX,
        max_iters: u64::MAX,
    };
    let p = validate::params(&a.common, exp, &limits)?;
    validate::seconds(
        a.max_seconds,
        86_400.0,
        "--max-seconds must be between 0 and 86400",
    )?;
    explore::check_config(exp, &p)?;
    Ok(ExploreConfig {
        exp,
        params: p,
        preemptions: a.preemptions,
        max_seconds: a.max_seconds,
        show: a.show,
    })
}

/// Explores in a child process and prints the report.
pub fn execute(a: &ExploreArgs, out: &mut dyn Write) -> Result<Exit> {
    let cfg = config(a)?;
    let meter = crate::machine::CpuMeter::start();
    let r = explore::explore_isolated(&cfg)?;
    if a.common.json {
        let warnings = crate::machine::busy_warning(meter.others());
        report::explore::json(out, &r, warnings.into_iter().collect())?;
    } else {
        report::explore::text(out, &r)?;
    }
    if r.forbidden {
        return Ok(Exit::Failed(format!(
            "FORBIDDEN outcome: loom found an execution of {} that must never happen. This is a bug.",
            cfg.exp.name
        )));
    }
    Ok(Exit::Ok)
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
