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
    Explore(explore::ExploreArgs),
    Hunt(hunt::HuntArgs),
    Replay(replay::ReplayArgs),
    Claims(claims::ClaimsArgs),
}

impl Ask {
    /// What the progress line says while it runs.
    fn label(&self) -> String {
        let (command, experiment) = match self {
            Ask::Run(a) => ("run", &a.common.experiment),
            Ask::Explore(a) => ("explore", &a.common.experiment),
            Ask::Hunt(a) => ("hunt", &a.common.experiment),
            Ask::Replay(a) => ("replay", &a.common.experiment),
            Ask::Claims(_) => return "race-lab claims".into(),
        };
        match self {
            Ask::Explore(explore::ExploreArgs { world: Some(w), .. }) => {
                format!("race-lab {command} {experiment} --world {}", w.name())
            }
            _ => format!("race-lab {command} {experiment}"),
        }
    }

    /// The command's document, measured in this process as an embedded command (no watcher
    /// of its own ends the process on Ctrl-C: it stops between steps, and `report` reports).
    fn document(&self) -> Result<Value> {
        crate::machine::embedded(|| match self {
            Ask::Run(a) => run::evidence(a),
            Ask::Explore(a) => explore::evidence(a),
            Ask::Hunt(a) => hunt::evidence(a),
            Ask::Replay(a) => replay::evidence(a),
            Ask::Claims(a) => claims::evidence(a),
        })
    }

    /// As [`Ask::document`], in a child process of the lab: a run whose spinning threads
    /// only the end of a process stops.
    fn document_in_child(&self, cancel: &crate::machine::Cancel) -> Result<Value> {
        let Ask::Run(a) = self else {
            return self.document(); // only a run can leave a thread spinning
        };
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
        self.fetch(file, ask, false)
    }

    /// As [`Gather::get`]; `child`: the command runs in a child process of the lab (a run
    /// whose threads may spin forever, which only the end of a process stops).
    pub(super) fn fetch(&self, file: &str, ask: Ask, child: bool) -> Result<Option<Value>> {
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
                let measured = if child {
                    ask.document_in_child(&self.cancel)
                } else {
                    ask.document()
                };
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
