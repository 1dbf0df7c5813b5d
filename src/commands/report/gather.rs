//! How the report has one piece of evidence: one of the lab's own commands, asked with its
//! arguments as values and run through its own validation, engine and JSON document, in
//! this process (or, for a run whose threads may spin forever, in a child process of the
//! lab); or the file `--from DIR` holds. `--save DIR` keeps what was measured.

use super::{ReportConfig, Source};
use crate::commands::{claims, explore, hunt, replay, run};
use crate::error::{LabError, Result};
use serde_json::Value;

/// One of the lab's commands as the report asks for it: the arguments clap builds from its
/// command line, given as values. Its evidence is the document the command prints with
/// `--json`.
pub(super) enum Ask {
    Run(run::RunArgs),
    /// A run whose threads may spin forever, which only the end of a process stops: in a
    /// child process of the lab, so that the report's later work keeps every CPU.
    RunInChild(run::RunArgs),
    Explore(explore::ExploreArgs),
    Hunt(hunt::HuntArgs),
    Replay(replay::ReplayArgs),
    Claims(claims::ClaimsArgs),
}

impl Ask {
    /// What the progress line says while it runs.
    fn label(&self) -> String {
        match self {
            Ask::Run(a) | Ask::RunInChild(a) => format!("race-lab run {}", a.common.experiment),
            Ask::Explore(a) => format!(
                "race-lab explore {}{}",
                a.common.experiment,
                a.world
                    .map_or(String::new(), |w| format!(" --world {}", w.name()))
            ),
            Ask::Hunt(a) => format!("race-lab hunt {}", a.common.experiment),
            Ask::Replay(a) => format!("race-lab replay {}", a.common.experiment),
            Ask::Claims(_) => "race-lab claims".into(),
        }
    }

    /// The command's document: measured in this process as an embedded command (no watcher
    /// of its own ends the process on Ctrl-C: it stops between steps, and `report` reports),
    /// or for [`Ask::RunInChild`] in a child process.
    fn document(&self, cancel: &crate::machine::Cancel) -> Result<Value> {
        crate::machine::embedded(|| match self {
            Ask::Run(a) => run::evidence(a),
            Ask::RunInChild(a) => run_in_child(a, cancel),
            Ask::Explore(a) => explore::evidence(a),
            Ask::Hunt(a) => hunt::evidence(a),
            Ask::Replay(a) => replay::evidence(a),
            Ask::Claims(a) => claims::evidence(a),
        })
    }
}

/// `run`'s document, from a child process of the lab given `a`'s command line.
fn run_in_child(a: &run::RunArgs, cancel: &crate::machine::Cancel) -> Result<Value> {
    let line = a.command_line();
    let (status, out, _) = crate::machine::lab_in_child(&line, cancel, false)?;
    if cancel.requested() || std::os::unix::process::ExitStatusExt::signal(&status) == Some(2) {
        return Err(not_written());
    }
    serde_json::from_slice(&out).map_err(|e| {
        LabError::failed(format!(
            "`race-lab {}` (in a child process, {status}): no JSON report: {e}",
            line.join(" ")
        ))
    })
}

pub(super) fn not_written() -> LabError {
    LabError::interrupted("interrupted: no report written")
}

/// Measures (or reads) one piece of evidence, `None` (with a note on stderr) if it failed.
pub(super) struct Gather<'a> {
    pub(super) cfg: &'a ReportConfig,
    pub(super) bar: indicatif::ProgressBar,
    pub(super) cancel: crate::machine::Cancel,
    /// A busy-machine warning, read over all the native runs together.
    pub(super) busy: std::sync::OnceLock<String>,
}

impl Gather<'_> {
    /// `file` from `--from DIR`, or the command's fresh document (saved with `--save`).
    pub(super) fn get(&self, file: &str, ask: Ask) -> Result<Option<Value>> {
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
                self.bar.set_message(ask.label());
                let measured = ask.document(&self.cancel);
                // An embedded command stopped by Ctrl-C reports what it did; the report
                // keeps none of it.
                if self.cancel.requested() {
                    return Err(not_written());
                }
                let v = match measured {
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
