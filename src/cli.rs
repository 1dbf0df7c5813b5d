//! The command line: clap arguments, validated into configurations, dispatched. Every
//! error is one line on stderr and an exit code, decided in one place ([`main_with`]).

use crate::error::{LabError, Result};
use crate::experiment::{Class, Experiment, Opt, Params};
use crate::experiments;
use crate::explore::{self, ExploreConfig};
use crate::harness::{self, RunConfig};
use crate::hunt;
use crate::machine;
use crate::report;
use crate::rt::MemOrder;
use crate::schedule;
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::time::Duration;

/// The most threads `race-lab run` starts.
pub const MAX_THREADS: usize = 1024;
/// The most increments per thread `race-lab run` performs.
pub const MAX_ITERS: u64 = 10_000_000_000;
/// The most trials.
pub const MAX_TRIALS: usize = 1_000_000;

const SCHEDULE_HELP: &str = "Schedule: the worker to run at each decision point (a moment when two or more workers could go next), \
as indices separated by commas or spaces; TxK repeats worker T K times: `1,1,0,0` = `1x2 0x2`. \
When the schedule runs out, the worker that ran last keeps running.";

#[derive(Parser, Debug)]
#[command(
    name = "race-lab",
    version,
    about = "A race-condition laboratory: see updates get lost, then prove the fixes correct",
    after_help = "Start with: race-lab run unsynced --threads 8   then: race-lab explore racy-atomic --threads 2 --iters 3"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List the experiments.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Run an experiment on real threads: per-trial counts, outcome histogram, verdict, cost.
    Run(RunArgs),
    /// Print an experiment's lesson and its kernel's source.
    Explain { experiment: String },
    /// Model-check an experiment with loom: every interleaving, outcome counts, failing timelines.
    Explore(ExploreArgs),
    /// Run one interleaving, chosen by a schedule, and print its timeline.
    #[command(after_help = SCHEDULE_HELP)]
    Replay(ReplayArgs),
    /// Let proptest search schedules for a failure and shrink it to a minimal one.
    #[command(after_help = SCHEDULE_HELP)]
    Hunt(HuntArgs),
    /// Every experiment at every thread count: cost, throughput, lost updates, against the hardware.
    Compare(CompareArgs),
    /// Memory-model litmus tests (SB, MP, LB): outcome counts on this CPU and under loom.
    Litmus {
        /// Tests to run (default: all): SB, MP, LB.
        tests: Vec<String>,
        /// Memory ordering of the accesses.
        #[arg(long, value_enum, default_value_t = MemOrder::Relaxed)]
        ordering: MemOrder,
        /// Iterations on real threads.
        #[arg(long, short = 'i', default_value_t = 1_000_000)]
        iters: u64,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Measure every claim of the study notes (C1–C23) and give each a verdict.
    Claims {
        /// Claim ids to run (default: all), e.g. C5 C14.
        ids: Vec<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Language of the claims' text.
        #[arg(long, value_enum, default_value_t = Lang::En)]
        lang: Lang,
    },
    /// (internal) explore in a child process and print the report as JSON.
    #[command(name = "__explore", hide = true)]
    ExploreChild(ExploreArgs),
}

/// The language of `race-lab claims`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English (CLAIMS.md).
    En,
    /// The original Chinese of the study notes.
    Zh,
}

/// Options every command that runs a kernel takes.
#[derive(Args, Debug, Clone)]
pub struct Common {
    /// The experiment (see `race-lab list`).
    pub experiment: String,
    /// Worker threads.
    #[arg(long, short = 't')]
    pub threads: Option<usize>,
    /// Increments per thread.
    #[arg(long, short = 'i')]
    pub iters: Option<u64>,
    /// Memory ordering of the atomic accesses (experiments that take it).
    #[arg(long, value_enum)]
    pub ordering: Option<MemOrder>,
    /// Units of busy work between a load and its store (widens the race window).
    #[arg(long)]
    pub window: Option<u32>,
    /// Increments summed locally per message (`channel`).
    #[arg(long)]
    pub batch: Option<u64>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub common: Common,
    /// Trials to run.
    #[arg(long, short = 'k', default_value_t = 10)]
    pub trials: usize,
    /// Run on these CPUs only, e.g. `0` (one CPU: concurrency without parallelism) or `0,1`.
    #[arg(long)]
    pub pin: Option<String>,
    /// Seconds without progress after which a trial is declared deadlocked.
    #[arg(long, default_value_t = 2.0)]
    pub watchdog: f64,
    /// Child processes (process experiments).
    #[arg(long)]
    pub procs: Option<usize>,
    /// How processes increment the shared counter (`process-shm`).
    #[arg(long, value_enum)]
    pub sync: Option<crate::procs::ShmSync>,
    /// Workers in each pool (`pool-submit`).
    #[arg(long)]
    pub pool: Option<usize>,
    /// Tasks to submit or spawn (`pool-submit`, `spawn-cost`).
    #[arg(long)]
    pub tasks: Option<usize>,
}

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

#[derive(Args, Debug)]
pub struct ReplayArgs {
    #[command(flatten)]
    pub common: Common,
    /// The schedule to run (see below).
    #[arg(long, short = 's', allow_hyphen_values = true)]
    pub schedule: String,
    /// Step through the interleaving one operation at a time, with the shared state after
    /// each (on a terminal, Enter shows the next step and q stops).
    #[arg(long)]
    pub step: bool,
}

#[derive(Args, Debug)]
pub struct HuntArgs {
    #[command(flatten)]
    pub common: Common,
    /// Schedules to try before giving up.
    #[arg(long, default_value_t = 1000)]
    pub cases: u32,
    /// Seed of the random generator (the same seed finds the same schedule).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// How schedules are chosen: `random` (proptest generates and shrinks them) or `pct`
    /// (shuttle's probabilistic concurrency testing: random priorities with change points).
    #[arg(long, value_enum, default_value_t = Strategy::Random)]
    pub strategy: Strategy,
    /// PCT's bug depth: how many ordering constraints the failure needs (change points + 1).
    #[arg(long)]
    pub depth: Option<usize>,
}

/// How `hunt` chooses schedules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Strategy {
    /// Uniformly random schedules from proptest, shrunk by proptest.
    Random,
    /// PCT: random priorities with d - 1 priority change points.
    Pct,
}

#[derive(Args, Debug, Default)]
pub struct CompareArgs {
    /// Experiments to compare [default: every counter experiment, i.e. all but deadlock].
    pub experiments: Vec<String>,
    /// Thread counts, separated by commas [default: 1,2,4,8].
    #[arg(long, short = 't', value_name = "LIST")]
    pub threads: Option<String>,
    /// Increments per thread.
    #[arg(long, short = 'i', default_value_t = crate::compare::DEFAULT_ITERS)]
    pub iters: u64,
    /// Trials per experiment and thread count (the table shows the median).
    #[arg(long, short = 'k', default_value_t = crate::compare::DEFAULT_TRIALS)]
    pub trials: usize,
    /// `channel`'s batch sizes, one row each [default: 1,1024].
    #[arg(long, value_name = "LIST")]
    pub batch: Option<String>,
    /// Print JSON (schema race-lab.compare/1) instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Print CSV instead of the table.
    #[arg(long)]
    pub csv: bool,
    /// Also write an SVG plot: throughput and lost updates vs threads.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<std::path::PathBuf>,
}

/// Looks up a thread experiment, suggesting the nearest name.
pub fn experiment(name: &str) -> Result<&'static Experiment> {
    if experiments::find_process(name).is_some() {
        return Err(LabError::usage(format!(
            "{name} runs in several processes; loom and the scheduled world model threads only (use `race-lab run {name}`)"
        )));
    }
    experiments::find(name).ok_or_else(|| {
        let hint = match experiments::nearest(name) {
            Some(n) => format!("; did you mean '{n}'?"),
            None => String::new(),
        };
        LabError::usage(format!(
            "unknown experiment '{name}'{hint} (`race-lab list` shows them all)"
        ))
    })
}

/// Refuses any option in `given` (flag, was it given) that is not among `takes`.
fn refuse_options(name: &str, takes: &[&str], given: &[(&str, bool)]) -> Result<()> {
    match given.iter().find(|(flag, g)| *g && !takes.contains(flag)) {
        None => Ok(()),
        Some((flag, _)) => Err(LabError::usage(format!(
            "{flag} does not apply to {name} ({})",
            if takes.is_empty() {
                "it takes no such options".to_string()
            } else {
                format!("it takes {}", takes.join(", "))
            }
        ))),
    }
}

/// Turns the common options into validated parameters for `exp`.
pub fn params(
    c: &Common,
    exp: &Experiment,
    default_threads: usize,
    default_iters: u64,
    max_threads: usize,
    max_iters: u64,
) -> Result<Params> {
    let threads = c.threads.unwrap_or(default_threads);
    let iters = c.iters.unwrap_or(default_iters);
    if threads == 0 {
        return Err(LabError::usage("--threads must be at least 1"));
    }
    if threads > max_threads {
        return Err(LabError::usage(format!(
            "--threads {threads} is more than this command's limit of {max_threads}"
        )));
    }
    if exp.class == Class::Deadlock && threads < 2 {
        return Err(LabError::usage(
            "deadlock needs at least 2 threads (one per lock order)",
        ));
    }
    if (threads as u64).checked_mul(iters).is_none() {
        return Err(LabError::usage(format!(
            "--threads {threads} × --iters {iters} overflows a 64-bit counter"
        )));
    }
    if iters == 0 {
        return Err(LabError::usage(
            "--iters must be at least 1 (with 0 there is nothing to count)",
        ));
    }
    if iters > max_iters {
        return Err(LabError::usage(format!(
            "--iters {iters} is more than this command's limit of {max_iters}"
        )));
    }
    refuse_options(
        exp.name,
        &exp.options.iter().map(|o| o.flag()).collect::<Vec<_>>(),
        &[
            (Opt::Ordering.flag(), c.ordering.is_some()),
            (Opt::Window.flag(), c.window.is_some()),
            (Opt::Batch.flag(), c.batch.is_some()),
        ],
    )?;
    if let Some(w) = c.window {
        if w > 1_000_000 {
            return Err(LabError::usage("--window must be at most 1000000"));
        }
    }
    if c.batch == Some(0) {
        return Err(LabError::usage("--batch must be at least 1"));
    }
    Ok(Params {
        threads,
        iters,
        ordering: c.ordering.unwrap_or(MemOrder::Seqcst),
        window: c.window.unwrap_or(0),
        batch: c.batch.unwrap_or(1),
    })
}

fn explore_config(a: &ExploreArgs) -> Result<ExploreConfig> {
    let exp = experiment(&a.common.experiment)?;
    let iters = if exp.class == Class::Deadlock { 1 } else { 2 };
    let p = params(&a.common, exp, 2, iters, usize::MAX, u64::MAX)?;
    if !(a.max_seconds > 0.0 && a.max_seconds <= 86_400.0) {
        return Err(LabError::usage("--max-seconds must be between 0 and 86400"));
    }
    explore::check_config(exp, &p)?;
    Ok(ExploreConfig {
        exp,
        params: p,
        preemptions: a.preemptions,
        max_seconds: a.max_seconds,
        show: a.show,
    })
}

/// Runs one parsed command, writing its report to `out`. Returns the exit code.
pub fn execute(cli: Cli, out: &mut dyn Write) -> Result<i32> {
    match cli.command {
        Command::List { json } => {
            if json {
                let mut list: Vec<_> = experiments::all()
                    .map(|e| {
                        serde_json::json!({
                            "name": e.name, "class": e.class, "summary": e.summary,
                            "options": e.options.iter().map(|o| o.flag()).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                list.extend(experiments::PROCESS.iter().map(|e| {
                    serde_json::json!({
                        "name": e.name, "class": "process", "summary": e.summary, "claims": e.claims,
                        "options": e.options.iter().map(|o| o.flag()).collect::<Vec<_>>(),
                    })
                }));
                report::json(
                    out,
                    &serde_json::json!({"schema": "race-lab.list/1", "experiments": list}),
                )?;
            } else {
                report::list(out, &experiments::all().collect::<Vec<_>>())?;
                report::list_process(out, experiments::PROCESS)?;
                let names: Vec<&str> = experiments::LITMUS.iter().map(|t| t.name).collect();
                writeln!(
                    out,
                    "litmus tests ({}): race-lab litmus [TEST…] [--ordering O]",
                    names.join(", ")
                )?;
            }
            Ok(0)
        }
        Command::Explain { experiment: name } => {
            if let Some(t) = experiments::find_litmus(&name) {
                report::explain_source(
                    out,
                    t.source,
                    &format!("experiments/litmus_{}.rs", t.name.to_lowercase()),
                )?;
                return Ok(0);
            }
            if let Some(e) = experiments::find_process(&name) {
                report::explain_process(out, e)?;
                return Ok(0);
            }
            let e = experiment(&name)?;
            let line = crate::witnesses::summary(e.name);
            report::explain(out, e, Some(&line))?;
            Ok(0)
        }
        Command::Run(a) => {
            if let Some(exp) = experiments::find_process(&a.common.experiment) {
                return run_process(exp, &a, out);
            }
            let exp = experiment(&a.common.experiment)?;
            refuse_options(
                exp.name,
                &exp.options.iter().map(|o| o.flag()).collect::<Vec<_>>(),
                &[
                    ("--procs", a.procs.is_some()),
                    ("--sync", a.sync.is_some()),
                    ("--pool", a.pool.is_some()),
                    ("--tasks", a.tasks.is_some()),
                ],
            )?;
            let p = params(
                &a.common,
                exp,
                exp.default_threads,
                exp.default_iters,
                MAX_THREADS,
                MAX_ITERS,
            )?;
            if a.trials == 0 || a.trials > MAX_TRIALS {
                return Err(LabError::usage(format!(
                    "--trials must be between 1 and {MAX_TRIALS}"
                )));
            }
            if !(a.watchdog > 0.0 && a.watchdog <= 3600.0) {
                return Err(LabError::usage(
                    "--watchdog must be between 0 and 3600 seconds",
                ));
            }
            let pin = a.pin.as_deref().map(machine::parse_cpus).transpose()?;
            let cfg = RunConfig {
                exp,
                params: p,
                trials: a.trials,
                pin,
                watchdog: Duration::from_secs_f64(a.watchdog),
                progress: !a.common.json && std::io::IsTerminal::is_terminal(&std::io::stderr()),
            };
            let r = harness::run(&cfg)?;
            if a.common.json {
                report::json(out, &r)?;
            } else {
                report::run(out, &r)?;
            }
            if r.forbidden {
                return Err(LabError::failed(format!(
                    "FORBIDDEN outcome: {} must always count exactly {}, and did not. This is a bug.",
                    exp.name, r.expected
                )));
            }
            Ok(if r.interrupted { 130 } else { 0 })
        }
        Command::Explore(a) => {
            let cfg = explore_config(&a)?;
            let r = explore::explore_isolated(&cfg)?;
            if a.common.json {
                report::json(out, &r)?;
            } else {
                report::explore(out, &r)?;
            }
            Ok(if r.forbidden { 1 } else { 0 })
        }
        Command::Compare(a) => crate::compare::execute(&a, out),
        Command::Litmus {
            tests,
            ordering,
            iters,
            json,
        } => {
            let chosen: Vec<&'static crate::litmus::Litmus> = if tests.is_empty() {
                experiments::LITMUS.to_vec()
            } else {
                tests
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
            let mut reports = Vec::new();
            for t in chosen {
                if machine::interrupted() {
                    break;
                }
                reports.push(crate::litmus::run(t, iters, ordering)?);
            }
            if json {
                report::json(
                    out,
                    &serde_json::json!({"schema": "race-lab.litmus/1", "tests": reports}),
                )?;
            } else {
                for r in &reports {
                    report::litmus(out, r)?;
                }
            }
            Ok(if reports.iter().any(|r| r.forbidden_seen) {
                1
            } else {
                0
            })
        }
        Command::Claims { ids, json, lang } => {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let chosen = crate::claims::select(&ids)?;
            let total = crate::claims::experiments_needed(&chosen).len() as u64;
            let visible = !json && std::io::IsTerminal::is_terminal(&std::io::stderr());
            let bar = machine::progress_bar(visible, total, "{pos}/{len} experiments");
            let meter = machine::CpuMeter::start();
            let results = crate::claims::measure(&chosen, |name| {
                bar.inc(1);
                bar.set_message(name.to_string());
            });
            bar.finish_and_clear();
            let results = results?;
            if json {
                report::json(
                    out,
                    &serde_json::json!({"schema": "race-lab.claims/1", "cpus": machine::cpus(), "claims": results}),
                )?;
            } else {
                report::claims(out, &results, lang == Lang::Zh)?;
                if let Some(w) = machine::busy_warning(meter.others()) {
                    writeln!(out, "{w}")?;
                }
            }
            Ok(0)
        }
        Command::ExploreChild(a) => {
            let _ = nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL);
            let cfg = explore_config(&a)?;
            let r = explore::explore(&cfg)?;
            report::json(out, &r)?;
            Ok(0)
        }
        Command::Replay(a) => {
            let exp = experiment(&a.common.experiment)?;
            let p = params(&a.common, exp, 2, 1, hunt::MAX_WORKERS, hunt::MAX_ITERS)?;
            let s = schedule::parse(&a.schedule, p.threads)?;
            let r = hunt::replay(exp, &p, &s);
            if a.common.json {
                report::json(out, &r)?;
            } else if a.step {
                let interactive = std::io::IsTerminal::is_terminal(&std::io::stdin())
                    && std::io::IsTerminal::is_terminal(&std::io::stdout());
                // On a terminal, wait for Enter between steps; `q` (or end of input) stops.
                let mut pause = |w: &mut dyn Write| -> std::io::Result<bool> {
                    if !interactive {
                        return Ok(true);
                    }
                    write!(w, "          [Enter: next step, q: stop] ")?;
                    w.flush()?;
                    let mut line = String::new();
                    let more = std::io::stdin().read_line(&mut line)? > 0 && line.trim() != "q";
                    if !more {
                        writeln!(w)?;
                    }
                    Ok(more)
                };
                report::step(out, &r, &mut pause)?;
            } else {
                report::replay(out, &r)?;
            }
            Ok(0)
        }
        Command::Hunt(a) => {
            let exp = experiment(&a.common.experiment)?;
            let p = params(&a.common, exp, 2, 2, hunt::MAX_WORKERS, hunt::MAX_ITERS)?;
            let r = match a.strategy {
                Strategy::Random if a.depth.is_some() => {
                    return Err(LabError::usage("--depth applies to --strategy pct only"))
                }
                Strategy::Random => hunt::hunt(exp, &p, a.cases, a.seed)?,
                Strategy::Pct => hunt::hunt_pct(exp, &p, a.cases, a.seed, a.depth.unwrap_or(3))?,
            };
            if a.common.json {
                report::json(out, &r)?;
            } else {
                report::hunt(out, &r)?;
            }
            Ok(if r.interrupted { 130 } else { 0 })
        }
    }
}

/// Parses `args`, runs the command, prints any error as one line; returns the exit code.
pub fn main_with(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    if args.get(1).is_some_and(|a| a == "__worker") {
        // A child process of the lab: no Ctrl-C handler (a Ctrl-C ends it at once).
        let rest: Vec<String> = args[2..]
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        return crate::procs::worker_main(&rest, crate::experiments::run_child);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    2
                } else {
                    0
                };
            }
            eprintln!("race-lab: {}", one_line(&e.render().to_string()));
            return 2;
        }
    };
    if !matches!(cli.command, Command::ExploreChild(_)) {
        // The loom child dies on Ctrl-C; its parent reports the interruption.
        machine::install_ctrlc();
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let code = match execute(cli, &mut out) {
        Ok(code) => code,
        Err(e) if e.message.is_empty() => e.code,
        Err(e) => {
            let _ = out.flush();
            eprintln!("race-lab: {}", e.message);
            e.code
        }
    };
    let _ = out.flush();
    code
}

/// Folds clap's multi-line error into one line: the error, and the possible values if any.
fn one_line(s: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for line in s.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            continue;
        }
        parts.push(line.trim_start_matches("error: ").to_string());
    }
    parts.join(" ")
}

/// `race-lab run` of a process experiment.
fn run_process(
    exp: &'static crate::procs::ProcExperiment,
    a: &RunArgs,
    out: &mut dyn Write,
) -> Result<i32> {
    use crate::procs::{check_procs, POpt, ProcParams};
    let c = &a.common;
    let thread_only = [
        ("--threads", c.threads.is_some()),
        ("--ordering", c.ordering.is_some()),
        ("--window", c.window.is_some()),
        ("--batch", c.batch.is_some()),
        ("--pin", a.pin.is_some()),
    ];
    if let Some((flag, _)) = thread_only.iter().find(|(_, g)| *g) {
        return Err(LabError::usage(format!(
            "{flag} does not apply to {} (a process experiment)",
            exp.name
        )));
    }
    refuse_options(
        exp.name,
        &exp.options.iter().map(|o| o.flag()).collect::<Vec<_>>(),
        &[
            (POpt::Procs.flag(), a.procs.is_some()),
            (POpt::Iters.flag(), c.iters.is_some()),
            (POpt::Sync.flag(), a.sync.is_some()),
            (POpt::Pool.flag(), a.pool.is_some()),
            (POpt::Tasks.flag(), a.tasks.is_some()),
        ],
    )?;
    let d = ProcParams::default();
    let p = ProcParams {
        procs: a.procs.unwrap_or(d.procs),
        iters: c.iters.unwrap_or(d.iters),
        trials: if exp.takes(POpt::Trials) { a.trials } else { 1 },
        sync: a.sync.unwrap_or(d.sync),
        pool: a.pool.unwrap_or(d.pool),
        tasks: a.tasks.unwrap_or(d.tasks),
    };
    check_procs(p.procs, "--procs")?;
    check_procs(p.pool, "--pool")?;
    if p.iters == 0 || p.iters > 1_000_000_000 {
        return Err(LabError::usage(
            "--iters must be between 1 and 1000000000 for process experiments",
        ));
    }
    if (p.procs as u64).checked_mul(p.iters).is_none() {
        return Err(LabError::usage(
            "--procs × --iters overflows a 64-bit counter",
        ));
    }
    if p.tasks == 0 || p.tasks > 10_000 {
        return Err(LabError::usage("--tasks must be between 1 and 10000"));
    }
    if a.trials == 0 || a.trials > 10_000 {
        return Err(LabError::usage(
            "--trials must be between 1 and 10000 for process experiments",
        ));
    }
    let meter = machine::CpuMeter::start();
    let mut ev = (exp.run)(&p)?;
    ev.warnings.extend(machine::busy_warning(meter.others()));
    if c.json {
        report::json(out, &ev)?;
    } else {
        report::evidence(out, &ev)?;
    }
    if !ev.ok {
        return Err(LabError::failed(format!(
            "{} found an outcome that must never happen; this is a bug",
            exp.name
        )));
    }
    Ok(if machine::interrupted() { 130 } else { 0 })
}
