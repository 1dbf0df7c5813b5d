//! `race-lab compare`: what each fix costs and how it scales, read against the hardware.
//!
//! Every chosen experiment runs at every thread count through its own native kernel (the
//! loop `race-lab run` times, [`Kernels::native`](crate::experiment::Kernels)), K times, and
//! the table shows the median. Three baselines are measured in the same run, with raw std
//! atomics and no lab code in the timed loop: an uncontended `fetch_add` (one thread), a contended one (two
//! threads on one counter) and a cache line ping-ponging between two CPUs. Every figure is
//! also given as a multiple of them, so "12 ns" reads as "4× the cost of one `lock xadd`".
//!
//! Trials are interleaved (round 1 of every cell, then round 2, …) so that a burst of load
//! from another process skews one round of everything rather than every trial of one cell.

use crate::cli::{self, CompareArgs};
use crate::error::{LabError, Result};
use crate::experiment::{Class, Experiment, Grade, Opt, Params};
use crate::experiments;
use crate::harness::median;
use crate::machine;
use crate::rt::{Native, Rt};
use comfy_table::{presets::UTF8_BORDERS_ONLY, CellAlignment, Table};
use crossbeam_utils::CachePadded;
use serde::{Deserialize, Serialize};
use std::fmt::Display;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The JSON schema's name and version.
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
/// The most increments one `compare` may perform in all (about an hour at ~3 ns each).
pub const MAX_WORK: u128 = 1_000_000_000_000;
/// Handoffs per thread in the ping-pong baseline (at most; fewer with a small `--iters`).
const PING_PONG_HANDOFFS: u64 = 100_000;
/// The ping-pong baseline gives up after this long (a busy CPU can stall every handoff).
const PING_PONG_LIMIT: Duration = Duration::from_millis(500);

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

/// Validates the command line into a configuration.
pub fn config(a: &CompareArgs) -> Result<CompareConfig> {
    if a.json && a.csv {
        return Err(LabError::usage(
            "--json and --csv cannot be used together: choose one output format",
        ));
    }
    let mut chosen: Vec<&'static Experiment> = Vec::new();
    for name in &a.experiments {
        let e = cli::experiment(name)?;
        if e.class == Class::Deadlock {
            return Err(LabError::usage(format!(
                "{} is not a counter experiment to time (it can hang); try `race-lab run {}`",
                e.name, e.name
            )));
        }
        if !chosen.iter().any(|c| c.name == e.name) {
            chosen.push(e);
        }
    }
    if chosen.is_empty() {
        chosen = experiments::all()
            .collect::<Vec<_>>()
            .iter()
            .copied()
            .filter(|e| e.class != Class::Deadlock)
            .collect();
    }
    let threads = match &a.threads {
        Some(s) => parse_list("--threads", s, MAX_THREADS as u64)?
            .into_iter()
            .map(|t| t as usize)
            .collect(),
        None => DEFAULT_THREADS.to_vec(),
    };
    if threads.len() > MAX_THREAD_COUNTS {
        return Err(LabError::usage(format!(
            "--threads lists {} thread counts; the limit is {MAX_THREAD_COUNTS}",
            threads.len()
        )));
    }
    let batches = match &a.batch {
        Some(s) => {
            if !chosen.iter().any(|e| e.takes(Opt::Batch)) {
                return Err(LabError::usage(
                    "--batch applies only to channel, which is not among the chosen experiments",
                ));
            }
            parse_list("--batch", s, u64::MAX)?
        }
        None => DEFAULT_BATCHES.to_vec(),
    };
    let iters = a.iters;
    if iters == 0 {
        return Err(LabError::usage(
            "--iters must be at least 1 (with 0 there is nothing to count)",
        ));
    }
    if iters > cli::MAX_ITERS {
        return Err(LabError::usage(format!(
            "--iters {iters} is more than the limit of {}",
            cli::MAX_ITERS
        )));
    }
    if a.trials == 0 || a.trials > MAX_TRIALS {
        return Err(LabError::usage(format!(
            "--trials must be between 1 and {MAX_TRIALS}"
        )));
    }
    let variants: Vec<Variant> = chosen
        .iter()
        .flat_map(|&exp| {
            let bs: Vec<Option<u64>> = if exp.takes(Opt::Batch) {
                batches.iter().map(|&b| Some(b)).collect()
            } else {
                vec![None]
            };
            bs.into_iter().map(move |batch| Variant { exp, batch })
        })
        .collect();
    let work = threads.iter().map(|&t| t as u128).sum::<u128>()
        * iters as u128
        * a.trials as u128
        * variants.len() as u128;
    if work > MAX_WORK {
        return Err(LabError::usage(format!(
            "that is {work} increments in all, more than the limit of {MAX_WORK} (hours of work): lower --iters, --trials or --threads"
        )));
    }
    let plot = a.plot.as_deref().map(check_plot_path).transpose()?;
    let format = match (a.json, a.csv) {
        (true, _) => Format::Json,
        (_, true) => Format::Csv,
        _ => Format::Text,
    };
    Ok(CompareConfig {
        variants,
        threads,
        iters,
        trials: a.trials,
        format,
        plot,
        progress: format == Format::Text && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    })
}

/// Parses a list like `1,2,4,8`: sorted, without duplicates, every entry from 1 to `max`.
fn parse_list(flag: &str, s: &str, max: u64) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim) {
        let n: u64 = part.parse().map_err(|_| {
            LabError::usage(format!(
                "bad {flag} '{s}': expected numbers separated by commas, like 1,2,4,8"
            ))
        })?;
        if n == 0 {
            return Err(LabError::usage(format!(
                "bad {flag} '{s}': every entry must be at least 1"
            )));
        }
        if n > max {
            return Err(LabError::usage(format!(
                "bad {flag} '{s}': {n} is more than the limit of {max}"
            )));
        }
        out.push(n);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Refuses a plot path that cannot be written, before anything is measured.
fn check_plot_path(p: &Path) -> Result<PathBuf> {
    let is_svg = p
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if !is_svg {
        return Err(LabError::usage(format!(
            "--plot {}: the plot is an SVG file; name it FILE.svg",
            p.display()
        )));
    }
    if p.is_dir() {
        return Err(LabError::usage(format!(
            "--plot {}: is a directory",
            p.display()
        )));
    }
    let parent = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(LabError::usage(format!(
            "--plot {}: the folder {} does not exist",
            p.display(),
            parent.display()
        )));
    }
    Ok(p.to_path_buf())
}

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

/// The three baselines, in the order they are measured and printed.
#[derive(Clone, Copy)]
enum Baseline {
    Uncontended,
    Contended,
    PingPong,
}

const BASELINES: [Baseline; 3] = [
    Baseline::Uncontended,
    Baseline::Contended,
    Baseline::PingPong,
];

impl Baseline {
    fn name(self) -> &'static str {
        match self {
            Baseline::Uncontended => "uncontended fetch_add",
            Baseline::Contended => "contended fetch_add",
            Baseline::PingPong => "cache-line ping-pong",
        }
    }
    fn threads(self) -> usize {
        match self {
            Baseline::Uncontended => 1,
            _ => 2,
        }
    }
    fn iters(self, iters: u64) -> u64 {
        match self {
            Baseline::PingPong => iters.min(PING_PONG_HANDOFFS),
            _ => iters,
        }
    }
    /// Runs it once: (final count, expected count, elapsed).
    fn measure(self, iters: u64) -> (u64, u64, Duration) {
        let m = self.iters(iters);
        match self {
            Baseline::Uncontended | Baseline::Contended => {
                let n = self.threads();
                let counter = CachePadded::new(AtomicU64::new(0));
                let elapsed = timed(n, |_| {
                    for _ in 0..m {
                        counter.fetch_add(1, Ordering::SeqCst);
                    }
                });
                (counter.load(Ordering::SeqCst), n as u64 * m, elapsed)
            }
            Baseline::PingPong => ping_pong(m),
        }
    }
}

/// Runs `body(i)` on `n` scoped threads that start together (spin start, as the lab's
/// workers do) and returns the time from the first start to the last finish.
fn timed(n: usize, body: impl Fn(usize) + Sync) -> Duration {
    let gate = Native::gate(n);
    let spans: Vec<(Instant, Instant)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (gate, body) = (&gate, &body);
                s.spawn(move || {
                    Native::wait(gate); // the lab's spin start line, outside the timing
                    let start = Instant::now();
                    body(i);
                    (start, Instant::now())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let first = spans.iter().map(|s| s.0).min();
    let last = spans.iter().map(|s| s.1).max();
    match (first, last) {
        (Some(a), Some(b)) => b - a,
        _ => Duration::ZERO,
    }
}

/// Two threads, pinned to two different CPUs when there are two, take turns incrementing
/// one cache line: thread `i` writes when the count is ≡ i (mod 2). Every handoff moves the
/// line from one CPU's cache to the other's. Returns (handoffs done, handoffs asked for,
/// elapsed).
fn ping_pong(per_thread: u64) -> (u64, u64, Duration) {
    let total = 2 * per_thread;
    let line = CachePadded::new(AtomicU64::new(0));
    let stop = AtomicBool::new(false);
    let cpus = machine::allowed_cpus();
    let deadline = Instant::now() + PING_PONG_LIMIT;
    let elapsed = timed(2, |i| {
        if cpus.len() >= 2 {
            // Pinning only steadies the figure; unpinned, the scheduler still spreads them.
            let _ = machine::pin(&[cpus[i]]);
        }
        let mut v = i as u64;
        while v < total {
            let mut spins = 0u32;
            while line.load(Ordering::Acquire) != v {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                spins = spins.wrapping_add(1);
                if spins % 1024 == 0 {
                    std::thread::yield_now(); // the other thread is not running
                } else {
                    std::hint::spin_loop();
                }
            }
            line.store(v + 1, Ordering::Release); // the line moves to this CPU…
            v += 2; // …and this thread waits for it to come back.
            if i == 0 && v % 2048 == 0 && Instant::now() > deadline {
                stop.store(true, Ordering::Relaxed);
                return;
            }
        }
    });
    let done = line.load(Ordering::SeqCst);
    // A ping-pong cut short by the time limit counted `done` handoffs, all of them real.
    (done, done.max(1), elapsed)
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
    let mut values: Vec<Vec<u64>> = vec![Vec::new(); cells];
    let mut interrupted = false;
    'rounds: for round in 0..cfg.trials {
        for (b, s) in BASELINES.iter().zip(base.iter_mut()) {
            if machine::interrupted() {
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
                if machine::interrupted() {
                    interrupted = true;
                    break 'rounds;
                }
                bar.set_message(format!("trial {}: {} × {t} threads", round + 1, v.label()));
                let p = v.params(t, cfg.iters);
                let run = (v.exp.kernels.native)(&p);
                let cell = vi * cfg.threads.len() + ti;
                samples[cell].push(run.value(), p.expected(), run.elapsed.unwrap_or_default());
                values[cell].push(run.value());
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
            for &value in values[cell(ti)]
                .iter()
                .filter(|&&x| v.exp.grade_value(&p, Some(x)).0 == Grade::Forbidden)
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

/// `race-lab compare`: validates, measures, prints, plots. Returns the exit code.
pub fn execute(a: &CompareArgs, out: &mut dyn Write) -> Result<i32> {
    let cfg = config(a)?;
    let r = run(&cfg);
    match cfg.format {
        Format::Json => json(out, &r)?,
        Format::Csv => {
            csv(out, &r)?;
            for w in &r.warnings {
                eprintln!("race-lab: {w}");
            }
        }
        Format::Text => text(out, &r)?,
    }
    if let Some(path) = &cfg.plot {
        std::fs::write(path, svg(&r)?).map_err(|e| {
            LabError::usage(format!("cannot write the plot to {}: {e}", path.display()))
        })?;
        if cfg.format == Format::Text {
            writeln!(out, "plot written to {}", path.display())?;
        }
    }
    if !r.forbidden.is_empty() {
        return Err(LabError::failed(format!(
            "FORBIDDEN outcome: {}. This must never happen: it is a bug.",
            r.forbidden.join("; ")
        )));
    }
    Ok(if r.interrupted { 130 } else { 0 })
}

/// The report as pretty JSON (schema `race-lab.compare/1`).
pub fn json(w: &mut dyn Write, r: &CompareReport) -> io::Result<()> {
    crate::report::json(w, r)
}

/// The columns of the CSV, one per field of [`Row`].
pub const CSV_HEADER: &str = "kind,name,experiment,batch,class,threads,iters,trials,ns_per_increment,m_increments_per_s,lost_pct,speedup,x_fetch_add,x_ping_pong";

/// The report as CSV: the baselines, then the experiments; figures at full precision.
pub fn csv(w: &mut dyn Write, r: &CompareReport) -> io::Result<()> {
    fn opt<T: Display>(x: &Option<T>) -> String {
        x.as_ref().map(|v| v.to_string()).unwrap_or_default()
    }
    fn field(s: &str) -> String {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    writeln!(w, "{CSV_HEADER}")?;
    for row in r.baselines.iter().chain(&r.rows) {
        let fields = [
            field(&row.kind),
            field(&row.name),
            field(&row.experiment.clone().unwrap_or_default()),
            opt(&row.batch),
            field(&row.class),
            row.threads.to_string(),
            row.iters.to_string(),
            row.trials.to_string(),
            opt(&row.ns_per_increment),
            opt(&row.m_increments_per_s),
            opt(&row.lost_pct),
            opt(&row.speedup),
            opt(&row.x_fetch_add),
            opt(&row.x_ping_pong),
        ];
        writeln!(w, "{}", fields.join(","))?;
    }
    Ok(())
}

/// Three significant figures, without scientific notation.
fn sig(x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let a = x.abs();
    let decimals = if a >= 100.0 || a == 0.0 {
        0
    } else {
        (2 - a.log10().floor() as i32).clamp(0, 6) as usize
    };
    format!("{x:.decimals$}")
}

/// A ratio to a baseline; below 0.001 the figure is noise around "free".
fn ratio(x: Option<f64>) -> String {
    match x {
        Some(v) if v < 0.001 => "<0.001×".into(),
        Some(v) => format!("{}×", sig(v)),
        None => "-".into(),
    }
}

fn cells(r: &Row) -> Vec<String> {
    let f = |x: Option<f64>, unit: &str| x.map(|v| format!("{}{unit}", sig(v)));
    let lost = match r.lost_pct {
        Some(0.0) => "0".to_string(),
        Some(l) if l < 0.1 => format!("{l:.3}%"),
        Some(l) => format!("{l:.1}%"),
        None => "-".into(),
    };
    vec![
        r.name.clone(),
        r.threads.to_string(),
        f(r.ns_per_increment, "").unwrap_or_else(|| "-".into()),
        f(r.m_increments_per_s, "").unwrap_or_else(|| "-".into()),
        lost,
        f(r.speedup, "×").unwrap_or_else(|| "-".into()),
        ratio(r.x_fetch_add),
        ratio(r.x_ping_pong),
    ]
}

fn table(first: &str) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        first,
        "threads",
        "ns/incr",
        "M incr/s",
        "lost",
        "speed-up",
        "× fetch_add",
        "× ping-pong",
    ]);
    for c in 1..8 {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// The fixed versions at `threads`, fastest first.
pub fn ranking(r: &CompareReport, threads: usize) -> Vec<(&str, f64)> {
    let mut v: Vec<(&str, f64)> = r
        .rows
        .iter()
        .filter(|row| row.threads == threads && row.class == "fixed")
        .filter_map(|row| row.ns_per_increment.map(|ns| (row.name.as_str(), ns)))
        .collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1));
    v
}

/// The report as text: the baselines, the table, the ranking of the fixes, warnings.
pub fn text(w: &mut dyn Write, r: &CompareReport) -> io::Result<()> {
    let names: Vec<&str> = {
        let mut n: Vec<&str> = r.rows.iter().map(|row| row.name.as_str()).collect();
        n.dedup();
        n
    };
    writeln!(
        w,
        "race-lab compare: {} experiments × threads {}, {} increments per thread, median of {} trials; {} CPUs",
        names.len(),
        r.threads
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(","),
        r.iters,
        if r.interrupted {
            format!("up to {} (interrupted)", r.trials_requested)
        } else {
            r.trials_requested.to_string()
        },
        r.cpus
    )?;
    writeln!(
        w,
        "hardware baselines, measured in this run (raw std atomics, no lab code in the loop):"
    )?;
    let mut t = table("baseline");
    for row in &r.baselines {
        t.add_row(cells(row));
    }
    writeln!(w, "{t}")?;
    let mut t = table("experiment");
    for row in &r.rows {
        t.add_row(cells(row));
    }
    writeln!(w, "{t}")?;
    writeln!(
        w,
        "ns/incr: wall time ÷ (threads × increments), all threads together; speed-up: throughput over 1 thread;\n\
         × fetch_add: over the uncontended (1 thread) or contended (2+ threads) fetch_add; × ping-pong: over one cache-line handoff"
    )?;
    for &t in r.threads.iter().filter(|&&t| t > 1) {
        let rank = ranking(r, t);
        if rank.len() > 1 {
            let list: Vec<String> = rank
                .iter()
                .map(|(n, ns)| format!("{n} {}", sig(*ns)))
                .collect();
            writeln!(
                w,
                "fixes by throughput at {t} threads (fastest first, ns/incr): {}",
                list.join(" > ")
            )?;
        }
    }
    writeln!(w, "took {:.1} s", r.seconds)?;
    for warning in &r.warnings {
        writeln!(w, "{warning}")?;
    }
    Ok(())
}

fn draw_err(e: impl Display) -> LabError {
    LabError::usage(format!("cannot draw the plot: {e}"))
}

/// Colours of the experiments' lines, the same in both charts (no grey: the baselines are).
const COLOURS: [(u8, u8, u8); 12] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (188, 189, 34),
    (23, 190, 207),
    (57, 59, 121),
    (99, 121, 57),
    (231, 186, 82),
];

/// An axis tick on a log scale: 0.01, 0.1, 1, 10, 100, 1000, then 1e4, 1e5, …
fn log_tick(y: f64) -> String {
    if y >= 1e4 {
        format!("1e{}", y.log10().round())
    } else {
        sig(y)
    }
}

/// The plot as an SVG document: throughput vs threads (log scale) on the left, lost updates
/// vs threads in the middle, one line per experiment in the same colour in both, the
/// hardware's baselines as dashed grey lines, and the legend on the right.
pub fn svg(r: &CompareReport) -> Result<String> {
    use plotters::prelude::*;

    let threads = &r.threads;
    let names: Vec<String> = {
        let mut n: Vec<String> = r.rows.iter().map(|row| row.name.clone()).collect();
        n.dedup();
        n
    };
    let racy = |name: &str| {
        r.rows
            .iter()
            .any(|row| row.name == name && row.class != "fixed")
    };
    let series = |name: &str, f: fn(&Row) -> Option<f64>| -> Vec<(SegmentValue<i32>, f64)> {
        r.rows
            .iter()
            .filter(|row| row.name == name)
            .filter_map(|row| {
                let i = threads.iter().position(|&t| t == row.threads)? as i32;
                Some((SegmentValue::CenterOf(i), f(row)?))
            })
            .collect()
    };
    let x_label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) => threads
            .get(*i as usize)
            .map(|t| t.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    };
    let colour = |i: usize| {
        let (r, g, b) = COLOURS[i % COLOURS.len()];
        RGBColor(r, g, b)
    };
    let baseline_styles = [
        RGBColor(60, 60, 60).stroke_width(2),
        RGBColor(140, 140, 140).stroke_width(2),
        RGBColor(190, 190, 190).stroke_width(2),
    ];
    // Segments 0..=last, one per thread count.
    let last = threads.len().saturating_sub(1) as i32;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (1500, 640)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let (charts, legend) = root.split_horizontally(1170);
        let (left, right) = charts.split_horizontally(640);

        // Throughput, log scale.
        let tput: Vec<f64> = r
            .rows
            .iter()
            .chain(&r.baselines)
            .filter_map(|row| row.m_increments_per_s)
            .filter(|&x| x > 0.0)
            .collect();
        let lo = tput.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = tput.iter().copied().fold(0.0, f64::max);
        let (lo, hi) = if lo.is_finite() && hi > 0.0 {
            (lo / 2.0, hi * 2.0)
        } else {
            (0.1, 10.0)
        };
        let mut chart = ChartBuilder::on(&left)
            .caption(
                "Throughput vs threads (log scale)",
                ("sans-serif", 22).into_font(),
            )
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d((0..last).into_segmented(), (lo..hi).log_scale())
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc("threads")
            .y_desc("million increments per second, all threads together")
            .x_label_formatter(&x_label)
            .y_label_formatter(&|y| log_tick(*y))
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(draw_err)?;
        for (b, style) in r.baselines.iter().zip(baseline_styles) {
            if let Some(y) = b.m_increments_per_s {
                let line = vec![(SegmentValue::Exact(0), y), (SegmentValue::Last, y)];
                chart
                    .draw_series(DashedLineSeries::new(line, 8, 5, style))
                    .map_err(draw_err)?;
            }
        }
        for (i, name) in names.iter().enumerate() {
            let c = colour(i);
            chart
                .draw_series(
                    LineSeries::new(
                        series(name, |row| row.m_increments_per_s),
                        c.stroke_width(2),
                    )
                    .point_size(3),
                )
                .map_err(draw_err)?;
        }

        // Lost updates, linear.
        let top = r
            .rows
            .iter()
            .filter_map(|row| row.lost_pct)
            .fold(0.0, f64::max);
        let top = if top > 0.0 {
            (top * 1.15).min(100.0)
        } else {
            1.0
        };
        let mut chart = ChartBuilder::on(&right)
            .caption("Lost updates vs threads", ("sans-serif", 22).into_font())
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d((0..last).into_segmented(), 0.0..top)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc("threads")
            .y_desc("updates lost, % of threads × increments")
            .x_label_formatter(&x_label)
            .y_label_formatter(&|y| {
                if top >= 5.0 {
                    format!("{y:.0}%")
                } else {
                    format!("{}%", sig(*y))
                }
            })
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(draw_err)?;
        // Every fixed version sits on 0%: one dark line stands for all of them.
        let zero: Vec<(SegmentValue<i32>, f64)> = (0..=last)
            .map(|i| (SegmentValue::CenterOf(i), 0.0))
            .collect();
        let fixed = names.iter().filter(|n| !racy(n)).count();
        if fixed > 0 {
            chart
                .draw_series(LineSeries::new(zero, BLACK.stroke_width(3)))
                .map_err(draw_err)?;
        }
        for (i, name) in names.iter().enumerate().filter(|(_, n)| racy(n)) {
            let c = colour(i);
            chart
                .draw_series(
                    LineSeries::new(series(name, |row| row.lost_pct), c.stroke_width(2))
                        .point_size(3),
                )
                .map_err(draw_err)?;
        }

        // The legend, for both charts.
        let font = ("sans-serif", 14).into_font();
        let mut y = 40;
        legend
            .draw(&Text::new(
                "experiments (same colours in both charts)",
                (10, y - 25),
                font.clone(),
            ))
            .map_err(draw_err)?;
        for (i, name) in names.iter().enumerate() {
            let c = colour(i);
            legend
                .draw(&PathElement::new(vec![(10, y), (40, y)], c.stroke_width(3)))
                .map_err(draw_err)?;
            let label = if racy(name) {
                format!("{name} (racy)")
            } else {
                name.clone()
            };
            legend
                .draw(&Text::new(label, (48, y - 7), font.clone()))
                .map_err(draw_err)?;
            y += 22;
        }
        if fixed > 0 {
            legend
                .draw(&PathElement::new(
                    vec![(10, y), (40, y)],
                    BLACK.stroke_width(3),
                ))
                .map_err(draw_err)?;
            legend
                .draw(&Text::new(
                    format!("lost updates of the {fixed} fixed versions: 0%"),
                    (48, y - 7),
                    font.clone(),
                ))
                .map_err(draw_err)?;
            y += 22;
        }
        y += 18;
        legend
            .draw(&Text::new(
                "hardware, measured in the same run:",
                (10, y - 7),
                font.clone(),
            ))
            .map_err(draw_err)?;
        y += 24;
        for (b, style) in r.baselines.iter().zip(baseline_styles) {
            for x in [10, 24] {
                legend
                    .draw(&PathElement::new(vec![(x, y), (x + 9, y)], style))
                    .map_err(draw_err)?;
            }
            let what = match b.ns_per_increment {
                Some(ns) => format!("{}, {} thr: {} ns", b.name, b.threads, sig(ns)),
                None => b.name.clone(),
            };
            legend
                .draw(&Text::new(what, (48, y - 7), font.clone()))
                .map_err(draw_err)?;
            y += 22;
        }
        let mut notes = vec![
            format!("{} CPUs, {} increments per thread,", r.cpus, r.iters),
            format!("median of {} trials per point", r.trials_requested),
        ];
        if let Some(o) = r.other_cpu_use.filter(|&o| o >= 0.2) {
            notes.push(format!("other processes used {o:.1} CPUs meanwhile"));
        }
        for note in notes {
            legend
                .draw(&Text::new(
                    note,
                    (10, y + 6),
                    ("sans-serif", 13).into_font(),
                ))
                .map_err(draw_err)?;
            y += 18;
        }
        root.present().map_err(draw_err)?;
    }
    Ok(out)
}
