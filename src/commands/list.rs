//! `race-lab list`: the catalogue — thread experiments, the lessons the compiler refuses,
//! process experiments, litmus tests.

use super::Exit;
use crate::error::Result;
use crate::experiments;
use crate::refused::REFUSED;
use crate::report;
use clap::Args;
use std::io::Write;

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Print JSON (schema race-lab.list/2) instead of the tables.
    #[arg(long)]
    pub json: bool,
}

/// Prints the catalogue.
pub fn execute(a: &ListArgs, out: &mut dyn Write) -> Result<Exit> {
    let thread: Vec<_> = experiments::all().collect();
    if a.json {
        report::list::json(
            out,
            &thread,
            REFUSED,
            experiments::PROCESS,
            experiments::LITMUS,
        )?;
    } else {
        report::list::text(
            out,
            &thread,
            REFUSED,
            experiments::PROCESS,
            experiments::LITMUS,
        )?;
    }
    Ok(Exit::Ok)
}
