//! `race-lab litmus`: memory-model litmus tests (SB, MP, LB, IRIW, 2+2W, WRC, CoRR, S) —
//! per ordering, what the C11 model allows, how often this CPU shows it, and whether loom
//! explores it. An outcome the chosen ordering forbids, seen on this CPU, prints the report
//! and exits 1.

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
    /// Tests to run (default: all): SB, MP, LB, IRIW, 2+2W, WRC, CoRR, S.
    pub tests: Vec<String>,
    /// Memory ordering of the accesses (default: each of relaxed, acqrel, seqcst).
    #[arg(long, value_enum, ignore_case = true)]
    pub ordering: Option<MemOrder>,
    /// Iterations on real threads (default: 1000000; 20000 for a test with more actors
    /// than this machine has cores, where iterations are slow and rarely overlap).
    #[arg(long, short = 'i')]
    pub iters: Option<u64>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The default iterations of a test with `actors` threads on `cores` cores.
pub fn default_iters(actors: usize, cores: usize) -> u64 {
    if actors > cores {
        20_000
    } else {
        1_000_000
    }
}

/// Validated litmus runs.
pub struct LitmusConfig {
    pub tests: Vec<&'static Litmus>,
    pub orderings: Vec<MemOrder>,
    /// `None`: each test's default ([`default_iters`]).
    pub iters: Option<u64>,
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
                    let names: Vec<&str> = experiments::LITMUS.iter().map(|t| t.name).collect();
                    LabError::usage(format!(
                        "unknown litmus test '{t}': the tests are {}",
                        names.join(", ")
                    ))
                })
            })
            .collect::<Result<Vec<&'static Litmus>>>()
            .map(|tests| validate::once(tests, |t| t.name))?
    };
    if let Some(iters) = a.iters {
        // Every iteration has its own variables and results: at most 32 bytes each.
        validate::within(
            iters,
            1,
            litmus::MAX_ITERS,
            format!(
                "--iters must be between 1 and {} for litmus tests",
                litmus::MAX_ITERS
            ),
        )?;
    }
    let orderings = match a.ordering {
        Some(o) => vec![o],
        None => vec![MemOrder::Relaxed, MemOrder::Acqrel, MemOrder::Seqcst],
    };
    // An iteration costs a few microseconds while every actor has a CPU, and about 120 when
    // they take turns (IRIW's four actors on two CPUs).
    let cores = machine::cpus();
    let cost: f64 = tests
        .iter()
        .map(|t| {
            let actors = (t.shape)().actors;
            let iters = a.iters.unwrap_or_else(|| default_iters(actors, cores)) as f64;
            let each = if actors > cores { 120e-6 } else { 3e-6 };
            iters * each * orderings.len() as f64
        })
        .sum();
    validate::work(
        cost,
        &format!("that many iterations on {cores} CPUs"),
        "--iters (or name fewer tests, or one --ordering)",
    )?;
    Ok(LitmusConfig {
        tests,
        orderings,
        iters: a.iters,
    })
}

/// Runs the tests and prints their tables.
pub fn execute(a: &LitmusArgs, out: &mut dyn Write) -> Result<Exit> {
    let cancel = crate::machine::Cancel::ctrl_c();
    let cfg = config(a)?;
    let meter = machine::CpuMeter::start();
    let cores = machine::cpus();
    let mut reports = Vec::new();
    'all: for t in &cfg.tests {
        let iters = cfg
            .iters
            .unwrap_or_else(|| default_iters((t.shape)().actors, cores));
        for &o in &cfg.orderings {
            if cancel.requested() {
                break 'all;
            }
            reports.push(litmus::run(t, iters, o, &cancel)?);
        }
    }
    if a.json {
        let params = serde_json::json!({
            "tests": cfg.tests.iter().map(|t| t.name).collect::<Vec<_>>(),
            "orderings": cfg.orderings.iter().map(|o| o.name()).collect::<Vec<_>>(),
            "iters": cfg.iters,
        });
        let warnings = machine::busy_warning(meter.others()).into_iter().collect();
        report::litmus::json(out, &reports, params, warnings, cancel.requested())?;
    } else {
        report::litmus::text(out, &reports)?;
        if cancel.requested() {
            writeln!(
                out,
                "interrupted: {} of {} test runs finished",
                reports.len(),
                cfg.tests.len() * cfg.orderings.len()
            )?;
        }
    }
    let forbidden: Vec<String> = reports
        .iter()
        .filter(|r| r.forbidden_seen)
        .map(|r| format!("{} ({})", r.test, r.ordering.name()))
        .collect();
    if !forbidden.is_empty() {
        return Ok(Exit::Failed(format!(
            "FORBIDDEN outcome: {} showed an outcome that its ordering forbids. This is a bug.",
            forbidden.join(", "),
        )));
    }
    Ok(Exit::ok_unless_interrupted(cancel.requested()))
}

/// `__litmus-loom`, the child of [`litmus::explore_in_child`]: one test under one ordering,
/// explored by loom, its outcomes and their executions printed as JSON for the parent.
pub fn execute_child(a: &LitmusArgs, out: &mut dyn Write) -> Result<Exit> {
    // Die with the parent: an exploration nobody waits for is wasted.
    let _ = nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL);
    let cfg = config(a)?;
    let (&[test], &[ordering]) = (&cfg.tests[..], &cfg.orderings[..]) else {
        return Err(LabError::usage(
            "__litmus-loom explores one test under one --ordering",
        ));
    };
    let seen: Vec<_> = litmus::explore(test, ordering)?.into_iter().collect();
    report::json(out, &seen)?;
    Ok(Exit::Ok)
}
