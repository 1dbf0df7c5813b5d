//! `race-lab compare`'s engine: what each fix costs and how it scales, read against the hardware.
//!
//! Every chosen experiment runs at every thread count through its own native kernel (the
//! loop `race-lab run` times, [`Kernels::native`](crate::experiment::Kernels)), K times, and
//! the table shows the median. Three baselines are measured in the same run, with raw std
//! atomics and no lab code in the timed loop: an uncontended `fetch_add` (one thread), a contended one (two
//! threads on one counter) and a cache line ping-ponging between two CPUs. Every figure is
//! also given as a multiple of them, so "12 ns" reads as "4× the cost of one `lock xadd`".
//!
//! This module holds the configuration and the report's types; `baselines.rs` measures the
//! hardware, `sweep.rs` the experiments. The command line is validated in
//! `commands::compare`; the table, CSV, JSON and plot are printed by `report::compare` and
//! `report::plot`.

mod baselines;
mod sweep;

pub use sweep::run;

use crate::experiment::{Experiment, Params};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The engine report's own tag; `compare --json` prints the envelope, `race-lab.compare/2`
/// (`report::envelope`, `docs/schema/compare.schema.json`).
pub const SCHEMA: &str = "race-lab.compare/1";
/// Thread counts measured when `--threads` is not given.
pub const DEFAULT_THREADS: &[usize] = &[1, 2, 4, 8];
/// Increments per thread when `--iters` is not given.
pub const DEFAULT_ITERS: u64 = 1_000_000;
/// Trials per cell when `--trials` is not given.
pub const DEFAULT_TRIALS: usize = 5;
/// `channel`'s batch sizes (one row each) when `--batch` is not given.
pub const DEFAULT_BATCHES: &[u64] = &[1, 1024];
/// The most threads in one cell.
pub const MAX_THREADS: usize = 256;
/// The most thread counts in one `--threads` list.
pub const MAX_THREAD_COUNTS: usize = 16;
/// The most trials per cell.
pub const MAX_TRIALS: usize = 1000;

/// One line of the comparison: an experiment, with `channel`'s batch size.
#[derive(Clone, Copy)]
pub struct Variant {
    pub exp: &'static Experiment,
    /// `Some` for experiments that take `--batch` (`channel`).
    pub batch: Option<u64>,
}

impl Variant {
    /// `channel --batch 1024`, or the experiment's name.
    pub fn label(&self) -> String {
        match self.batch {
            Some(b) if b > 1 => format!("{} --batch {b}", self.exp.name),
            _ => self.exp.name.to_string(),
        }
    }

    fn params(&self, threads: usize, iters: u64) -> Params {
        let mut p = Params::new(threads, iters);
        if let Some(b) = self.batch {
            p.batch = b;
        }
        p
    }
}

/// How the report is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Csv,
}

/// What `race-lab compare` was asked to do, validated.
pub struct CompareConfig {
    pub variants: Vec<Variant>,
    pub threads: Vec<usize>,
    pub iters: u64,
    pub trials: usize,
    pub format: Format,
    pub plot: Option<PathBuf>,
    pub progress: bool,
    /// Stops between trials; the table holds what was measured.
    pub cancel: crate::machine::Cancel,
}

/// One row of the table, the CSV and the JSON: a baseline or an experiment at one thread
/// count. Figures are medians over the trials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// `baseline` or `experiment`.
    pub kind: String,
    /// The experiment's label (`channel --batch 1024`) or the baseline's name.
    pub name: String,
    /// The experiment's name (`None` for a baseline).
    pub experiment: Option<String>,
    /// `channel`'s batch size (`None` for experiments without `--batch`).
    pub batch: Option<u64>,
    /// `data-race`, `logic-race`, `fixed`; `hardware` for a baseline.
    pub class: String,
    pub threads: usize,
    /// Increments per thread (handoffs per thread for the ping-pong).
    pub iters: u64,
    /// Trials measured.
    pub trials: usize,
    /// Wall time over N × M, all threads together (the median over trials).
    pub ns_per_increment: Option<f64>,
    /// Million increments per second, all threads together (1000 / ns per increment).
    pub m_increments_per_s: Option<f64>,
    /// Updates lost, as a percentage of N × M (the median over trials).
    pub lost_pct: Option<f64>,
    /// Throughput relative to the same row at one thread.
    pub speedup: Option<f64>,
    /// ns per increment over the hardware's `fetch_add` at the same contention (the
    /// uncontended baseline at one thread, the contended one at two or more).
    pub x_fetch_add: Option<f64>,
    /// ns per increment over one cache-line handoff between two CPUs (the ping-pong).
    pub x_ping_pong: Option<f64>,
}

/// Everything one `race-lab compare` measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CompareReport {
    pub schema: String,
    pub cpus: usize,
    pub threads: Vec<usize>,
    pub iters: u64,
    pub trials_requested: usize,
    pub interrupted: bool,
    /// Wall time of the whole comparison.
    pub seconds: f64,
    pub baselines: Vec<Row>,
    pub rows: Vec<Row>,
    /// CPUs' worth of time used by other processes during the comparison.
    pub other_cpu_use: Option<f64>,
    pub warnings: Vec<String>,
    /// Outcomes the experiments grade FORBIDDEN (a fixed version losing updates, a racy one
    /// outside the theoretical bounds): bugs.
    pub forbidden: Vec<String>,
    /// Where the plot was written, if it was asked for.
    pub plot: Option<String>,
}
