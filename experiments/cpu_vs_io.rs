//! # cpu-vs-io — threads or processes, for CPU-bound and for I/O-bound work (C2, C21, C22)
//!
//! **Question.** N tasks, each either 20 ms of computation or a 20 ms wait, run on N threads
//! or on N processes (N = 1, 2, 4, 8). What speed-up does each give over one?
//!
//! **Expect.** I/O-bound tasks speed up nearly N-fold with threads *and* processes, even past
//! the number of CPUs: waiting uses no CPU. CPU-bound tasks speed up to the number of CPUs
//! and no further — with threads as much as with processes, since Rust has no GIL.
//!
//! **Outcomes.** A speed-up table; the claims read it.

use crate::error::Result;
use crate::procs::{
    cpu_work, io_wait, processes_wall, threads_wall, Evidence, ProcExperiment, ProcParams, Task,
};

pub const EXPERIMENT: ProcExperiment = ProcExperiment {
    name: "cpu-vs-io",
    summary: "CPU-bound and I/O-bound tasks on 1..8 threads and processes: speed-up table",
    claims: &["C2", "C21", "C22"],
    options: &[],
    source: include_str!("cpu_vs_io.rs"),
    run,
};

// What it measures, by the names the claims read it by.
pub const CPU_BOUND: &str = "CPU-bound";
pub const IO_BOUND: &str = "I/O-bound";
pub const THREADS: &str = "threads";
pub const PROCESSES: &str = "processes";

/// The measure of `n` tasks of `kind` on `n` `how` (`THREADS` or `PROCESSES`)
/// (`CPU-bound, 8 threads: speed-up`).
pub fn speedup_label(kind: &str, n: usize, how: &str) -> String {
    format!("{kind}, {n} {how}: speed-up")
}

const CPU_UNITS: u64 = 20_000;
const IO_MS: u64 = 20;

fn threads(n: usize, cpu: bool) -> Result<f64> {
    threads_wall(n, || {
        if cpu {
            cpu_work(CPU_UNITS);
        } else {
            io_wait(IO_MS)
        }
    })
}

fn processes(n: usize, cpu: bool) -> Result<f64> {
    processes_wall(
        n,
        &if cpu {
            Task::Cpu { units: CPU_UNITS }
        } else {
            Task::Io { ms: IO_MS }
        },
    )
}

fn run(_: &ProcParams) -> Result<Evidence> {
    let mut ev = Evidence::new(EXPERIMENT.name);
    for (kind, cpu) in [(CPU_BOUND, true), (IO_BOUND, false)] {
        for (how, f) in [
            (THREADS, threads as fn(usize, bool) -> Result<f64>),
            (PROCESSES, processes),
        ] {
            let one = f(1, cpu)?;
            for n in [1usize, 2, 4, 8] {
                let t = if n == 1 { one } else { f(n, cpu)? };
                ev.push(speedup_label(kind, n, how), n as f64 * one / t, "x");
            }
        }
    }
    let g = |kind, how| ev.get(&speedup_label(kind, 8, how)).unwrap_or(0.0);
    ev.verdict = format!(
        "cpu-vs-io on {} CPUs: CPU-bound 8 threads {:.1}x, 8 processes {:.1}x; I/O-bound 8 threads {:.1}x, 8 processes {:.1}x",
        crate::machine::cpus(),
        g(CPU_BOUND, THREADS),
        g(CPU_BOUND, PROCESSES),
        g(IO_BOUND, THREADS),
        g(IO_BOUND, PROCESSES),
    );
    Ok(ev)
}
