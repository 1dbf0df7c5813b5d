//! The native harness: runs an experiment's kernel on real threads for K trials and grades
//! the outcomes, as jcstress does.

use crate::experiment::{Class, Experiment, Grade, Params};
use crate::machine;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// What `race-lab run` was asked to do, validated.
#[derive(Clone)]
pub struct RunConfig {
    pub exp: &'static Experiment,
    pub params: Params,
    pub trials: usize,
    pub pin: Option<Vec<usize>>,
    /// For experiments that can deadlock: how long a trial may make no progress.
    pub watchdog: Duration,
    pub progress: bool,
    /// Stops between trials; the trials run so far are reported.
    pub cancel: machine::Cancel,
}

/// One trial.
#[derive(Clone, Debug, Serialize)]
pub struct Trial {
    /// The final count, or `None` if the trial deadlocked.
    pub value: Option<u64>,
    /// The whole outcome record, or `None` if the trial deadlocked.
    pub outcome: Option<crate::experiment::Outcome>,
    pub expected: u64,
    pub lost: u64,
    pub wall_ns: Option<u64>,
    pub ns_per_increment: Option<f64>,
    pub metric: u64,
    pub grade: Grade,
}

/// One row of the outcome histogram: a value, a range of values, or a deadlock.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub outcome: String,
    /// The outcome's record, when the row is one outcome (not a range, not a deadlock).
    #[serde(skip)]
    pub record: Option<crate::experiment::Outcome>,
    /// The lowest and highest final value in this row (`None` for a deadlock).
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub count: usize,
    pub frequency: f64,
    pub grade: Grade,
    pub meaning: &'static str,
}

/// Everything one `race-lab run` measured.
#[derive(Clone, Debug, Serialize)]
pub struct RunReport {
    pub schema: &'static str,
    pub experiment: &'static str,
    pub class: Class,
    pub world: &'static str,
    pub params: Params,
    /// Whether the experiment takes `--ordering` (else `params.ordering` is unused).
    pub ordering_applies: bool,
    pub expected: u64,
    pub trials_requested: usize,
    pub interrupted: bool,
    pub pin: Option<Vec<usize>>,
    pub cpus: usize,
    pub trials: Vec<Trial>,
    pub histogram: Vec<Row>,
    pub metric_name: Option<&'static str>,
    /// Median over finished trials.
    pub ns_per_increment: Option<f64>,
    pub forbidden: bool,
    pub deadlocked: bool,
    pub verdict: String,
    /// CPUs' worth of time used by other processes during the run.
    pub other_cpu_use: Option<f64>,
    pub warnings: Vec<String>,
}

/// The trials finished so far, shared with a watcher that reports them on Ctrl-C; `done`
/// once the run has ended and reports them itself.
#[derive(Default)]
pub struct Finished {
    pub trials: Vec<Trial>,
    pub done: bool,
}

/// Runs the trials, each finished one also pushed to `shared`.
pub fn run_shared(
    cfg: &RunConfig,
    shared: &std::sync::Mutex<Finished>,
) -> crate::error::Result<RunReport> {
    if let Some(cpus) = &cfg.pin {
        machine::pin(cpus)?;
    }
    let p = &cfg.params;
    let expected = p.expected();
    let bar = machine::progress_bar(
        cfg.progress && cfg.trials > 1,
        cfg.trials as u64,
        "trial {pos}/{len}",
    );
    let meter = machine::CpuMeter::start();
    let mut trials = Vec::with_capacity(cfg.trials);
    let mut deadlocked = false;
    let mut interrupted = false;
    for _ in 0..cfg.trials {
        if cfg.cancel.requested() {
            interrupted = true;
            break;
        }
        let run = if cfg.exp.can_hang() {
            run_watched(cfg)
        } else {
            Some((cfg.exp.kernels.native)(p))
        };
        let value = run.as_ref().map(|r| r.value());
        let outcome = run.as_ref().map(|r| r.outcome.clone());
        let (grade, _) = cfg.exp.grade(p, outcome.as_ref());
        let wall_ns = run
            .as_ref()
            .and_then(|r| r.elapsed)
            .map(|d| d.as_nanos() as u64);
        trials.push(Trial {
            value,
            outcome,
            expected,
            lost: value.map(|v| expected.saturating_sub(v)).unwrap_or(0),
            wall_ns,
            ns_per_increment: wall_ns
                .filter(|_| expected > 0)
                .map(|w| w as f64 / expected as f64),
            metric: run.as_ref().map(|r| r.metric).unwrap_or(0),
            grade,
        });
        if let Some(t) = trials.last() {
            let mut f = shared.lock().unwrap_or_else(|e| e.into_inner());
            f.trials.push(t.clone());
        }
        bar.inc(1);
        if value.is_none() {
            // The deadlocked threads can never be joined: no further trial can start clean.
            deadlocked = true;
            break;
        }
    }
    bar.finish_and_clear();
    shared.lock().unwrap_or_else(|e| e.into_inner()).done = true;
    Ok(report(cfg, trials, deadlocked, interrupted, meter.others()))
}

/// The report of `trials` (all of them, or those finished when Ctrl-C came).
pub fn report(
    cfg: &RunConfig,
    trials: Vec<Trial>,
    deadlocked: bool,
    interrupted: bool,
    others: Option<f64>,
) -> RunReport {
    let p = &cfg.params;
    let expected = p.expected();
    let histogram = histogram(cfg.exp, p, &trials);
    let forbidden = trials.iter().any(|t| t.grade == Grade::Forbidden);
    let costs: Vec<f64> = trials.iter().filter_map(|t| t.ns_per_increment).collect();
    let median = median(&costs);
    let mut warnings: Vec<String> = machine::busy_warning(others).into_iter().collect();
    if p.threads > machine::cpus() * 4 && cfg.exp.class.is_racy() {
        warnings.push(format!(
            "{} threads on {} CPUs: most of them wait for a CPU, so they overlap less than you may think",
            p.threads,
            machine::cpus()
        ));
    }
    let verdict = verdict(cfg, &trials, deadlocked, interrupted);
    RunReport {
        schema: "race-lab.run/1",
        experiment: cfg.exp.name,
        class: cfg.exp.class,
        world: "native",
        params: p.clone(),
        ordering_applies: cfg.exp.takes(crate::experiment::Opt::Ordering),
        expected,
        trials_requested: cfg.trials,
        interrupted,
        pin: cfg.pin.clone(),
        cpus: machine::cpus(),
        trials,
        histogram,
        metric_name: cfg.exp.metric,
        ns_per_increment: median,
        forbidden,
        deadlocked,
        verdict,
        other_cpu_use: others,
        warnings,
    }
}

pub use crate::experiment::median;

/// Runs one trial on a helper thread; gives up on it once the lab's other threads have used
/// no CPU for the watchdog's time (deadlocked threads sleep in the kernel; working ones,
/// however slow, burn CPU), or, for an experiment whose hang spins, once it has run for
/// [`HANG_SPINS_WATCHDOGS`](crate::experiment::HANG_SPINS_WATCHDOGS) watchdog periods. The
/// kernel's timed loop is left alone.
fn run_watched(cfg: &RunConfig) -> Option<crate::experiment::Run> {
    let started = std::time::Instant::now();
    let spin_cap = cfg.watchdog * crate::experiment::HANG_SPINS_WATCHDOGS;
    let (tx, rx) = std::sync::mpsc::channel();
    let (kernel, p) = (cfg.exp.kernels.native, cfg.params.clone());
    std::thread::spawn(move || {
        let _ = tx.send(kernel(&p));
    });
    let mut seen = machine::other_threads_cpu_ticks();
    let mut last_progress = std::time::Instant::now();
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(run) => return Some(run),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return None,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        if cfg.exp.hang_spins && started.elapsed() >= spin_cap {
            return None; // spinning on something nobody will change
        }
        let now = machine::other_threads_cpu_ticks();
        if now != seen {
            seen = now;
            last_progress = std::time::Instant::now();
        } else if last_progress.elapsed() >= cfg.watchdog {
            return None;
        }
    }
}

fn histogram(exp: &Experiment, p: &Params, trials: &[Trial]) -> Vec<Row> {
    let n = trials.len().max(1) as f64;
    if trials
        .iter()
        .any(|t| t.outcome.as_ref().is_some_and(|o| !o.is_value()))
    {
        // Records of named fields: one row per distinct outcome, as jcstress prints them.
        let mut exact: BTreeMap<Option<&crate::experiment::Outcome>, usize> = BTreeMap::new();
        for t in trials {
            *exact.entry(t.outcome.as_ref()).or_default() += 1;
        }
        return exact
            .into_iter()
            .map(|(o, count)| {
                let (grade, meaning) = exp.grade(p, o);
                Row {
                    outcome: o.map_or(exp.unfinished().to_string(), |o| o.to_string()),
                    record: o.cloned(),
                    min: o.map(|o| o.primary()),
                    max: o.map(|o| o.primary()),
                    count,
                    frequency: count as f64 / n,
                    grade,
                    meaning,
                }
            })
            .collect();
    }
    let mut exact: BTreeMap<Option<u64>, usize> = BTreeMap::new();
    for t in trials {
        *exact.entry(t.value).or_default() += 1;
    }
    let row = |outcome: String, min, max, count: usize, value: Option<u64>| {
        let (grade, meaning) = exp.grade_value(p, value);
        Row {
            outcome,
            record: value
                .filter(|_| min == max)
                .map(crate::experiment::Outcome::value),
            min,
            max,
            count,
            frequency: count as f64 / n,
            grade,
            meaning,
        }
    };
    let label = |v: Option<u64>| match v {
        Some(v) => v.to_string(),
        None => exp.unfinished().to_string(),
    };
    let mut rows = Vec::new();
    if exact.len() <= 6 {
        for (v, c) in exact.iter().rev() {
            rows.push(row(label(*v), *v, *v, *c, *v));
        }
        return rows;
    }
    // Many distinct values: the expected one, deadlocks and forbidden ones on their own
    // rows, the interesting ones in up to eight ranges.
    let mut interesting = Vec::new();
    for (v, c) in exact.iter().rev() {
        match exp.grade_value(p, *v).0 {
            Grade::Interesting if v.is_some() => interesting.push((v.unwrap_or(0), *c)),
            _ => rows.push(row(label(*v), *v, *v, *c, *v)),
        }
    }
    if let (Some(&(hi, _)), Some(&(lo, _))) = (interesting.first(), interesting.last()) {
        let width = ((hi - lo) / 8).max(1);
        let mut buckets: BTreeMap<u64, (u64, u64, usize)> = BTreeMap::new();
        for (v, c) in interesting {
            let b = ((v - lo) / width).min(7);
            let e = buckets.entry(b).or_insert((v, v, 0));
            e.0 = e.0.min(v);
            e.1 = e.1.max(v);
            e.2 += c;
        }
        for (_, (a, b, c)) in buckets.into_iter().rev() {
            let outcome = if a == b {
                a.to_string()
            } else {
                format!("{a}..={b}")
            };
            rows.push(row(outcome, Some(a), Some(b), c, Some(a)));
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.max.map(|m| m as i128).unwrap_or(-1)));
    rows
}

fn verdict(cfg: &RunConfig, trials: &[Trial], deadlocked: bool, interrupted: bool) -> String {
    let p = &cfg.params;
    let head = format!("{} {}x{}", cfg.exp.name, p.threads, p.iters);
    let n = trials.len();
    let lossy: Vec<&Trial> = trials
        .iter()
        .filter(|t| t.value.is_some() && t.lost > 0)
        .collect();
    let forbidden = trials
        .iter()
        .filter(|t| t.grade == Grade::Forbidden)
        .count();
    let tail = if interrupted {
        format!(" (interrupted after {n} of {} trials)", cfg.trials)
    } else {
        String::new()
    };
    if deadlocked && cfg.exp.hang_spins {
        return format!(
            "{head}: hung in trial {n}: still running after {} s (threads spinning on something nobody will change; they keep a CPU each until the lab exits){tail}",
            (cfg.watchdog * crate::experiment::HANG_SPINS_WATCHDOGS).as_secs_f64()
        );
    }
    if deadlocked {
        return format!(
            "{head}: deadlocked in trial {n}: no progress for {} s{tail}",
            cfg.watchdog.as_secs_f64()
        );
    }
    if forbidden > 0 {
        return format!("FORBIDDEN: {head}: {forbidden} of {n} trials gave an outcome that must never happen{tail}");
    }
    let expected = p.expected();
    let pct = |t: &Trial| t.lost as f64 / expected as f64;
    let lost = |ts: &[&Trial]| {
        let lo = ts.iter().map(|t| t.lost).min().unwrap_or(0);
        let hi = ts.iter().map(|t| t.lost).max().unwrap_or(0);
        let (plo, phi) = (
            ts.iter().map(|t| pct(t)).fold(f64::INFINITY, f64::min),
            ts.iter().map(|t| pct(t)).fold(0.0, f64::max),
        );
        if lo == hi {
            format!("lost {lo} of {expected}: {}", crate::trace::percent(plo))
        } else {
            format!(
                "lost {lo}–{hi} of {expected}: {}–{}",
                crate::trace::percent(plo),
                crate::trace::percent(phi)
            )
        }
    };
    // A failure graded by the experiment's own judge (two threads inside a lock): the
    // headline names the most serious one seen, and how many trials saw it; lost updates
    // come second.
    if cfg.exp.judge.is_some() {
        let graded = trials.iter().map(|t| {
            let (grade, meaning) = cfg.exp.grade(p, t.outcome.as_ref());
            (meaning, grade, 1)
        });
        if let Some((meaning, k)) = Grade::worst(graded) {
            let also = match lossy.len() {
                0 => "no update lost".to_string(),
                l => format!("updates lost in {l} ({})", lost(&lossy)),
            };
            return format!("{head}: {meaning} in {k} of {n} trials; {also}{tail}");
        }
    }
    if lossy.is_empty() {
        return match cfg.exp.class {
            Class::Fixed | Class::Deadlock => format!("{head}: exact ({expected}) in {n} of {n} trials{tail}"),
            _ if p.threads == 1 => format!(
                "{head}: no update lost in {n} of {n} trials — one thread has nobody to race with (try --threads 2 or more){tail}"
            ),
            _ => format!(
                "{head}: no update lost in {n} of {n} trials — the race is still there (try `race-lab explore {}`){tail}",
                cfg.exp.name
            ),
        };
    }
    format!(
        "{head}: lost updates in {} of {n} trials ({}){tail}",
        lossy.len(),
        lost(&lossy)
    )
}
