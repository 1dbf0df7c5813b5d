//! `race-lab report`: one self-contained HTML page of the evidence (`--out FILE.html`),
//! measured afresh — a short native run, explore at the proof size, a failing interleaving
//! found by hunt (or an ordinary one for a fix), the claims, the compare plot — or built from
//! the `--json` outputs saved in a directory (`--from DIR`: `run-<experiment>.json`,
//! `explore-<experiment>.json`, `hunt-<experiment>.json` or `replay-<experiment>.json`,
//! `claims.json`, `compare.svg`; `--save DIR` writes exactly these while measuring).
//!
//! Each measurement is the lab's own command run in this process with `--json`, so a page
//! from saved outputs and a fresh one are the same page. The page is written to a temporary
//! file next to `--out` and renamed at the end: Ctrl-C (exit 130) leaves no half-written file.

mod output;
use super::{validate, Cli, Exit};
use crate::error::{LabError, Result};
use crate::experiment::{Class, Experiment};
use crate::experiments;
use crate::machine;
use crate::report::html::{self, Page, Section};
use clap::{Args, Parser};
use output::{cpu_model, now_utc, write_atomically};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Experiments to report on (default: every thread experiment).
    pub experiments: Vec<String>,
    /// The HTML file to write.
    #[arg(long, value_name = "FILE.html")]
    pub out: PathBuf,
    /// Build the page from the `--json` outputs saved in DIR instead of measuring.
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// While measuring, also save every `--json` output in DIR (for a later `--from DIR`).
    #[arg(long, value_name = "DIR", conflicts_with = "from")]
    pub save: Option<PathBuf>,
    /// Skip the claims (slow to measure); the page says "not measured".
    #[arg(long)]
    pub no_claims: bool,
    /// Leave out the compare plot.
    #[arg(long)]
    pub no_plot: bool,
    /// Searches run at once (each experiment's explorations, hunt and replay), each on its
    /// own thread; what measures real threads (`run`, claims, the plot) runs alone first or
    /// last [default: the CPUs this process may use].
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
}

/// Where the evidence comes from.
enum Source {
    Measure { save: Option<PathBuf> },
    Saved(PathBuf),
}

/// Validated: the experiments, the source, the output.
pub struct ReportConfig {
    experiments: Vec<&'static Experiment>,
    source: Source,
    out: PathBuf,
    claims: bool,
    plot: bool,
    jobs: usize,
}

pub fn config(a: &ReportArgs) -> Result<ReportConfig> {
    let jobs = a.jobs.unwrap_or_else(machine::cpus);
    validate::within(
        jobs,
        1,
        super::verify::MAX_JOBS,
        format!(
            "--jobs must be between 1 and {} (got {jobs})",
            super::verify::MAX_JOBS
        ),
    )?;
    let experiments = if a.experiments.is_empty() {
        experiments::all().collect()
    } else {
        validate::once(
            a.experiments
                .iter()
                .map(|n| validate::experiment(n))
                .collect::<Result<Vec<_>>>()?,
            |e| e.name,
        )
    };
    let dir = a
        .out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(LabError::usage(format!(
            "--out: the directory {} does not exist",
            dir.display()
        )));
    }
    if a.out.file_name().is_none() {
        return Err(LabError::usage("--out must name a file"));
    }
    // The page replaces only a regular file (never a FIFO, a device or a symlink's target),
    // and a place it cannot be written is refused now, before anything is measured.
    if let Ok(meta) = std::fs::symlink_metadata(&a.out) {
        if !meta.file_type().is_file() {
            return Err(LabError::usage(format!(
                "--out: {} exists and is not a regular file; name a new file or a regular one",
                a.out.display()
            )));
        }
    }
    tempfile::Builder::new()
        .prefix(".race-lab-probe-")
        .tempfile_in(dir)
        .map_err(|e| LabError::usage(format!("cannot write {}: {e}", a.out.display())))?;
    let source = match &a.from {
        Some(d) if !d.is_dir() => {
            return Err(LabError::usage(format!(
                "--from: {} is not a directory",
                d.display()
            )))
        }
        Some(d) if !holds_saved_outputs(d) => {
            return Err(LabError::usage(format!(
                "--from: {} holds no saved outputs (`race-lab report --save DIR` writes them)",
                d.display()
            )))
        }
        Some(d) => Source::Saved(d.clone()),
        None => {
            if let Some(s) = &a.save {
                std::fs::create_dir_all(s).map_err(|e| {
                    LabError::usage(format!("--save: cannot create {}: {e}", s.display()))
                })?;
            }
            Source::Measure {
                save: a.save.clone(),
            }
        }
    };
    Ok(ReportConfig {
        experiments,
        source,
        out: a.out.clone(),
        claims: !a.no_claims,
        plot: !a.no_plot,
        jobs,
    })
}

/// Whether `dir` holds at least one output `report --save` writes (a `.json` file).
fn holds_saved_outputs(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "json"))
    })
}

/// Runs one of the lab's commands in this process with these arguments (`--json` among them)
/// and parses what it printed.
fn lab_json(args: &[String]) -> Result<Value> {
    let cli =
        Cli::try_parse_from(std::iter::once("race-lab".to_string()).chain(args.iter().cloned()))
            .map_err(|e| LabError::failed(format!("report: {args:?}: {e}")))?;
    let mut buf = Vec::new();
    let exit =
        crate::machine::embedded(|| super::execute(cli, &mut buf)).unwrap_or_else(Exit::from);
    if let Exit::Interrupted(_) = exit {
        return Err(not_written());
    }
    if buf.is_empty() {
        return Err(LabError::failed(format!(
            "`race-lab {}` printed nothing: {}",
            args.join(" "),
            exit.message().unwrap_or("")
        )));
    }
    serde_json::from_slice(&buf).map_err(|e| {
        LabError::failed(format!(
            "`race-lab {}`: malformed JSON: {e}",
            args.join(" ")
        ))
    })
}

/// As [`lab_json`], run in a child process of the lab.
fn lab_json_in_child(args: &[String], cancel: &crate::machine::Cancel) -> Result<Value> {
    let (status, out, _) = crate::explore::child::lab_in_child(args, cancel, false)?;
    if cancel.requested() || std::os::unix::process::ExitStatusExt::signal(&status) == Some(2) {
        return Err(not_written());
    }
    serde_json::from_slice(&out).map_err(|e| {
        LabError::failed(format!(
            "`race-lab {}` (in a child process, {status}): no JSON report: {e}",
            args.join(" ")
        ))
    })
}

fn not_written() -> LabError {
    LabError::interrupted("interrupted: no report written")
}

/// Measures (or reads) one piece of evidence, `None` (with a note on stderr) if it failed.
struct Gather<'a> {
    cfg: &'a ReportConfig,
    bar: indicatif::ProgressBar,
    cancel: crate::machine::Cancel,
    /// A busy-machine warning, read over all the native runs together.
    busy: std::sync::OnceLock<String>,
}

impl Gather<'_> {
    /// `file` from `--from DIR`, or the command's fresh output (saved with `--save`).
    fn get(&self, file: &str, args: &[String]) -> Result<Option<Value>> {
        self.fetch(file, args, false)
    }

    /// As [`Gather::get`]; `child`: the command runs in a child process of the lab (a run
    /// whose threads may spin forever, which only the end of a process stops).
    fn fetch(&self, file: &str, args: &[String], child: bool) -> Result<Option<Value>> {
        if self.cancel.requested() {
            return Err(not_written());
        }
        match &self.cfg.source {
            Source::Saved(dir) => {
                let path = dir.join(file);
                match std::fs::read(&path) {
                    Ok(bytes) => serde_json::from_slice(&bytes)
                        .map(Some)
                        .map_err(|e| LabError::usage(format!("{}: not JSON: {e}", path.display()))),
                    Err(_) => Ok(None),
                }
            }
            Source::Measure { save } => {
                self.bar.set_message(format!("race-lab {}", args.join(" ")));
                let v = match if child {
                    lab_json_in_child(args, &self.cancel)
                } else {
                    lab_json(args)
                } {
                    Ok(v) => v,
                    Err(e) if e.is_interrupted() => return Err(e),
                    Err(e) => {
                        self.bar.suspend(|| {
                            eprintln!("race-lab: report: {file} not measured: {}", e.message)
                        });
                        return Ok(None);
                    }
                };
                if let Some(dir) = save {
                    let text = serde_json::to_string_pretty(&v).unwrap_or_default();
                    std::fs::write(dir.join(file), text + "\n").map_err(|e| {
                        LabError::usage(format!("--save: cannot write {file}: {e}"))
                    })?;
                }
                Ok(Some(v))
            }
        }
    }
}

fn strings(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

/// The watchdog (seconds) of the report's runs of lessons that can hang. A deadlocked trial
/// is idle time: its threads sleep, and the watchdog only waits to be sure. Working threads
/// use CPU every scheduler tick (10 ms here), so a tenth of a second of none is a deadlock;
/// a spinning hang is called after ten of these (1 s). `run`'s own default is 2 s.
const REPORT_WATCHDOG: &str = "0.1";

/// The report's native run of each lesson: trials and increments per thread. Short, because
/// the runs go one at a time with nothing beside them (a search would skew them); `run`
/// takes the time to show more.
const REPORT_TRIALS: &str = "3";
const REPORT_ITERS: &str = "20000";

/// One experiment's run on real threads: measured alone.
fn measured(g: &Gather, exp: &'static Experiment) -> Result<Option<Value>> {
    let n = exp.name;
    let mut run_args = strings(&[
        "run",
        n,
        "--trials",
        REPORT_TRIALS,
        "--iters",
        REPORT_ITERS,
        "--json",
    ]);
    if exp.can_hang() {
        // Only an experiment that can hang takes the watchdog (`run` refuses it elsewhere).
        run_args.extend(strings(&["--watchdog", REPORT_WATCHDOG]));
    }
    // A spin that never ends keeps its thread until the process ends: such a run gets a
    // process of its own, so that the report's later work keeps every CPU.
    let run = g.fetch(&format!("run-{n}.json"), &run_args, exp.hang_spins)?;
    g.bar.inc(1);
    Ok(run)
}

/// One experiment's evidence: its run (measured before), then its searches — explorations,
/// hunt, replay — which time nothing and may run beside others.
fn section(g: &Gather, exp: &'static Experiment, run: Option<Value>) -> Result<Section> {
    let n = exp.name;
    let (t, i) = (exp.proof.threads.to_string(), exp.proof.iters.to_string());
    // Each search may use `--jobs` threads too, beside the other sections: nearly all are
    // over in milliseconds, and the longest (bounded-buffer-one-cv's proof, 400,000 classes)
    // would otherwise run alone on one core at the end. The search's report is the same for
    // every number of threads.
    let jobs = g.cfg.jobs.to_string();
    let explore = g.get(
        &format!("explore-{n}.json"),
        &strings(&[
            "explore",
            n,
            "--threads",
            &t,
            "--iters",
            &i,
            "--jobs",
            &jobs,
            "--json",
        ]),
    )?;
    g.bar.inc(1);
    // A weak-memory lesson: its execution graph in the rc11 world (the failing one, or for
    // a fix one execution).
    let weak = if exp.weak_memory_lesson() {
        let size = exp.proof;
        let (t, i) = (size.threads.to_string(), size.iters.to_string());
        let mut args = strings(&[
            "explore",
            n,
            "--threads",
            &t,
            "--iters",
            &i,
            "--world",
            "rc11",
            "--jobs",
            &jobs,
            "--json",
        ]);
        if exp.class != Class::Fixed {
            args.push("--first-failure".into());
        }
        g.get(&format!("explore-rc11-{n}.json"), &args)?
    } else {
        None
    };
    // A failing interleaving, shrunk by hunt; a fix has none, so show an ordinary one.
    let mut replay = None;
    let mut note = String::new();
    if exp.class != Class::Fixed {
        if let Some(h) = g.get(
            &format!("hunt-{n}.json"),
            &strings(&["hunt", n, "--threads", &t, "--iters", &i, "--json"]),
        )? {
            if h["found"].as_bool() == Some(true) {
                replay = Some(h["replay"].clone());
                note = format!(
                    "A failing interleaving found by hunt and shrunk to {}.",
                    h["minimal"].as_str().unwrap_or("?")
                );
            } else {
                note = format!(
                    "hunt found no failing schedule: {}",
                    h["verdict"].as_str().unwrap_or("")
                );
            }
        }
    }
    if replay.is_none() {
        let schedule = (0..exp.proof.threads)
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join(",");
        if let Some(mut r) = g.get(
            &format!("replay-{n}.json"),
            &strings(&[
                "replay",
                n,
                "--threads",
                &t,
                "--iters",
                &i,
                "--schedule",
                &schedule,
                "--json",
            ]),
        )? {
            // The envelope keeps the grade and meaning in its one outcome row.
            let row = r["outcomes"][0].clone();
            if let Some(m) = r.as_object_mut() {
                m.entry("grade").or_insert(row["grade"].clone());
                m.entry("meaning").or_insert(row["meaning"].clone());
            }
            replay = Some(r);
            if note.is_empty() {
                note = if exp.class == Class::Fixed {
                    "A fix has no failing interleaving (explore proves it above); here is an ordinary one.".into()
                } else {
                    "An ordinary interleaving.".into()
                };
            }
        }
    }
    if replay.is_none() && note.is_empty() {
        note = "not measured".into();
    }
    g.bar.inc(1);
    let witnesses = crate::witnesses::row(n)
        .map(|r| [r.loom.to_string(), r.miri.to_string(), r.tsan.to_string()]);
    Ok(Section {
        name: n.into(),
        family: exp.family.into(),
        class: exp.class.name().into(),
        summary: exp.summary.into(),
        lesson: exp.lesson(),
        source: exp.code(),
        run,
        explore,
        weak,
        replay,
        replay_note: note,
        witnesses,
    })
}

/// The compare plot: from `compare.svg` in `--from DIR`, or a short compare run.
fn plot(g: &Gather) -> Result<std::result::Result<String, String>> {
    if g.cancel.requested() {
        return Err(not_written());
    }
    match &g.cfg.source {
        Source::Saved(dir) => Ok(std::fs::read_to_string(dir.join("compare.svg"))
            .map_err(|_| format!("no compare.svg in {}", dir.display()))),
        Source::Measure { save } => {
            let names: Vec<&str> = g
                .cfg
                .experiments
                .iter()
                // What each fix of the lost update costs, as `compare` with no names.
                .filter(|e| e.family == "counters")
                .map(|e| e.name)
                .collect();
            if names.is_empty() {
                return Ok(Err("no counter among the experiments chosen".into()));
            }
            // Removed, with the plot in it, when dropped.
            let tmp = match tempfile::Builder::new().prefix("race-lab-plot-").tempdir() {
                Ok(d) => d,
                Err(e) => return Ok(Err(format!("no temporary folder for the plot: {e}"))),
            };
            let svg_path = tmp.path().join("compare.svg");
            let mut args = strings(&["compare"]);
            args.extend(names.iter().map(|s| s.to_string()));
            args.extend(strings(&[
                "--threads",
                "1,2",
                "--iters",
                "100000",
                "--trials",
                "3",
                "--json",
                "--plot",
            ]));
            args.push(svg_path.to_string_lossy().into_owned());
            g.bar.set_message("race-lab compare");
            let measured = lab_json(&args);
            let svg = std::fs::read_to_string(&svg_path);
            drop(tmp);
            match (measured, svg) {
                (Err(e), _) if e.is_interrupted() => Err(e),
                (Err(e), _) => Ok(Err(format!("compare failed: {}", e.message))),
                (Ok(_), Err(e)) => Ok(Err(format!("compare wrote no plot: {e}"))),
                (Ok(_), Ok(svg)) => {
                    if let Some(dir) = save {
                        let _ = std::fs::write(dir.join("compare.svg"), &svg);
                    }
                    Ok(Ok(svg))
                }
            }
        }
    }
}

/// Measures (or reads) everything, renders the page, writes it atomically.
pub fn execute(a: &ReportArgs, out: &mut dyn Write) -> Result<Exit> {
    let cfg = config(a)?;
    let visible = matches!(cfg.source, Source::Measure { .. })
        && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let steps = cfg.experiments.len() as u64 * 3 + u64::from(cfg.claims) + u64::from(cfg.plot);
    let bar = machine::progress_bar(visible, steps, "measuring {pos}/{len}");
    let g = Gather {
        cfg: &cfg,
        bar,
        cancel: crate::machine::Cancel::ctrl_c(),
        busy: std::sync::OnceLock::new(),
    };
    let result = build(&g);
    g.bar.finish_and_clear();
    let (page, interrupted) = match result {
        Ok(p) => p,
        Err(e) if e.is_interrupted() => return Ok(Exit::Interrupted(e.message)),
        Err(e) => return Err(e),
    };
    let text = html::render(&page);
    // A partial page is written on purpose (it says it is partial): only a Ctrl-C that
    // comes while it is written stops that.
    let cancel = if interrupted {
        crate::machine::Cancel::new()
    } else {
        g.cancel.clone()
    };
    write_atomically(&cfg.out, &text, &cancel)?;
    if interrupted {
        writeln!(
            out,
            "wrote {}: partial, interrupted by Ctrl-C (its sections: {} of {} experiments)",
            cfg.out.display(),
            page.sections.len(),
            cfg.experiments.len()
        )?;
        return Ok(Exit::Interrupted(String::new()));
    }
    writeln!(
        out,
        "wrote {} ({} experiments, {:.1} KB)",
        cfg.out.display(),
        page.sections.len(),
        text.len() as f64 / 1024.0
    )?;
    Ok(Exit::Ok)
}

/// Measures (or reads) the page. Ctrl-C stops it between measurements: the page then holds
/// the sections measured so far and says so, and the second value is `true`.
fn build(g: &Gather) -> Result<(Page, bool)> {
    let cfg = g.cfg;
    // Runs on real threads first, one at a time (a search beside them would skew them)...
    let mut runs = Vec::new();
    let meter = machine::CpuMeter::start();
    for &exp in &cfg.experiments {
        match measured(g, exp) {
            Ok(r) => runs.push(r),
            Err(e) if e.is_interrupted() => break,
            Err(e) => return Err(e),
        }
    }
    if matches!(cfg.source, Source::Measure { .. }) {
        if let Some(w) = machine::busy_warning(meter.others()) {
            let w = w.strip_prefix("warning: ").unwrap_or(&w);
            let _ = g.busy.set(format!("warning, during the native runs: {w}"));
        }
    }
    // ...then the searches, `--jobs` at a time, the sections kept in catalogue order.
    let todo: Vec<(&'static Experiment, Option<Value>)> =
        cfg.experiments.iter().copied().zip(runs).collect();
    let mut sections = Vec::new();
    let mut failed = None;
    let work = |(exp, run): &(&'static Experiment, Option<Value>)| section(g, exp, run.clone());
    // The largest proof sizes start first (bounded-buffer-one-cv's 4 × 2 is the longest).
    let cost = |(exp, _): &(&'static Experiment, Option<Value>)| {
        exp.proof.threads as u64 * exp.proof.iters
    };
    let complete = machine::in_parallel(&todo, cfg.jobs, &g.cancel, cost, work, |_, r| match r {
        Ok(s) => {
            sections.push(s);
            true
        }
        Err(e) => {
            if !e.is_interrupted() {
                failed = Some(e);
            }
            false
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let why = "not measured: interrupted by Ctrl-C".to_string();
    // Ctrl-C before the sections were all done, or during the claims or the plot: the page
    // holds what was measured and says it is partial.
    let partial = |sections: Vec<html::Section>, claims, plot| {
        let done = sections.len();
        let mut page = page(g, sections, claims, plot);
        page.provenance = format!(
            "{} — INTERRUPTED by Ctrl-C after {done} of {} experiments: this page is partial",
            page.provenance,
            cfg.experiments.len()
        );
        Ok((page, true))
    };
    if !complete || g.cancel.requested() {
        return partial(sections, Err(why.clone()), Err(why));
    }
    let claims = if !cfg.claims {
        Err("skipped with --no-claims".to_string())
    } else {
        match g.get("claims.json", &strings(&["claims", "--json"])) {
            Err(e) if e.is_interrupted() => return partial(sections, Err(why.clone()), Err(why)),
            c => {
                g.bar.inc(1);
                c?.ok_or_else(|| "no claims.json".to_string())
            }
        }
    };
    let plot = if cfg.plot {
        match plot(g) {
            Err(e) if e.is_interrupted() => return partial(sections, claims, Err(why)),
            p => {
                g.bar.inc(1);
                p?
            }
        }
    } else {
        Err("left out with --no-plot".to_string())
    };
    Ok((page(g, sections, claims, plot), false))
}

/// The page around what was measured.
fn page(
    g: &Gather,
    sections: Vec<html::Section>,
    claims: std::result::Result<serde_json::Value, String>,
    plot: std::result::Result<String, String>,
) -> Page {
    let cfg = g.cfg;
    Page {
        generated: now_utc(),
        provenance: match &cfg.source {
            Source::Measure { .. } => match g.busy.get() {
                Some(w) => format!("measured afresh on this machine ({w})"),
                None => "measured afresh on this machine".into(),
            },
            Source::Saved(d) => format!("built from the outputs saved in {}", d.display()),
        },
        cpus: machine::cpus(),
        cpu_model: cpu_model(),
        witnesses_date: crate::witnesses::produced(crate::witnesses::TABLE)
            .unwrap_or("unknown")
            .to_string(),
        sections,
        claims,
        plot,
    }
}
