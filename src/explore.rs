//! `race-lab explore`: run an experiment's kernel under loom, over every interleaving (up
//! to an optional preemption bound), and report the outcome distribution, the failing
//! executions as timelines, a data race or a deadlock. With `--world scheduled` (or past
//! loom's four workers) the same report comes from the scheduled world's exhaustive search
//! ([`scheduled`]).
//!
//! loom can abort the whole process when a panic unwinds through a held guard, so the CLI
//! runs each exploration in a child process of the lab ([`explore_isolated`]); the library
//! function [`explore`] does the work in-process.

use crate::error::{panic_message, LabError, QuietPanics, Result};
use crate::experiment::{Class, Experiment, Grade, Opt, Outcome, Params};
use crate::rt::loom_world;
use crate::trace::{self, Event};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub mod scheduled;

/// loom's limit: 5 threads including the main one.
pub const MAX_WORKERS: usize = 4;

/// The two worlds `explore` searches, as reports name them.
pub const WORLD_LOOM: &str = "loom";
pub const WORLD_SCHEDULED: &str = "scheduled";

/// loom's model, in every report of the loom world.
pub const MODEL_LOOM: &str = "the C11/Rust memory model as loom models it (stale reads and data races; SeqCst accesses treated as AcqRel; no load buffering)";

/// Which world `explore` searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum World {
    /// loom: the C11 memory model, at most 4 workers.
    Loom,
    /// The scheduled world: sequentially consistent interleavings, any number of workers.
    Scheduled,
}

/// How often (in executions) loom checks the time cap; loom's default is 20,000.
const CAP_CHECK_INTERVAL: usize = 500;

#[derive(Clone)]
pub struct ExploreConfig {
    pub exp: &'static Experiment,
    pub params: Params,
    pub world: World,
    pub preemptions: Option<usize>,
    pub max_seconds: f64,
    /// Whether the user bounded the time (then a large model is explored in part).
    pub max_seconds_given: bool,
    /// A budget in executions: the search stops there, INCOMPLETE (a verdict that must not
    /// depend on the machine's speed uses this, not seconds).
    pub max_executions: Option<u64>,
    /// The scheduled world lets condvar waiters wake without a notify (as std allows).
    pub spurious_wakeups: bool,
    /// Stop at the first failing execution (a check that only needs one, in a budget of
    /// executions rather than seconds).
    pub first_failure: bool,
    pub show: usize,
}

/// One final value and how many executions reached it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutcomeCount {
    pub value: u64,
    /// The outcome as tables print it (`6`, `in_cs=2, count=5`, `deadlock`).
    #[serde(default)]
    pub label: String,
    /// The outcome as its record of named fields.
    pub outcome: Outcome,
    pub executions: u64,
    pub grade: Grade,
    pub meaning: String,
}

/// One failing execution, as a trace.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Failing {
    pub final_value: u64,
    pub outcome: Outcome,
    pub explanation: String,
    pub events: Vec<EventOut>,
    pub timeline: String,
}

/// An event as it appears in JSON.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventOut {
    pub thread: String,
    pub op: String,
    pub object: String,
    pub value: u64,
    pub stale_latest: Option<u64>,
    pub location: Option<String>,
    /// The event as the timeline shows it ("load a0 → 0").
    pub text: String,
}

impl From<&Event> for EventOut {
    fn from(e: &Event) -> Self {
        let op = serde_json::to_value(e.op)
            .ok()
            .and_then(|v| v.as_str().map(String::from));
        EventOut {
            thread: trace::thread_name(e.thread),
            op: op.unwrap_or_default(),
            object: e.object.clone(),
            value: e.value,
            stale_latest: e.stale_latest,
            location: e.location.clone(),
            text: e.describe(),
        }
    }
}

/// A data race found by loom.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RaceReport {
    /// loom's own message, first line.
    pub loom_message: String,
    /// The access loom stopped and the earlier conflicting one, "T1 write cell at file:line".
    pub accesses: Vec<String>,
    pub summary: String,
    pub events: Vec<EventOut>,
    pub timeline: String,
}

/// A deadlock found by loom.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeadlockReport {
    /// A livelock (the scheduled world's step bound), not a deadlock. Never serialised: the
    /// printers say it in words, and loom's reports (read back from its child) never are.
    #[serde(skip)]
    pub livelock: bool,
    pub loom_message: String,
    /// Each blocked thread and the lock it waits for; with what it holds.
    pub blocked: Vec<String>,
    pub summary: String,
    pub events: Vec<EventOut>,
    pub timeline: String,
}

/// Everything `race-lab explore` found.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExploreReport {
    pub schema: String,
    pub experiment: String,
    /// `loom` or `scheduled`.
    #[serde(default)]
    pub world: String,
    /// The memory model the world explores.
    #[serde(default)]
    pub model: String,
    pub threads: usize,
    pub iters: u64,
    /// The ordering, for experiments that take `--ordering`.
    pub ordering: Option<String>,
    pub preemption_bound: Option<usize>,
    /// Executions explored (the one that stopped on a race or deadlock included).
    pub executions: u64,
    /// True only if loom explored every execution within the bound.
    pub complete: bool,
    /// Why the exploration stopped early, if it did.
    pub stopped: Option<String>,
    pub seconds: f64,
    pub outcomes: Vec<OutcomeCount>,
    pub failing_executions: u64,
    pub failing: Vec<Failing>,
    pub race: Option<RaceReport>,
    pub deadlock: Option<DeadlockReport>,
    pub forbidden: bool,
    pub verdict: String,
}

#[derive(Default)]
struct Collector {
    executions: u64,
    outcomes: BTreeMap<Outcome, u64>,
    /// The shortest failing trace for each outcome.
    failing: BTreeMap<Outcome, Vec<Event>>,
    failing_count: u64,
}

/// The world to explore in: the one asked for, else loom up to its four workers and the
/// scheduled world past them.
pub fn pick_world(asked: Option<World>, p: &Params) -> World {
    asked.unwrap_or(if p.threads > MAX_WORKERS {
        World::Scheduled
    } else {
        World::Loom
    })
}

/// Validates an exploration before it starts.
pub fn check_config(exp: &Experiment, p: &Params, world: World) -> Result<()> {
    if world == World::Scheduled {
        return Ok(());
    }
    if p.threads > MAX_WORKERS {
        return Err(LabError::usage(format!(
            "loom explores at most {MAX_WORKERS} worker threads (5 including main); use `race-lab explore {} --threads {} --world scheduled` for a sequentially consistent proof with more",
            exp.name, p.threads
        )));
    }
    if p.iters > 1000 {
        return Err(LabError::usage(format!(
            "--iters {} is far beyond what loom can explore (executions grow exponentially); lower --iters to 1..=5",
            p.iters
        )));
    }
    Ok(())
}

/// The panic that ends loom's search on Ctrl-C.
const INTERRUPTED_PANIC: &str = "race-lab: interrupted";
/// The panic that ends loom's search at the first failing execution (`first_failure`).
const FOUND_PANIC: &str = "race-lab: found a failing execution";

/// Explores in this process. Prefer [`explore_isolated`] from the CLI.
pub fn explore(cfg: &ExploreConfig) -> Result<ExploreReport> {
    check_config(cfg.exp, &cfg.params, cfg.world)?;
    if cfg.world == World::Scheduled {
        return scheduled::explore(cfg);
    }
    let collector = Arc::new(Mutex::new(Collector::default()));
    let (exp, p) = (cfg.exp, cfg.params.clone());
    let expected = p.expected();
    let c = collector.clone();
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = cfg.preemptions;
    builder.max_duration = Some(Duration::from_secs_f64(cfg.max_seconds));
    builder.checkpoint_interval = CAP_CHECK_INTERVAL;
    builder.max_permutations = cfg.max_executions.map(|n| n as usize);
    builder.max_branches = 100_000;
    let started = Instant::now();
    let first_failure = cfg.first_failure;
    // Set by `explore_isolated` when the user's terminal can show a progress line.
    let progress = std::env::var_os("RACE_LAB_PROGRESS").is_some();
    let last_report = Arc::new(Mutex::new(Instant::now()));
    let model = move || {
        if crate::machine::interrupted() {
            // Ctrl-C: end loom's search here; what was explored so far is reported.
            std::panic::panic_any(INTERRUPTED_PANIC);
        }
        loom_world::begin();
        let n = {
            let mut col = c.lock().unwrap_or_else(|e| e.into_inner());
            col.executions += 1;
            col.executions
        };
        if progress && n % 256 == 0 {
            let mut last = last_report.lock().unwrap_or_else(|e| e.into_inner());
            if last.elapsed() >= Duration::from_millis(500) {
                *last = Instant::now();
                eprint!(
                    "\rexploring: {n} executions, {:.0} s",
                    started.elapsed().as_secs_f64()
                );
            }
        }
        let run = (exp.kernels.loom)(&p);
        let mut rec = loom_world::take();
        exp.name_objects(&mut rec.events);
        let mut col = c.lock().unwrap_or_else(|e| e.into_inner());
        *col.outcomes.entry(run.outcome.clone()).or_default() += 1;
        if exp.grade(&p, Some(&run.outcome)).0 != Grade::Acceptable {
            col.failing_count += 1;
            // Per final value, keep the clearest story: fewest stale reads, then shortest.
            let key = |t: &[Event]| {
                (
                    t.iter().filter(|e| e.stale_latest.is_some()).count(),
                    t.len(),
                )
            };
            let keep = col
                .failing
                .get(&run.outcome)
                .is_none_or(|t| key(&rec.events) < key(t));
            if keep {
                col.failing.insert(run.outcome, rec.events);
            }
            if first_failure {
                drop(col);
                std::panic::panic_any(FOUND_PANIC);
            }
        }
    };
    let quiet = QuietPanics::install();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| builder.check(model)));
    drop(quiet);
    if progress {
        eprint!("\r\x1b[2K");
    }
    let seconds = started.elapsed().as_secs_f64();
    let col = std::mem::take(&mut *collector.lock().unwrap_or_else(|e| e.into_inner()));
    let mut report = ExploreReport {
        schema: "race-lab.explore/1".into(),
        experiment: exp.name.into(),
        world: WORLD_LOOM.into(),
        model: MODEL_LOOM.into(),
        threads: cfg.params.threads,
        iters: cfg.params.iters,
        ordering: exp
            .takes(Opt::Ordering)
            .then(|| cfg.params.ordering.name().into()),
        preemption_bound: cfg.preemptions,
        executions: col.executions,
        complete: false,
        stopped: None,
        seconds,
        outcomes: Vec::new(),
        failing_executions: col.failing_count,
        failing: Vec::new(),
        race: None,
        deadlock: None,
        forbidden: false,
        verdict: String::new(),
    };
    match result {
        Ok(()) => {
            let budget = cfg.max_executions.is_some_and(|n| col.executions >= n);
            let capped = (col.executions as usize + 1) % CAP_CHECK_INTERVAL == 0
                && seconds >= cfg.max_seconds;
            report.complete = !capped && !budget;
            if budget {
                report.stopped = Some(format!(
                    "budget of {} executions reached; the exploration is INCOMPLETE (raise --max-executions, or lower --iters or --threads)",
                    col.executions
                ));
            } else if capped {
                report.stopped = Some(format!(
                    "time cap of {} s reached after {} executions; the exploration is INCOMPLETE (lower --iters or --threads, or bound it with --preemptions 2)",
                    cfg.max_seconds, col.executions
                ));
            }
        }
        Err(payload) => {
            let msg = panic_message(&payload);
            let rec = loom_world::take();
            if msg.contains(FOUND_PANIC) {
                report.stopped = Some(format!(
                    "stopped at the first failing execution (execution {})",
                    col.executions
                ));
            } else if msg.contains(INTERRUPTED_PANIC) {
                report.stopped = Some(format!(
                    "interrupted by Ctrl-C after {} executions",
                    col.executions
                ));
            } else if msg.starts_with("Causality violation") {
                report.race = Some(race_report(&msg, &rec.events));
                report.stopped = Some("loom stopped at the first data race".into());
            } else if msg.starts_with("deadlock") {
                report.deadlock = Some(deadlock_report(&msg, &rec));
                report.stopped = Some("loom stopped at the first deadlock".into());
            } else if msg.contains("maximum number of branches") || msg.contains("max_branches") {
                return Err(LabError::too_large(format!(
                    "the model is too large for loom ({}); lower --iters or --threads, or set --preemptions 2 — a spin loop whose every turn writes (a swap) never looks stuck to loom: explore it with --world scheduled",
                    first_line(&msg)
                )));
            } else {
                return Err(LabError::failed(format!(
                    "loom stopped the exploration after {} executions: {}",
                    col.executions,
                    first_line(&msg)
                )));
            }
        }
    }
    for (o, n) in col.outcomes.iter() {
        let (grade, meaning) = exp.grade(&cfg.params, Some(o));
        report.forbidden |= grade == Grade::Forbidden;
        report.outcomes.push(OutcomeCount {
            value: o.primary(),
            label: o.to_string(),
            outcome: o.clone(),
            executions: *n,
            grade,
            meaning: meaning.into(),
        });
    }
    // One execution per failing final value; the shortest first, then the worst.
    let mut failing: Vec<(&Outcome, &Vec<Event>)> = col.failing.iter().collect();
    failing.sort_by_key(|(o, events)| (events.len(), (*o).clone()));
    report.failing = failing
        .into_iter()
        .take(cfg.show)
        .map(|(o, events)| Failing {
            final_value: o.primary(),
            outcome: o.clone(),
            explanation: if o.is_value() {
                trace::explain_lost_update(events, expected, o.primary()).unwrap_or_default()
            } else {
                String::new()
            },
            events: events.iter().map(EventOut::from).collect(),
            timeline: trace::timeline(events),
        })
        .collect();
    report.verdict = verdict(exp, &cfg.params, &report);
    Ok(report)
}

fn verdict(exp: &Experiment, p: &Params, r: &ExploreReport) -> String {
    let head = format!("{} {}x{}", exp.name, p.threads, p.iters);
    let values = r
        .outcomes
        .iter()
        .map(|o| {
            if o.outcome.is_value() {
                o.value.to_string()
            } else {
                format!("({})", o.label)
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    let sc = r.world == WORLD_SCHEDULED;
    let scope = if r.complete {
        match r.preemption_bound {
            Some(b) => format!(
                "all {} executions with at most {b} preemptions",
                r.executions
            ),
            None if sc && r.executions == 1 => {
                "the only class of sequentially consistent interleavings".to_string()
            }
            None if sc => format!(
                "all {} classes of sequentially consistent interleavings",
                r.executions
            ),
            None => format!("all {} executions", r.executions),
        }
    } else {
        format!("{} executions (INCOMPLETE: not a proof)", r.executions)
    };
    if let Some(race) = &r.race {
        return format!(
            "{head}: DATA RACE after {} executions: {}",
            r.executions, race.summary
        );
    }
    if let Some(d) = &r.deadlock {
        if sc {
            // `deadlock: T0 waits for B; …` → `DEADLOCK: T0 waits for B; …`
            let shout = match d.summary.split_once(':') {
                Some((kind, rest)) => format!("{}:{rest}", kind.to_uppercase()),
                None => d.summary.clone(),
            };
            if d.livelock {
                return format!(
                    "{head}: {shout} (found after {} executions; the search stops at the first livelock)",
                    r.executions
                );
            }
            return format!("{head}: {shout} (found among {scope})");
        }
        return format!(
            "{head}: DEADLOCK after {} executions: {}",
            r.executions, d.summary
        );
    }
    if r.forbidden {
        return format!("FORBIDDEN: {head}: outcomes {{{values}}} over {scope}");
    }
    if r.failing_executions > 0 {
        // What went wrong, in the experiment's words (a counter's: lost updates).
        let what = match exp.judge {
            None => "lost updates",
            Some(_) => r
                .outcomes
                .iter()
                .find(|o| o.grade != Grade::Acceptable)
                .map_or("failures", |o| o.meaning.as_str()),
        };
        return format!(
            "{head}: {what} in {} of {scope}; outcomes {}{{{values}}}",
            r.failing_executions,
            within(r)
        );
    }
    let v = match exp.class {
        Class::Fixed if r.complete && sc => format!(
            "{head}: exact in {scope}; outcomes {{{values}}} — proved for this size under sequential consistency"
        ),
        Class::Fixed if r.complete && r.preemption_bound.is_none() => {
            format!("{head}: exact in {scope}; outcomes {{{values}}} — proved for this size")
        }
        _ => format!("{head}: no failure in {scope}; outcomes {{{values}}}"),
    };
    v.replace("; outcomes {", &format!("; outcomes {}{{", within(r)))
}

/// "within the bound " before an outcome set a preemption bound may have left incomplete.
fn within(r: &ExploreReport) -> &'static str {
    if r.preemption_bound.is_some() {
        "within the bound "
    } else {
        ""
    }
}

fn race_report(msg: &str, events: &[Event]) -> RaceReport {
    let describe = |e: &Event| {
        let what = match e.op {
            trace::Op::RacyRead | trace::Op::Read => "read",
            _ => "write",
        };
        format!(
            "{} {what} of {} at {}",
            trace::thread_name(e.thread),
            e.object,
            e.location.as_deref().unwrap_or("?")
        )
    };
    let stopped = events
        .iter()
        .rev()
        .find(|e| matches!(e.op, trace::Op::RacyRead | trace::Op::RacyWrite));
    let mut accesses = Vec::new();
    let mut summary = first_line(msg).to_string();
    if let Some(s) = stopped {
        let stopped_is_write = s.op == trace::Op::RacyWrite;
        // The conflicting access: the latest access to the same object by another thread
        // that conflicts (a write, or any access if the stopped one is a write).
        let other = events.iter().rev().find(|e| {
            e.thread != s.thread
                && e.object == s.object
                && (stopped_is_write || matches!(e.op, trace::Op::Write | trace::Op::RacyWrite))
                && matches!(e.op, trace::Op::Read | trace::Op::Write)
        });
        accesses.push(describe(s));
        if let Some(o) = other {
            accesses.push(describe(o));
            summary = format!(
                "{} races with {} (no happens-before between them)",
                describe(s),
                describe(o)
            );
        }
    }
    RaceReport {
        loom_message: first_line(msg).to_string(),
        accesses,
        summary,
        events: events.iter().map(EventOut::from).collect(),
        timeline: trace::timeline(events),
    }
}

fn deadlock_report(msg: &str, rec: &loom_world::Recording) -> DeadlockReport {
    let holds = |t: usize| -> Vec<String> {
        let mut held: Vec<String> = Vec::new();
        for e in rec.events.iter().filter(|e| e.thread == t) {
            match e.op {
                trace::Op::Lock => held.push(e.object.clone()),
                trace::Op::Unlock => held.retain(|h| *h != e.object),
                _ => {}
            }
        }
        held
    };
    let blocked: Vec<String> = rec
        .waiting
        .iter()
        .map(|(t, l)| {
            let h = holds(*t);
            let held = if h.is_empty() {
                "nothing".to_string()
            } else {
                h.join(", ")
            };
            format!("{} holds {held} and waits for {l}", trace::thread_name(*t))
        })
        .collect();
    let summary = if blocked.is_empty() {
        first_line(msg).to_string()
    } else {
        blocked.join("; ")
    };
    DeadlockReport {
        livelock: false,
        loom_message: first_line(msg).to_string(),
        blocked,
        summary,
        events: rec.events.iter().map(EventOut::from).collect(),
        timeline: trace::timeline(&rec.events),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// Runs the loom child, passing a Ctrl-C on to it (when the signal reached the lab alone,
/// not its whole process group): the child stops between executions and reports.
fn run_child(mut cmd: std::process::Command) -> Result<std::process::Output> {
    use std::io::Read;
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| LabError::usage(format!("cannot start the loom child process: {e}")))?;
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let mut told = false;
    let status = loop {
        if let Some(status) = child
            .try_wait()
            .map_err(|e| LabError::failed(format!("cannot wait for the loom child: {e}")))?
        {
            break status;
        }
        if crate::machine::interrupted() && !told {
            told = true;
            let pid = nix::unistd::Pid::from_raw(child.id() as i32);
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = reader.join().unwrap_or_default();
    Ok(std::process::Output {
        status,
        stdout,
        stderr: Vec::new(),
    })
}

/// Runs the exploration in a child process of the lab (the hidden `__explore` command), so
/// that nothing loom does — not even an abort — can take the lab down with it.
pub fn explore_isolated(cfg: &ExploreConfig) -> Result<ExploreReport> {
    check_config(cfg.exp, &cfg.params, cfg.world)?;
    if cfg.world == World::Scheduled {
        return scheduled::explore(cfg);
    }
    let exe = std::env::current_exe().map_err(|e| {
        LabError::usage(format!(
            "cannot find the race-lab binary to run loom in: {e}"
        ))
    })?;
    let p = &cfg.params;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("__explore")
        .arg(cfg.exp.name)
        .args(["--threads", &p.threads.to_string()])
        .args(["--iters", &p.iters.to_string()])
        .args(["--max-seconds", &cfg.max_seconds.to_string()])
        .args(["--show", &cfg.show.to_string()]);
    if let Some(n) = cfg.max_executions {
        cmd.args(["--max-executions", &n.to_string()]);
    }
    if cfg.first_failure {
        cmd.arg("--first-failure");
    }
    if cfg.exp.takes(Opt::Ordering) {
        cmd.args(["--ordering", p.ordering.name()]);
    }
    if p.window > 0 {
        cmd.args(["--window", &p.window.to_string()]);
    }
    if p.batch > 1 {
        cmd.args(["--batch", &p.batch.to_string()]);
    }
    if let Some(b) = cfg.preemptions {
        cmd.args(["--preemptions", &b.to_string()]);
    }
    cmd.stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit());
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        cmd.env("RACE_LAB_PROGRESS", "1");
    }
    let out = run_child(cmd)?;
    if !out.status.success() {
        use std::os::unix::process::ExitStatusExt;
        if crate::machine::interrupted() || out.status.signal() == Some(2) {
            return Err(LabError::interrupted(
                "interrupted: the exploration was stopped",
            ));
        }
        if let Some(sig) = out.status.signal() {
            return Err(LabError::failed(format!(
                "loom aborted the exploration (signal {sig}); the lab survived it in its child process"
            )));
        }
        // The child already printed its one-line error.
        return Err(LabError {
            message: String::new(),
            kind: crate::error::ErrorKind::of_exit_code(out.status.code().unwrap_or(1)),
        });
    }
    serde_json::from_slice(&out.stdout).map_err(|e| {
        LabError::failed(format!(
            "the loom child process sent a malformed report: {e}"
        ))
    })
}
