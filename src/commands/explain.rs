//! `race-lab explain`: an experiment's lesson and its kernel's source, for thread
//! experiments, process experiments and litmus tests alike.

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
}

/// Prints the lesson of the named experiment.
pub fn execute(a: &ExplainArgs, out: &mut dyn Write) -> Result<Exit> {
    let name = &a.experiment;
    if let Some(t) = experiments::find_litmus(name) {
        report::explain::source(
            out,
            t.source,
            &format!("experiments/litmus_{}.rs", t.name.to_lowercase()),
        )?;
    } else if let Some(e) = experiments::find_process(name) {
        report::explain::process(out, e)?;
    } else {
        let e = validate::experiment(name)?;
        let line = crate::witnesses::summary(e.name);
        report::explain::thread(out, e, Some(&line))?;
    }
    Ok(Exit::Ok)
}
