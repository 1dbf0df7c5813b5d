//! The process harness: what every process experiment shares — its declaration
//! ([`ProcExperiment`]) and parameters, the [`Evidence`] it produces (named measures with a
//! value and a unit, a verdict, warnings), timing helpers (threads and children timed
//! together, best of N batches), the median, and grading: the trial loop of counting
//! experiments ([`count_trials`]) and the verdict of one-shot ones ([`Evidence::conclude`]),
//! jcstress style.

use super::children::{Children, Pipes};
use super::protocol::Task;
use crate::error::{LabError, Result};
use serde::{Deserialize, Serialize};

/// A measured quantity, as claims and reports show it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Measure {
    pub name: String,
    pub value: f64,
    pub unit: String,
}

/// What a process (or thread-versus-process) experiment measured.
#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    pub schema: &'static str,
    pub experiment: &'static str,
    pub measures: Vec<Measure>,
    /// Free-form observations ("child 2 killed by signal 6 (SIGABRT)").
    pub notes: Vec<String>,
    /// False if something that must hold did not (a FORBIDDEN outcome).
    pub ok: bool,
    pub verdict: String,
    pub warnings: Vec<String>,
    /// The graded outcomes: each distinct final count of a counting experiment, or the one
    /// outcome of a one-shot check; empty for a pure measurement.
    pub outcomes: Vec<Tally>,
}

/// One graded outcome of a process experiment and how many trials ended with it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tally {
    /// The final count, for a counting experiment.
    pub value: Option<u64>,
    /// The outcome as text (`60000`, `as required`).
    pub label: String,
    pub count: u64,
    pub grade: Grade,
    pub meaning: String,
}

impl Evidence {
    pub fn new(experiment: &'static str) -> Self {
        Evidence {
            schema: "race-lab.evidence/1",
            experiment,
            measures: Vec::new(),
            notes: Vec::new(),
            ok: true,
            verdict: String::new(),
            warnings: Vec::new(),
            outcomes: Vec::new(),
        }
    }

    /// Records a measure; returns its value.
    pub fn push(&mut self, name: impl Into<String>, value: f64, unit: &str) -> f64 {
        self.measures.push(Measure {
            name: name.into(),
            value,
            unit: unit.into(),
        });
        value
    }

    /// Records a yes/no observation as 1 or 0 (unit `bool`); returns it.
    pub fn push_bool(&mut self, name: impl Into<String>, yes: bool) -> bool {
        self.push(name, if yes { 1.0 } else { 0.0 }, "bool");
        yes
    }

    /// The value of the measure called `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.measures
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.value)
    }

    pub fn note(&mut self, s: impl Into<String>) {
        self.notes.push(s.into());
    }

    /// Grades a one-shot experiment by its verdict rule: `ok` is ACCEPTABLE and says `fine`;
    /// anything else is FORBIDDEN and says `details` (the outcome that must never happen).
    pub fn conclude(&mut self, ok: bool, fine: String, details: String) {
        self.ok = ok;
        let (label, grade, meaning) = if ok {
            ("as required", Grade::Acceptable, fine.clone())
        } else {
            ("must never happen", Grade::Forbidden, details.clone())
        };
        self.outcomes = vec![Tally {
            value: None,
            label: label.into(),
            count: 1,
            grade,
            meaning,
        }];
        self.verdict = if ok {
            fine
        } else {
            format!("FORBIDDEN: {}: {details}", self.experiment)
        };
    }
}

/// How `process-shm` increments the shared counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ShmSync {
    /// Volatile read, then write: a data race across processes.
    None,
    /// `fetch_add` on the shared page: exact.
    Atomic,
}

impl ShmSync {
    pub fn name(self) -> &'static str {
        match self {
            ShmSync::None => "none",
            ShmSync::Atomic => "atomic",
        }
    }
}

/// The options of a process experiment.
#[derive(Clone, Debug, Serialize)]
pub struct ProcParams {
    pub procs: usize,
    pub iters: u64,
    pub trials: usize,
    pub sync: ShmSync,
    pub pool: usize,
    pub tasks: usize,
    /// Stops between trials (Ctrl-C, for a command's run).
    #[serde(skip)]
    pub cancel: crate::machine::Cancel,
}

impl Default for ProcParams {
    fn default() -> Self {
        ProcParams {
            procs: 4,
            iters: 100_000,
            trials: 5,
            sync: ShmSync::Atomic,
            pool: 4,
            tasks: 8,
            cancel: crate::machine::Cancel::new(),
        }
    }
}

/// Options only some process experiments take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum POpt {
    Procs,
    Iters,
    Trials,
    Sync,
    Pool,
    Tasks,
}

impl POpt {
    pub fn flag(self) -> &'static str {
        match self {
            POpt::Procs => "--procs",
            POpt::Iters => "--iters",
            POpt::Trials => "--trials",
            POpt::Sync => "--sync",
            POpt::Pool => "--pool",
            POpt::Tasks => "--tasks",
        }
    }
}

/// An experiment about processes (or threads versus processes): it runs on the real OS only
/// — loom and the scheduled world model threads, not processes.
pub struct ProcExperiment {
    pub name: &'static str,
    pub summary: &'static str,
    /// The claims of the study notes it measures.
    pub claims: &'static [&'static str],
    pub options: &'static [POpt],
    pub source: &'static str,
    pub run: fn(&ProcParams) -> Result<Evidence>,
}

impl ProcExperiment {
    pub fn takes(&self, o: POpt) -> bool {
        self.options.contains(&o)
    }
}

/// Runs `task` on `n` threads at once; the wall time until all are done, in seconds.
pub fn threads_wall(n: usize, task: impl Fn() + Sync) -> Result<f64> {
    let (r, t) = timed(|| {
        std::thread::scope(|s| {
            let hs: Vec<_> = (0..n).map(|_| s.spawn(&task)).collect();
            hs.into_iter()
                .try_for_each(|h| h.join().map_err(|_| LabError::failed("a task panicked")))
        })
    });
    r.map(|()| t)
}

/// Starts `n` children doing `task` at once; the wall time until all have exited, in seconds.
pub fn processes_wall(n: usize, task: &Task) -> Result<f64> {
    let (r, t) = timed(|| -> Result<()> {
        let mut kids = Children::new();
        for _ in 0..n {
            kids.spawn_worker(task, Pipes::NONE)?;
        }
        kids.wait_all_ok()
    });
    r.map(|()| t)
}

/// Runs `f` in `batches` batches and keeps the fastest, in seconds: other processes on a
/// shared machine only ever make a batch slower, so the minimum is the closest to the cost.
pub fn best_of(batches: usize, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    let mut best = f64::INFINITY;
    for _ in 0..batches {
        let (r, t) = timed(&mut f);
        r?;
        best = best.min(t);
    }
    Ok(best)
}

/// Times `f`, in seconds.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = std::time::Instant::now();
    let v = f();
    (v, t.elapsed().as_secs_f64())
}

pub use crate::experiment::median;

/// How one outcome is graded: the thread experiments' grades, jcstress style.
pub use crate::experiment::Grade;

/// What [`count_trials`] records, by the names readers (the claims) find it by.
pub const LOSSY: &str = "trials losing updates";
pub const WORST: &str = "worst loss";
pub const COST: &str = "cost (with process start-up)";

/// The measure of trial `t`'s final count (`trial 1 final`; trials count from 1).
pub fn trial_final(t: usize) -> String {
    format!("trial {t} final")
}

/// The trial loop of a counting experiment: `trial` runs once per trial (stopping early on
/// Ctrl-C) and returns the final count, which should be `expected`; `grade` — the
/// experiment's verdict rule — grades each count. Records every trial's count, the trials
/// losing updates, the worst loss and the median cost per increment (process start-up
/// included), and concludes: FORBIDDEN if any count was, else exact or lossy.
pub fn count_trials(
    experiment: &'static str,
    label: &str,
    trials: usize,
    expected: u64,
    grade: impl Fn(u64) -> Grade,
    cancel: &crate::machine::Cancel,
    mut trial: impl FnMut() -> Result<u64>,
) -> Result<Evidence> {
    let mut ev = Evidence::new(experiment);
    let (mut counts, mut ns) = (Vec::new(), Vec::new());
    for t in 0..trials {
        if cancel.requested() {
            ev.note(format!("interrupted after {t} trials"));
            break;
        }
        let (count, secs) = timed(&mut trial);
        let count = match count {
            Ok(c) => c,
            // Ctrl-C reached the workers too: the trials finished so far are the evidence,
            // and the run is interrupted even if the lab's own handler has not yet run.
            Err(e) if e.is_interrupted() => {
                cancel.request();
                ev.note(format!("interrupted after {t} trials"));
                break;
            }
            Err(e) => return Err(e),
        };
        ns.push(secs * 1e9 / expected.max(1) as f64);
        ev.push(trial_final(t + 1), count as f64, "increments");
        counts.push(count);
    }
    let done = counts.len();
    let lossy = counts.iter().filter(|&&c| c < expected).count();
    let worst = counts.iter().map(|&c| expected.saturating_sub(c)).max();
    let worst_pct = 100.0 * worst.unwrap_or(0) as f64 / expected.max(1) as f64;
    ev.push("expected", expected as f64, "increments");
    ev.push(LOSSY, lossy as f64, "trials");
    ev.push(WORST, worst_pct, "%");
    if let Some(m) = median(&ns) {
        ev.push(COST, m, "ns/increment");
    }
    let mut seen: std::collections::BTreeMap<u64, u64> = std::collections::BTreeMap::new();
    for &c in &counts {
        *seen.entry(c).or_default() += 1;
    }
    ev.outcomes = seen
        .into_iter()
        .rev()
        .map(|(c, n)| {
            let g = grade(c);
            let meaning = match g {
                Grade::Acceptable => "exact: no update lost",
                Grade::Interesting => "lost updates: increments overwrote each other",
                Grade::Forbidden => "a count this code cannot produce: a bug",
            };
            Tally {
                value: Some(c),
                label: c.to_string(),
                count: n,
                grade: g,
                meaning: meaning.into(),
            }
        })
        .collect();
    let forbidden = counts.iter().position(|&c| grade(c) == Grade::Forbidden);
    ev.ok = forbidden.is_none();
    ev.verdict = match (forbidden, lossy) {
        (Some(i), _) => format!(
            "FORBIDDEN: {label}: trial {} counted {} of {expected}, a count this code cannot produce",
            i + 1,
            counts[i]
        ),
        (None, _) if done == 0 => format!("{label}: interrupted before a trial finished"),
        (None, 0) => format!("{label}: exact ({expected}) in {done} of {done} trials"),
        (None, k) => format!(
            "{label}: lost updates in {k} of {done} trials (worst {})",
            crate::trace::percent(worst_pct / 100.0)
        ),
    };
    Ok(ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_is_the_middle() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(3.0));
    }

    #[test]
    fn count_trials_grades_every_trial() {
        let grade = |c: u64| match c {
            10 => Grade::Acceptable,
            1..=9 => Grade::Interesting,
            _ => Grade::Forbidden,
        };
        let run = |counts: Vec<u64>| {
            let mut it = counts.into_iter();
            count_trials(
                "t",
                "t 2x5",
                3,
                10,
                grade,
                &crate::machine::Cancel::new(),
                || Ok(it.next().unwrap()),
            )
            .unwrap()
        };
        let exact = run(vec![10, 10, 10]);
        assert!(exact.ok);
        assert_eq!(exact.get("trials losing updates"), Some(0.0));
        assert!(
            exact.verdict.contains("exact (10) in 3 of 3"),
            "{}",
            exact.verdict
        );
        let lossy = run(vec![10, 7, 4]);
        assert!(lossy.ok);
        assert_eq!(lossy.get("trials losing updates"), Some(2.0));
        assert_eq!(lossy.get("worst loss"), Some(60.0));
        assert_eq!(lossy.get("trial 3 final"), Some(4.0));
        let tallies: Vec<(Option<u64>, u64, Grade)> = lossy
            .outcomes
            .iter()
            .map(|t| (t.value, t.count, t.grade))
            .collect();
        assert_eq!(
            tallies,
            [
                (Some(10), 1, Grade::Acceptable),
                (Some(7), 1, Grade::Interesting),
                (Some(4), 1, Grade::Interesting)
            ]
        );
        let bad = run(vec![10, 11, 10]);
        assert!(!bad.ok);
        assert!(
            bad.verdict
                .starts_with("FORBIDDEN: t 2x5: trial 2 counted 11"),
            "{}",
            bad.verdict
        );
    }
}
