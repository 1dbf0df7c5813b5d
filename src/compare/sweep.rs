//! The sweep of `race-lab compare`: every experiment at every thread count, K rounds.
//!
//! Trials are interleaved (round 1 of every cell, then round 2, …) so that a burst of load
//! from another process skews one round of everything rather than every trial of one cell.

use super::baselines::{Baseline, BASELINES};
use super::{CompareConfig, CompareReport, Row, Variant, SCHEMA};
use crate::experiment::Grade;
use crate::harness::median;
use crate::machine;
use std::time::{Duration, Instant};

/// The trials of one cell.
#[derive(Clone, Default)]
struct Samples {
    ns: Vec<f64>,
    lost: Vec<u64>,
    expected: u64,
}

impl Samples {
    fn push(&mut self, value: u64, expected: u64, elapsed: Duration) {
        self.expected = expected;
        self.lost.push(expected.saturating_sub(value));
        if expected > 0 {
            self.ns.push(elapsed.as_nanos() as f64 / expected as f64);
        }
    }
    fn ns(&self) -> Option<f64> {
        median(&self.ns)
    }
    fn lost_pct(&self) -> Option<f64> {
        let pct: Vec<f64> = self
            .lost
            .iter()
            .map(|&l| 100.0 * l as f64 / self.expected.max(1) as f64)
            .collect();
        median(&pct)
    }
}

/// Runs the comparison.
pub fn run(cfg: &CompareConfig) -> CompareReport {
    let started = Instant::now();
    let cells = cfg.variants.len() * cfg.threads.len();
    let bar = machine::progress_bar(
        cfg.progress,
        (cfg.trials * (cells + BASELINES.len())) as u64,
        "{pos}/{len}",
    );
    let meter = machine::CpuMeter::start();
    let mut base = vec![Samples::default(); BASELINES.len()];
    let mut samples = vec![Samples::default(); cells];
    // Each trial's whole outcome: the experiment's own judge grades it.
    let mut values: Vec<Vec<crate::experiment::Outcome>> = vec![Vec::new(); cells];
    let mut interrupted = false;
    'rounds: for round in 0..cfg.trials {
        for (b, s) in BASELINES.iter().zip(base.iter_mut()) {
            if cfg.cancel.requested() {
                interrupted = true;
                break 'rounds;
            }
            bar.set_message(format!("trial {}: {}", round + 1, b.name()));
            let (value, expected, elapsed) = b.measure(cfg.iters);
            s.push(value, expected, elapsed);
            bar.inc(1);
        }
        for (vi, v) in cfg.variants.iter().enumerate() {
            for (ti, &t) in cfg.threads.iter().enumerate() {
                if cfg.cancel.requested() {
                    interrupted = true;
                    break 'rounds;
                }
                bar.set_message(format!("trial {}: {} × {t} threads", round + 1, v.label()));
                let p = v.params(t, cfg.iters);
                let run = (v.exp.kernels.native)(&p);
                let cell = vi * cfg.threads.len() + ti;
                samples[cell].push(run.value(), p.expected(), run.elapsed.unwrap_or_default());
                values[cell].push(run.outcome.clone());
                bar.inc(1);
            }
        }
    }
    bar.finish_and_clear();
    let others = meter.others();

    let hw = |b: Baseline| base[b as usize].ns();
    let (unc, con, pp) = (
        hw(Baseline::Uncontended),
        hw(Baseline::Contended),
        hw(Baseline::PingPong),
    );
    let ratio = |ns: Option<f64>, threads: usize| -> (Option<f64>, Option<f64>) {
        let fa = if threads == 1 { unc } else { con };
        (
            ns.zip(fa).map(|(a, b)| a / b),
            ns.zip(pp).map(|(a, b)| a / b),
        )
    };
    let make = |kind: &str,
                name: String,
                v: Option<&Variant>,
                threads: usize,
                iters: u64,
                s: &Samples,
                one: Option<f64>| {
        let ns = s.ns();
        let (x_fetch_add, x_ping_pong) = ratio(ns, threads);
        Row {
            kind: kind.to_string(),
            name,
            experiment: v.map(|v| v.exp.name.to_string()),
            batch: v.and_then(|v| v.batch),
            class: v.map(|v| v.exp.class.name()).unwrap_or("hardware").into(),
            threads,
            iters,
            trials: s.lost.len(),
            ns_per_increment: ns,
            m_increments_per_s: ns.filter(|&n| n > 0.0).map(|n| 1e3 / n),
            lost_pct: s.lost_pct(),
            speedup: one.zip(ns).filter(|&(_, n)| n > 0.0).map(|(a, b)| a / b),
            x_fetch_add,
            x_ping_pong,
        }
    };
    let baselines: Vec<Row> = BASELINES
        .iter()
        .map(|&b| {
            // The contended fetch_add's speed-up is over the uncontended one: the same
            // instruction, one thread vs two.
            let one = match b {
                Baseline::Uncontended | Baseline::Contended => unc,
                Baseline::PingPong => None,
            };
            make(
                "baseline",
                b.name().to_string(),
                None,
                b.threads(),
                b.iters(cfg.iters),
                &base[b as usize],
                one,
            )
        })
        .filter(|r| r.trials > 0)
        .collect();
    let mut rows = Vec::new();
    let mut forbidden = Vec::new();
    for (vi, v) in cfg.variants.iter().enumerate() {
        let cell = |ti: usize| vi * cfg.threads.len() + ti;
        let one = cfg
            .threads
            .iter()
            .position(|&t| t == 1)
            .and_then(|ti| samples[cell(ti)].ns());
        for (ti, &t) in cfg.threads.iter().enumerate() {
            let s = &samples[cell(ti)];
            if s.lost.is_empty() {
                continue; // interrupted before this cell ran
            }
            // The experiment's own grading decides what must never happen.
            let p = v.params(t, cfg.iters);
            for value in values[cell(ti)]
                .iter()
                .filter(|x| v.exp.grade(&p, Some(x)).0 == Grade::Forbidden)
            {
                forbidden.push(format!(
                    "{} at {t} threads counted {value} (expected {})",
                    v.label(),
                    s.expected
                ));
            }
            rows.push(make("experiment", v.label(), Some(v), t, cfg.iters, s, one));
        }
    }
    let mut warnings: Vec<String> = machine::busy_warning(others).into_iter().collect();
    let cpus = machine::cpus();
    if cpus < 2 {
        warnings.push(format!(
            "only {cpus} CPU: threads take turns instead of running in parallel, and the ping-pong measures context switches, not a cache line"
        ));
    }
    if interrupted {
        warnings.push("interrupted: the table holds the trials measured so far".to_string());
    }
    CompareReport {
        schema: SCHEMA.to_string(),
        cpus,
        threads: cfg.threads.clone(),
        iters: cfg.iters,
        trials_requested: cfg.trials,
        interrupted,
        seconds: started.elapsed().as_secs_f64(),
        baselines,
        rows,
        other_cpu_use: others,
        warnings,
        forbidden,
        plot: cfg.plot.as_ref().map(|p| p.display().to_string()),
    }
}
