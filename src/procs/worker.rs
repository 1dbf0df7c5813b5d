//! The child side of every process experiment: `race-lab __worker '<task>'` arms the
//! parent-death signal, parses its [`Task`] once, and runs it — or, as a pool worker, runs the
//! tasks that arrive on stdin one line at a time. The harness's own tasks (noop, cpu, io,
//! pool) run here; an experiment's task runs through the [`ChildWork`] the CLI hands in. Also
//! the units of work that children and threads alike are made to do.

use super::children::arm_parent_death;
use super::protocol::Task;
use crate::error::{LabError, Result};
use std::io::{BufRead, Write};
use std::time::Duration;

/// The experiments' side of the protocol: runs a task that is not the harness's own
/// (`crate::experiments::run_child`, handed in by the CLI so that `procs` imports nothing
/// from the catalogue above it).
pub type ChildWork = fn(Task) -> Result<()>;

/// `race-lab __worker <args…>`: the child's entry point; returns its exit status.
pub fn worker_main(args: &[String], experiments: ChildWork) -> i32 {
    // Die with the parent, whatever happens to it — and not start at all if it is gone.
    if !arm_parent_death() {
        return 1;
    }
    match Task::from_args(args).and_then(|task| run(task, experiments)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("race-lab worker: {}", e.message);
            e.kind.exit_code()
        }
    }
}

/// Runs one task in this (child) process: the harness's own here, the rest by `experiments`.
fn run(task: Task, experiments: ChildWork) -> Result<()> {
    match task {
        Task::Noop => Ok(()),
        Task::Cpu { units } => {
            cpu_work(units);
            Ok(())
        }
        Task::Io { ms } => {
            io_wait(ms);
            Ok(())
        }
        Task::Pool => pool_worker(experiments),
        other => experiments(other),
    }
}

/// The pool worker loop: one task per line, one answer line after each (`done` or
/// `failed: <why>`); ends when stdin closes.
fn pool_worker(experiments: ChildWork) -> Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let answer = match Task::parse(&line?) {
            Ok(Task::Pool) => Err(LabError::usage("a pool worker cannot serve a pool")),
            Ok(task) => run(task, experiments),
            Err(e) => Err(e),
        };
        match answer {
            Ok(()) => writeln!(out, "done")?,
            Err(e) => writeln!(out, "failed: {}", e.message)?,
        }
        out.flush()?;
    }
    Ok(())
}

/// A deterministic unit of CPU work (about a microsecond): what CPU-bound tasks are made of.
#[inline(never)]
pub fn cpu_work(units: u64) -> u64 {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..units * 400 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    std::hint::black_box(x)
}

/// A simulated blocking I/O call.
pub fn io_wait(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}
