//! The checks several commands share: looking up an experiment by name, refusing options an
//! experiment does not take, and turning the common options into validated [`Params`].

use super::Common;
use crate::error::{LabError, Result};
use crate::experiment::{Class, Experiment, Opt, Params};
use crate::experiments;
use crate::rt::MemOrder;

/// The most increments per thread `race-lab run` (and `compare`) performs.
pub const MAX_ITERS: u64 = 10_000_000_000;

/// Looks up a thread experiment (any case), suggesting the nearest name.
/// `items` with each named once, in the order first named: a name given twice runs once
/// (`verify atomic atomic` runs each check once).
pub fn once<T: ?Sized>(items: Vec<&'static T>, name: impl Fn(&T) -> &str) -> Vec<&'static T> {
    let mut out: Vec<&'static T> = Vec::with_capacity(items.len());
    for x in items {
        if !out.iter().any(|y| name(y) == name(x)) {
            out.push(x);
        }
    }
    out
}

pub fn experiment(name: &str) -> Result<&'static Experiment> {
    if let Some(p) = find_process(name) {
        return Err(LabError::usage(format!(
            "{} runs in several processes; loom and the scheduled world model threads only (use `race-lab run {}`)",
            p.name, p.name
        )));
    }
    experiments::find(name).ok_or_else(|| unknown(name))
}

/// Looks up a process experiment by name (any case).
pub fn find_process(name: &str) -> Option<&'static crate::procs::ProcExperiment> {
    experiments::PROCESS
        .iter()
        .copied()
        .find(|e| e.name.eq_ignore_ascii_case(name))
}

/// The refusal of a name that is no experiment: a litmus test points to `litmus`, a close
/// name gets a "did you mean", anything else the list.
pub fn unknown(name: &str) -> LabError {
    if let Some(t) = experiments::find_litmus(name) {
        return LabError::usage(format!(
            "{} is a litmus test, not an experiment: try `race-lab litmus {}`",
            t.name, t.name
        ));
    }
    let hint = match nearest(name) {
        Some(n) => format!("; did you mean '{n}'?"),
        None => String::new(),
    };
    LabError::usage(format!(
        "unknown experiment '{name}'{hint} (`race-lab list` shows them all)"
    ))
}

/// The known name nearest to `name`, only when it is close: at most a third of its letters
/// off (one for short names), or containing it whole (three letters at least).
pub fn nearest(name: &str) -> Option<&'static str> {
    nearest_of(
        name,
        experiments::all()
            .map(|e| e.name)
            .chain(experiments::PROCESS.iter().map(|e| e.name)),
    )
}

/// The candidate nearest to `name` (any case), only when it is close.
pub fn nearest_of<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let low = name.to_lowercase();
    if low.trim().is_empty() {
        return None;
    }
    let allowed = (low.chars().count() / 3).max(1);
    candidates
        .map(|n| (strsim::damerau_levenshtein(&low, &n.to_lowercase()), n))
        .filter(|(d, n)| *d <= allowed || (low.len() >= 3 && n.to_lowercase().contains(&low)))
        .min()
        .map(|(_, n)| n)
}

/// Refuses any option in `given` (flag, was it given) that is not among `takes`.
pub fn refuse_options(name: &str, takes: &[&str], given: &[(&str, bool)]) -> Result<()> {
    match given.iter().find(|(flag, g)| *g && !takes.contains(flag)) {
        None => Ok(()),
        Some((flag, _)) => Err(LabError::usage(format!(
            "{flag} does not apply to {name} ({})",
            if takes.is_empty() {
                "it takes no such options".to_string()
            } else {
                format!("it takes {}", takes.join(", "))
            }
        ))),
    }
}

/// The flags an experiment takes.
pub fn flags_of(exp: &Experiment) -> Vec<&'static str> {
    exp.options.iter().map(|o| o.flag()).collect()
}

/// A command's defaults and limits for the common options.
pub struct Limits {
    pub default_threads: usize,
    pub default_iters: u64,
    pub max_threads: usize,
    pub max_iters: u64,
}

/// Refuses a thread count outside the ones `exp`'s kernel takes (Peterson's lock: exactly 2).
pub fn takes_threads(exp: &Experiment, threads: usize) -> Result<()> {
    let (lo, hi) = exp.threads;
    if (lo..=hi).contains(&threads) {
        return Ok(());
    }
    Err(LabError::usage(if lo == hi {
        format!("{} takes exactly {lo} threads (not {threads})", exp.name)
    } else if hi == usize::MAX {
        format!("{} takes at least {lo} threads (not {threads})", exp.name)
    } else {
        format!("{} takes {lo} to {hi} threads (not {threads})", exp.name)
    }))
}

/// Turns the common options into validated parameters for `exp`.
pub fn params(c: &Common, exp: &Experiment, l: &Limits) -> Result<Params> {
    let threads = c.threads.unwrap_or(l.default_threads);
    let iters = c.iters.unwrap_or(l.default_iters);
    if threads == 0 || threads > l.max_threads {
        return Err(LabError::usage(format!(
            "--threads must be between 1 and {} for this command (got {threads})",
            l.max_threads
        )));
    }
    takes_threads(exp, threads)?;
    if exp.class == Class::Deadlock && threads < 2 {
        return Err(LabError::usage(format!(
            "{} needs at least 2 threads: a thread alone never waits for another",
            exp.name
        )));
    }
    if (threads as u64).checked_mul(iters).is_none() {
        return Err(LabError::usage(format!(
            "--threads {threads} × --iters {iters} overflows a 64-bit counter"
        )));
    }
    if iters == 0 {
        return Err(LabError::usage(format!(
            "--iters must be between 1 and {} (with 0 there is nothing to count)",
            l.max_iters
        )));
    }
    if iters > l.max_iters {
        return Err(LabError::usage(format!(
            "--iters must be between 1 and {}: {iters} is more than this command's limit of {}",
            l.max_iters, l.max_iters
        )));
    }
    refuse_options(
        exp.name,
        &flags_of(exp),
        &[
            (Opt::Ordering.flag(), c.ordering.is_some()),
            (Opt::Window.flag(), c.window.is_some()),
            (Opt::Batch.flag(), c.batch.is_some()),
        ],
    )?;
    if let Some(w) = c.window {
        if w > 1_000_000 {
            return Err(LabError::usage(format!(
                "--window must be between 0 and 1000000 (got {w})"
            )));
        }
    }
    if let Some(b) = c.batch {
        within(
            b,
            1,
            MAX_ITERS,
            format!("--batch must be between 1 and {MAX_ITERS} (got {b})"),
        )?;
    }
    Ok(Params {
        threads,
        iters,
        ordering: c.ordering.unwrap_or(MemOrder::Seqcst),
        window: c.window.unwrap_or(0),
        batch: c.batch.unwrap_or(1),
    })
}

/// Refuses a number outside `lo..=hi` with `message`.
pub fn within<T: PartialOrd>(x: T, lo: T, hi: T, message: impl Into<String>) -> Result<()> {
    if x < lo || x > hi {
        return Err(LabError::usage(message));
    }
    Ok(())
}

/// The most work one command may be asked for, in seconds on a 2-core machine: past it,
/// the command is refused before it starts, with the flag to lower.
pub const MAX_WORK_SECONDS: f64 = 600.0;

/// Refuses `what` when its estimated cost, `seconds` on a 2-core machine, is past
/// [`MAX_WORK_SECONDS`] (the estimates are upper bounds from costs measured on one: a
/// scheduled step about a microsecond, a contended increment about 25 ns).
pub fn work(seconds: f64, what: &str, lower: &str) -> Result<()> {
    if seconds <= MAX_WORK_SECONDS {
        return Ok(());
    }
    let took = if seconds < 3.0 * 3600.0 {
        format!("about {:.0} minutes", seconds / 60.0)
    } else {
        format!("about {:.0} hours", seconds / 3600.0)
    };
    Err(LabError::usage(format!(
        "{what} is {took} of work, past the limit of {:.0} minutes: lower {lower}",
        MAX_WORK_SECONDS / 60.0
    )))
}

/// Refuses seconds that are not in `(0, max]` (NaN included) with `message`.
pub fn seconds(s: f64, max: f64, message: &str) -> Result<()> {
    if !(s > 0.0 && s <= max) {
        return Err(LabError::usage(message));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common(threads: Option<usize>, iters: Option<u64>) -> Common {
        Common {
            experiment: "atomic".into(),
            threads,
            iters,
            ordering: None,
            window: None,
            batch: None,
            json: false,
        }
    }

    const LIMITS: Limits = Limits {
        default_threads: 2,
        default_iters: 3,
        max_threads: 8,
        max_iters: 100,
    };

    #[test]
    fn params_take_defaults_and_refuse_what_is_out_of_bounds() {
        let exp = experiment("atomic").unwrap();
        let p = params(&common(None, None), exp, &LIMITS).unwrap();
        assert_eq!((p.threads, p.iters), (2, 3));
        for (t, i, needle) in [
            (Some(0), None, "between 1 and 8"),
            (Some(9), None, "between 1 and 8"),
            (None, Some(0), "--iters must be between 1 and 100"),
            (None, Some(101), "between 1 and 100"),
        ] {
            let e = params(&common(t, i), exp, &LIMITS).unwrap_err();
            assert_eq!(e.kind, crate::error::ErrorKind::Usage);
            assert!(e.message.contains(needle), "{}", e.message);
        }
    }

    #[test]
    fn unknown_and_process_experiments_are_refused_with_a_hint() {
        let e = experiment("mutx").err().expect("refused");
        assert!(e.message.contains("did you mean 'mutex'"), "{}", e.message);
        if let Some(p) = experiments::PROCESS.first() {
            let e = experiment(p.name).err().expect("refused");
            assert!(e.message.contains("race-lab run"), "{}", e.message);
        }
    }

    #[test]
    fn within_and_seconds_refuse_the_edges() {
        assert!(within(1, 1, 3, "x").is_ok() && within(3, 1, 3, "x").is_ok());
        assert!(within(0, 1, 3, "x").is_err() && within(4, 1, 3, "x").is_err());
        assert!(seconds(1.0, 2.0, "x").is_ok());
        for s in [0.0, -1.0, 2.5, f64::NAN] {
            assert!(seconds(s, 2.0, "x").is_err(), "{s}");
        }
    }
}
