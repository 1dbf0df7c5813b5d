//! `race-lab litmus`: memory-model litmus tests (SB, MP, LB) — outcome counts on this CPU
//! and the outcomes loom allows. An outcome the chosen ordering forbids, seen on this CPU,
//! prints the report and exits 1.

use super::{validate, Exit};
use crate::error::{LabError, Result};
use crate::experiments;
use crate::litmus::{self, Litmus};
use crate::machine;
use crate::report;
use crate::rt::MemOrder;
use clap::Args;
use std::io::Write;

#[derive(Args, Debug)]
pub struct LitmusArgs {
    /// Tests to run (default: all): SB, MP, LB.
    pub tests: Vec<String>,
    /// Memory ordering of the accesses.
    #[arg(long, value_enum, default_value_t = MemOrder::Relaxed)]
    pub ordering: MemOrder,
    /// Iterations on real threads.
    #[arg(long, short = 'i', default_value_t = 1_000_000)]
    pub iters: u64,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Validated litmus runs.
pub struct LitmusConfig {
    pub tests: Vec<&'static Litmus>,
    pub ordering: MemOrder,
    pub iters: u64,
}

/// Validates the tests' names and the iterations.
pub fn config(a: &LitmusArgs) -> Result<LitmusConfig> {
    let tests: Vec<&'static Litmus> = if a.tests.is_empty() {
        experiments::LITMUS.to_vec()
    } else {
        a.tests
            .iter()
            .map(|t| {
                experiments::find_litmus(t).ok_or_else(|| {
                    LabError::usage(format!(
                        "unknown litmus test '{t}': the tests are SB, MP, LB"
                    ))
                })
            })
            .collect::<Result<_>>()?
    };
    // Every iteration has its own pair of variables and results: 32 bytes each.
    validate::within(
        a.iters,
        1,
        litmus::MAX_ITERS,
        format!(
            "--iters must be between 1 and {} for litmus tests",
            litmus::MAX_ITERS
        ),
    )?;
    Ok(LitmusConfig {
        tests,
        ordering: a.ordering,
        iters: a.iters,
    })
}

/// Runs the tests and prints their tables.
pub fn execute(a: &LitmusArgs, out: &mut dyn Write) -> Result<Exit> {
    let cfg = config(a)?;
    let meter = machine::CpuMeter::start();
    let mut reports = Vec::new();
    for t in &cfg.tests {
        if machine::interrupted() {
            break;
        }
        reports.push(litmus::run(t, cfg.iters, cfg.ordering)?);
    }
    if a.json {
        let params = serde_json::json!({
            "tests": cfg.tests.iter().map(|t| t.name).collect::<Vec<_>>(),
            "ordering": cfg.ordering.name(),
            "iters": cfg.iters,
        });
        let warnings = machine::busy_warning(meter.others()).into_iter().collect();
        report::litmus::json(out, &reports, params, warnings, machine::interrupted())?;
    } else {
        report::litmus::text(out, &reports)?;
    }
    let forbidden: Vec<&str> = reports
        .iter()
        .filter(|r| r.forbidden_seen)
        .map(|r| r.test)
        .collect();
    if !forbidden.is_empty() {
        return Ok(Exit::Failed(format!(
            "FORBIDDEN outcome: {} showed an outcome that ordering {} forbids. This is a bug.",
            forbidden.join(", "),
            cfg.ordering.name()
        )));
    }
    Ok(Exit::ok_unless_interrupted(machine::interrupted()))
}
