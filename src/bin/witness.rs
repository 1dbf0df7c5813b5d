//! `race-lab-witness`: runs one experiment's native kernel once, at a small size, so that an
//! independent race detector (Miri, ThreadSanitizer) can watch it. See `ci/miri.sh` and
//! `ci/tsan.sh`.
//!
//! ```text
//! race-lab-witness <experiment> [threads] [iters]   run the kernel once, print the final value
//! race-lab-witness --list                           the witnessed experiments and their classes
//! ```
//!
//! It does nothing a witness cannot follow: no signal handlers, no CPU pinning, no trials, no
//! child processes — only the kernel's own threads, atomics and locks. Outside Miri
//! the kernel runs on a helper thread, and a watchdog on the main thread reports a kernel
//! that makes no progress within [`WATCHDOG`] (the `deadlock` experiment, whose two threads
//! took their locks in opposite orders) as `deadlocked` with exit code 4 instead of hanging.
//! Under Miri there is no watchdog: Miri sees every thread blocked and reports the deadlock
//! itself.

use race_lab::experiment::{Class, Params};
use race_lab::experiments;
use std::process::ExitCode;

/// How long the kernel may run outside Miri before it is declared deadlocked.
#[cfg(not(miri))]
const WATCHDOG: std::time::Duration = std::time::Duration::from_secs(10);

fn usage() -> ExitCode {
    eprintln!(
        "usage: race-lab-witness <experiment> [threads] [iters]   |   race-lab-witness --list"
    );
    ExitCode::from(2)
}

fn number<T: std::str::FromStr>(arg: Option<&String>, what: &str, default: T) -> Result<T, String> {
    match arg {
        None => Ok(default),
        Some(s) => s
            .parse()
            .map_err(|_| format!("{what} must be a positive whole number, not '{s}'")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(first) = args.first() else {
        return usage();
    };
    if first == "--list" {
        // The witnesses' scope: the counters, every experiment whose bug is a data race
        // (undefined behaviour) — what Miri and ThreadSanitizer exist to see — and the fixes
        // whose lessons say the checkers find them clean.
        for e in experiments::all().filter(|e| e.witnessed_by_checkers()) {
            println!("{}\t{}", e.name, e.class.name());
        }
        return ExitCode::SUCCESS;
    }
    if first.starts_with('-') || args.len() > 3 {
        return usage();
    }
    let Some(exp) = experiments::find(first) else {
        eprintln!("race-lab-witness: unknown experiment '{first}' (--list shows them)");
        return ExitCode::from(2);
    };
    // Small: a witness slows the kernel down by 10x (TSan) to 1000x (Miri). The deadlock
    // experiment does one increment per thread: one chance for the lock orders to collide.
    let (default_threads, default_iters) = match exp.class {
        Class::Deadlock => (2, 1),
        _ => (2, 20),
    };
    let sizes = number(args.get(1), "threads", default_threads)
        .and_then(|t| Ok((t, number(args.get(2), "iters", default_iters)?)));
    let (threads, iters) = match sizes {
        Ok((t, i)) if t >= 1 && i >= 1 && t <= 64 && i <= 1_000_000 => (t, i),
        Ok(_) => {
            eprintln!("race-lab-witness: threads must be 1..=64 and iters 1..=1000000");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("race-lab-witness: {e}");
            return ExitCode::from(2);
        }
    };
    if exp.class == Class::Deadlock && threads < 2 {
        eprintln!("race-lab-witness: deadlock needs at least 2 threads");
        return ExitCode::from(2);
    }
    let p = Params::new(threads, iters);
    let expected = p.expected();
    match run(exp.kernels.native, p) {
        Ok(value) => {
            println!(
                "{}: {threads} threads x {iters} iters -> final value {value} \
                 (expected {expected}; lab class: {})",
                exp.name,
                exp.class.name()
            );
            ExitCode::SUCCESS
        }
        Err(waited) => {
            println!(
                "{}: deadlocked: {threads} threads x {iters} iters made no progress in {waited} s \
                 (race-lab-witness's watchdog)",
                exp.name
            );
            ExitCode::from(4)
        }
    }
}

/// Runs the kernel once: its final value, or the seconds the watchdog waited in vain.
#[cfg(not(miri))]
fn run(kernel: fn(&Params) -> race_lab::experiment::Run, p: Params) -> Result<u64, u64> {
    let (tx, rx) = std::sync::mpsc::channel();
    let helper = std::thread::spawn(move || {
        let _ = tx.send(kernel(&p).value());
    });
    match rx.recv_timeout(WATCHDOG) {
        Ok(value) => {
            // Joined, so no thread outlives main (TSan would wait a second at exit for it).
            let _ = helper.join();
            Ok(value)
        }
        // Not joined: the kernel's threads stay blocked and the process exits without them.
        Err(_) => Err(WATCHDOG.as_secs()),
    }
}

/// Under Miri: the kernel on the main thread, no watchdog (Miri reports a deadlock itself).
#[cfg(miri)]
fn run(kernel: fn(&Params) -> race_lab::experiment::Run, p: Params) -> Result<u64, u64> {
    Ok(kernel(&p).value())
}
