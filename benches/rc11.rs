//! The rc11 world against loom, side by side in one run: for every experiment the rc11
//! world covers, at its proof size, loom's executions and time beside the rc11 world's
//! execution graphs and time, and each one's verdict. loom runs with a budget of 200,000
//! executions (it cannot finish some of these: a cut-short search says INCOMPLETE).
//! `cargo bench --bench rc11`.

use race_lab::experiment::Params;
use race_lab::explore::{explore, ExploreConfig, ExploreReport, World};
use std::time::Instant;

fn run(
    exp: &'static race_lab::experiment::Experiment,
    world: World,
    budget: Option<u64>,
) -> Option<(ExploreReport, f64)> {
    let cfg = ExploreConfig {
        max_seconds: 120.0,
        max_seconds_given: true,
        max_executions: budget,
        ..ExploreConfig::new(exp, Params::new(exp.proof.threads, exp.proof.iters), world)
    };
    let started = Instant::now();
    // A refusal (the rc11 world does not cover the experiment) is an error.
    let r = explore(&cfg).ok()?;
    Some((r, started.elapsed().as_secs_f64()))
}

fn verdict(r: &ExploreReport) -> String {
    if r.race.is_some() {
        return "DATA RACE".to_string();
    }
    let failing = if r.deadlock.is_some() {
        "LIVELOCK"
    } else if r.failing_executions > 0 || r.forbidden {
        "fails"
    } else {
        "holds"
    };
    if r.complete {
        failing.to_string()
    } else {
        format!("{failing}, INCOMPLETE")
    }
}

fn main() {
    println!(
        "{:<18} {:>5}  {:>10} {:>9} {:<18}  {:>8} {:>8} {:<10}  {:>8}",
        "experiment", "size", "loom execs", "loom s", "loom", "rc11", "rc11 s", "rc11", "speed-up"
    );
    let _quiet = race_lab::error::QuietPanics::install();
    for exp in race_lab::experiments::all() {
        let Some((rc, rc_s)) = run(exp, World::Rc11, None) else {
            continue;
        };
        let Some((lm, lm_s)) = run(exp, World::Loom, Some(200_000)) else {
            continue;
        };
        println!(
            "{:<18} {:>2}x{:<2}  {:>10} {:>9.3} {:<18}  {:>8} {:>8.3} {:<10}  {:>7.0}x",
            exp.name,
            exp.proof.threads,
            exp.proof.iters,
            lm.executions,
            lm_s,
            verdict(&lm),
            rc.executions,
            rc_s,
            verdict(&rc),
            lm_s / rc_s.max(1e-6)
        );
    }
}
