//! How the report has one piece of evidence: the lab's own command run with `--json`, in
//! this process (or, for a run whose threads may spin forever, in a child process of the
//! lab), or the file `--from DIR` holds; `--save DIR` keeps what was measured.

use super::{ReportConfig, Source};
use crate::commands::{Cli, Exit};
use crate::error::{LabError, Result};
use clap::Parser;
use serde_json::Value;

/// Runs one of the lab's commands in this process with these arguments (`--json` among them)
/// and parses what it printed.
pub(super) fn lab_json(args: &[String]) -> Result<Value> {
    let cli =
        Cli::try_parse_from(std::iter::once("race-lab".to_string()).chain(args.iter().cloned()))
            .map_err(|e| LabError::failed(format!("report: {args:?}: {e}")))?;
    let mut buf = Vec::new();
    let exit = crate::machine::embedded(|| crate::commands::execute(cli, &mut buf))
        .unwrap_or_else(Exit::from);
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
    let (status, out, _) = crate::machine::lab_in_child(args, cancel, false)?;
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
    /// `file` from `--from DIR`, or the command's fresh output (saved with `--save`).
    pub(super) fn get(&self, file: &str, args: &[String]) -> Result<Option<Value>> {
        self.fetch(file, args, false)
    }

    /// As [`Gather::get`]; `child`: the command runs in a child process of the lab (a run
    /// whose threads may spin forever, which only the end of a process stops).
    pub(super) fn fetch(&self, file: &str, args: &[String], child: bool) -> Result<Option<Value>> {
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

pub(super) fn strings(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}
