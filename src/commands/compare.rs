//! `race-lab compare`: every chosen experiment at every thread count — cost, throughput,
//! lost updates — read against hardware baselines measured in the same run. This module
//! validates the command line into a [`CompareConfig`]; the measuring is in
//! [`crate::compare`], the printing in [`crate::report::compare`] and
//! [`crate::report::plot`].
//!
//! A FORBIDDEN outcome (a fixed version losing updates) prints the report and exits 1.

use super::{validate, Exit};
use crate::compare::{
    self, CompareConfig, Format, Variant, DEFAULT_BATCHES, DEFAULT_ITERS, DEFAULT_THREADS,
    DEFAULT_TRIALS, MAX_THREADS, MAX_THREAD_COUNTS, MAX_TRIALS,
};
use crate::error::{LabError, Result};
use crate::experiment::{Experiment, Opt};
use crate::experiments;
use crate::report;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args, Debug, Default)]
pub struct CompareArgs {
    /// Experiments to compare [default: the counters family, `race-lab list` shows it].
    pub experiments: Vec<String>,
    /// Thread counts, separated by commas [default: 1,2,4,8].
    #[arg(long, short = 't', value_name = "LIST")]
    pub threads: Option<String>,
    /// Increments per thread.
    #[arg(long, short = 'i', default_value_t = DEFAULT_ITERS)]
    pub iters: u64,
    /// Trials per experiment and thread count (the table shows the median).
    #[arg(long, short = 'k', default_value_t = DEFAULT_TRIALS)]
    pub trials: usize,
    /// `channel`'s batch sizes, one row each [default: 1,1024].
    #[arg(long, value_name = "LIST")]
    pub batch: Option<String>,
    /// Print JSON (schema race-lab.compare/2) instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Print CSV instead of the table.
    #[arg(long)]
    pub csv: bool,
    /// Also write an SVG plot: throughput and lost updates vs threads.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

/// Validates the command line into a configuration.
pub fn config(a: &CompareArgs) -> Result<CompareConfig> {
    if a.json && a.csv {
        return Err(LabError::usage(
            "--json and --csv cannot be used together: choose one output format",
        ));
    }
    let mut chosen: Vec<&'static Experiment> = Vec::new();
    for name in &a.experiments {
        let e = validate::experiment(name)?;
        if e.can_hang() {
            return Err(LabError::usage(format!(
                "{} is not a counter experiment to time (it can hang); try `race-lab run {}`",
                e.name, e.name
            )));
        }
        chosen.push(e);
    }
    let mut chosen = validate::once(chosen, |e| e.name);
    if chosen.is_empty() {
        chosen = experiments::all()
            .filter(|e| e.family == "counters")
            .collect();
    }
    let threads = match &a.threads {
        Some(s) => parse_list("--threads", s, MAX_THREADS as u64)?
            .into_iter()
            .map(|t| t as usize)
            .collect(),
        None => DEFAULT_THREADS.to_vec(),
    };
    if threads.len() > MAX_THREAD_COUNTS {
        return Err(LabError::usage(format!(
            "--threads lists {} thread counts; the limit is {MAX_THREAD_COUNTS}",
            threads.len()
        )));
    }
    for e in &chosen {
        for &t in &threads {
            validate::takes_threads(e, t)?;
        }
    }
    let batches = match &a.batch {
        Some(s) => {
            if !chosen.iter().any(|e| e.takes(Opt::Batch)) {
                return Err(LabError::usage(
                    "--batch applies only to channel, which is not among the chosen experiments",
                ));
            }
            parse_list("--batch", s, u64::MAX)?
        }
        None => DEFAULT_BATCHES.to_vec(),
    };
    let iters = a.iters;
    if iters == 0 {
        return Err(LabError::usage(
            "--iters must be at least 1 (with 0 there is nothing to count)",
        ));
    }
    if iters > validate::MAX_ITERS {
        return Err(LabError::usage(format!(
            "--iters {iters} is more than the limit of {}",
            validate::MAX_ITERS
        )));
    }
    validate::within(
        a.trials,
        1,
        MAX_TRIALS,
        format!("--trials must be between 1 and {MAX_TRIALS}"),
    )?;
    let variants: Vec<Variant> = chosen
        .iter()
        .flat_map(|&exp| {
            let bs: Vec<Option<u64>> = if exp.takes(Opt::Batch) {
                batches.iter().map(|&b| Some(b)).collect()
            } else {
                vec![None]
            };
            bs.into_iter().map(move |batch| Variant { exp, batch })
        })
        .collect();
    let work = threads.iter().map(|&t| t as u128).sum::<u128>()
        * iters as u128
        * a.trials as u128
        * variants.len() as u128;
    // An increment costs about 25 ns under contention (an atomic; a mutex up to 100 ns).
    validate::work(
        work as f64 * 25e-9,
        &format!("{work} increments in all"),
        "--iters, --trials or --threads",
    )?;
    let plot = a.plot.as_deref().map(check_plot_path).transpose()?;
    let format = match (a.json, a.csv) {
        (true, _) => Format::Json,
        (_, true) => Format::Csv,
        _ => Format::Text,
    };
    Ok(CompareConfig {
        variants,
        threads,
        iters,
        trials: a.trials,
        format,
        plot,
        progress: format == Format::Text && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        cancel: crate::machine::Cancel::ctrl_c(),
    })
}

/// Parses a list like `1,2,4,8`: sorted, without duplicates, every entry from 1 to `max`.
fn parse_list(flag: &str, s: &str, max: u64) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim) {
        let n: u64 = part.parse().map_err(|_| {
            LabError::usage(format!(
                "bad {flag} '{s}': expected numbers separated by commas, like 1,2,4,8"
            ))
        })?;
        if n == 0 {
            return Err(LabError::usage(format!(
                "bad {flag} '{s}': every entry must be at least 1"
            )));
        }
        if n > max {
            return Err(LabError::usage(format!(
                "bad {flag} '{s}': {n} is more than the limit of {max}"
            )));
        }
        out.push(n);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Refuses a plot path that cannot be written, before anything is measured.
fn check_plot_path(p: &Path) -> Result<PathBuf> {
    let is_svg = p
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if !is_svg {
        return Err(LabError::usage(format!(
            "--plot {}: the plot is an SVG file; name it FILE.svg",
            p.display()
        )));
    }
    if p.is_dir() {
        return Err(LabError::usage(format!(
            "--plot {}: is a directory",
            p.display()
        )));
    }
    let parent = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(LabError::usage(format!(
            "--plot {}: the folder {} does not exist",
            p.display(),
            parent.display()
        )));
    }
    Ok(p.to_path_buf())
}

/// Validates, measures, prints, plots.
pub(crate) fn execute(a: &CompareArgs, out: &mut dyn Write) -> Result<Exit> {
    let cfg = config(a)?;
    if let Some(path) = &cfg.plot {
        // Opened for writing before hours of measuring, not after.
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| {
                LabError::usage(format!(
                    "--plot {}: cannot write there: {e}",
                    path.display()
                ))
            })?;
    }
    let r = compare::run(&cfg);
    match cfg.format {
        Format::Json => report::compare::json(out, &r)?,
        Format::Csv => {
            report::compare::csv(out, &r)?;
            for w in &r.warnings {
                eprintln!("race-lab: {w}");
            }
        }
        Format::Text => report::compare::text(out, &r)?,
    }
    if let Some(path) = &cfg.plot {
        std::fs::write(path, report::plot::svg(&r)?).map_err(|e| {
            LabError::usage(format!("cannot write the plot to {}: {e}", path.display()))
        })?;
        if cfg.format == Format::Text {
            writeln!(out, "plot written to {}", path.display())?;
        }
    }
    if !r.forbidden.is_empty() {
        return Ok(Exit::Failed(format!(
            "FORBIDDEN outcome: {}. This must never happen: it is a bug.",
            r.forbidden.join("; ")
        )));
    }
    Ok(Exit::ok_unless_interrupted(r.interrupted))
}

/// What `compare --plot` draws, for a command that keeps the picture (`report`).
pub(crate) fn plot(a: &CompareArgs) -> Result<String> {
    report::plot::svg(&compare::run(&config(a)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_deduplicated_and_bounded() {
        assert_eq!(parse_list("--threads", "8, 2,2,1", 16).unwrap(), [1, 2, 8]);
        for (s, needle) in [
            ("1,x", "expected numbers"),
            ("0,1", "at least 1"),
            ("1,17", "limit of 16"),
        ] {
            let e = parse_list("--threads", s, 16).unwrap_err();
            assert!(e.message.contains(needle), "{s}: {}", e.message);
        }
    }

    #[test]
    fn a_plot_must_be_an_svg_in_an_existing_folder() {
        assert!(check_plot_path(Path::new("out.svg")).is_ok());
        assert!(check_plot_path(Path::new("out.png")).is_err());
        assert!(check_plot_path(Path::new("/no/such/folder/out.svg")).is_err());
    }
}
