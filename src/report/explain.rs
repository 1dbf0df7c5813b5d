//! `race-lab explain`: an experiment's lesson (its `//!` header) and its source.

use crate::experiment::{Experiment, Opt};
use crate::procs::ProcExperiment;
use std::io::{self, Write};

/// A thread experiment: its lesson, class, defaults, witnesses, and kernel.
pub fn thread(w: &mut dyn Write, e: &Experiment, witnesses: Option<&str>) -> io::Result<()> {
    writeln!(w, "{}\n", e.lesson())?;
    let opts: Vec<&str> = e.options.iter().map(|o: &Opt| o.flag()).collect();
    writeln!(w, "class: {}", e.class.describe())?;
    writeln!(
        w,
        "defaults: --threads {} --iters {}{}",
        e.default_threads,
        e.default_iters,
        if opts.is_empty() {
            String::new()
        } else {
            format!("; also takes {}", opts.join(" "))
        }
    )?;
    if let Some(wit) = witnesses {
        writeln!(w, "{wit}")?;
    }
    writeln!(
        w,
        "\nthe kernel (experiments/{}.rs):\n",
        e.name.replace('-', "_")
    )?;
    writeln!(w, "{}", e.code())
}

/// `race-lab explain` of a process experiment.
pub fn process(w: &mut dyn Write, e: &ProcExperiment) -> io::Result<()> {
    writeln!(w, "claims: {}\n", e.claims.join(", "))?;
    source(
        w,
        e.source,
        &format!("experiments/{}.rs", e.name.replace('-', "_")),
    )
}

/// The lesson (the `//!` header) and then the code of an experiment's source file.
pub fn source(w: &mut dyn Write, source: &str, path: &str) -> io::Result<()> {
    let lesson: Vec<&str> = source
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .collect();
    for l in &lesson {
        writeln!(
            w,
            "{}",
            l.trim_start_matches("//!").strip_prefix(' ').unwrap_or("")
        )?;
    }
    writeln!(w, "\nthe experiment ({path}):\n")?;
    let code: Vec<&str> = source
        .lines()
        .skip(lesson.len())
        .skip_while(|l| l.trim().is_empty())
        .collect();
    writeln!(w, "{}", code.join("\n"))
}
