//! `race-lab report`: one self-contained HTML page of the evidence (`--out FILE.html`),
//! measured afresh — a short native run, explore at the proof size, a failing interleaving
//! found by hunt (or an ordinary one for a fix), the claims, the compare plot — or built from
//! the `--json` outputs saved in a directory (`--from DIR`: `run-<experiment>.json`,
//! `explore-<experiment>.json`, `hunt-<experiment>.json` or `replay-<experiment>.json`,
//! `claims.json`, `compare.svg`; `--save DIR` writes exactly these while measuring).
//!
//! Each measurement is the lab's own command, asked with its arguments as values and run in
//! this process: the document it prints with `--json`, so a page from saved outputs and a
//! fresh one are the same page. The page is written to a temporary
//! file next to `--out` and renamed at the end: Ctrl-C (exit 130) leaves no half-written file.

mod evidence;
mod gather;
mod output;
use super::{validate, Exit};
use crate::error::{LabError, Result};
use crate::experiment::Experiment;
use crate::experiments;
use crate::machine;
use crate::report::html::{self, Page};
use clap::Args;
use evidence::{measured, plot, section};
use gather::{not_written, Ask, Gather};
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
        let all = crate::commands::claims::ClaimsArgs {
            ids: Vec::new(),
            json: true,
            lang: crate::commands::claims::Lang::En,
        };
        match g.get("claims.json", Ask::Claims(all)) {
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
