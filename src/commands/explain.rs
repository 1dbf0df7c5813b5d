//! `race-lab explain`: an experiment's lesson and its kernel's source, for thread
//! experiments, process experiments and litmus tests alike, and the lessons the compiler
//! teaches by refusing a program (`experiments/refused/`).

use super::{validate, Exit};
use crate::error::Result;
use crate::experiments;
use crate::report;
use clap::Args;
use std::io::Write;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The experiment or litmus test (see `race-lab list`).
    pub experiment: String,
    /// Print JSON (schema race-lab.explain/2) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Prints the lesson of the named experiment.
pub fn execute(a: &ExplainArgs, out: &mut dyn Write) -> Result<Exit> {
    let name = &a.experiment;
    if let Some(t) = experiments::find_litmus(name) {
        if a.json {
            report::explain::litmus_json(out, t)?;
        } else {
            report::explain::source(
                out,
                t.source,
                &format!("experiments/litmus_{}.rs", t.name.to_lowercase()),
            )?;
        }
    } else if let Some(e) = validate::find_process(name) {
        if a.json {
            report::explain::process_json(out, e)?;
        } else {
            report::explain::process(out, e)?;
        }
    } else if let Some(r) = crate::refused::find(name) {
        if a.json {
            report::explain::refused_json(out, r)?;
        } else {
            report::explain::refused(out, r)?;
        }
    } else {
        let e = validate::experiment(name)?;
        if a.json {
            report::explain::thread_json(out, e)?;
        } else {
            let line = crate::witnesses::summary(e.name);
            report::explain::thread(out, e, Some(&line))?;
        }
    }
    Ok(Exit::Ok)
}
