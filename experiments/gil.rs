//! # gil — what a global interpreter lock does to threads (C18, C21, C22)
//!
//! **Question.** CPython runs Python code only while holding the GIL, one global lock, and
//! releases it around blocking I/O. Rust has no GIL — so simulate one: a global lock held
//! while computing (released every ~1 ms, as CPython's switch interval does) and released
//! while waiting. How do CPU-bound and I/O-bound tasks scale on 1, 2, 4 threads, with and
//! without it?
//!
//! **Expect.** With the GIL, CPU-bound threads do not scale at all (speed-up ≈ 1: only the
//! lock holder computes), while I/O-bound threads still scale nearly linearly (they wait
//! without the lock). Without it, CPU-bound threads scale up to the number of CPUs.
//!
//! **Outcomes.** Measured speed-ups; the claims read them.

use crate::error::Result;
use crate::procs::{cpu_work, io_wait, threads_wall, timed, Evidence, ProcExperiment, ProcParams};

pub const EXPERIMENT: ProcExperiment = ProcExperiment {
    name: "gil",
    summary:
        "a simulated global interpreter lock: CPU-bound threads stop scaling, I/O-bound ones don't",
    claims: &["C18", "C21", "C22"],
    options: &[],
    source: include_str!("gil.rs"),
    run,
};

// What it measures, by the names the claims read it by.
pub const CPU_BOUND: &str = "CPU-bound";
pub const IO_BOUND: &str = "I/O-bound";

/// The measure of `n` tasks of `kind` on `n` threads, with or without the GIL
/// (`CPU-bound, with GIL, 4 threads: speed-up`).
pub fn speedup_label(kind: &str, gil: bool, n: usize) -> String {
    let g = if gil { "with GIL" } else { "no GIL" };
    format!("{kind}, {g}, {n} threads: speed-up")
}

static GIL: parking_lot::Mutex<()> = parking_lot::Mutex::new(());

/// CPU work per task, in `cpu_work` units (~20 ms), and the slice done per GIL hold.
const CPU_UNITS: u64 = 20_000;
const SLICE: u64 = 1_000;
const IO_MS: u64 = 20;

fn cpu_task(gil: bool) {
    if !gil {
        cpu_work(CPU_UNITS);
        return;
    }
    let mut done = 0;
    while done < CPU_UNITS {
        let _held = GIL.lock(); // compute only while holding the lock…
        cpu_work(SLICE);
        done += SLICE;
        // …and let it go at the end of each slice, like CPython's switch interval.
    }
}

fn io_task(gil: bool) {
    if gil {
        let _held = GIL.lock();
        cpu_work(20); // a little Python code before the call
    }
    io_wait(IO_MS); // blocking I/O: CPython releases the GIL around it
}

/// Runs `n` tasks on `n` threads; the speed-up over running them one after another.
fn speedup(n: usize, task: fn(bool), gil: bool, single: f64) -> Result<f64> {
    Ok(n as f64 * single / threads_wall(n, || task(gil))?)
}

fn run(_: &ProcParams) -> Result<Evidence> {
    let mut ev = Evidence::new(EXPERIMENT.name);
    let ((), cpu1) = timed(|| cpu_task(false));
    let ((), io1) = timed(|| io_task(false));
    for n in [1, 2, 4] {
        for (kind, task, single) in [
            (CPU_BOUND, cpu_task as fn(bool), cpu1),
            (IO_BOUND, io_task, io1),
        ] {
            for gil in [true, false] {
                let s = speedup(n, task, gil, single)?;
                ev.push(speedup_label(kind, gil, n), s, "x");
            }
        }
    }
    let get = |kind, gil| ev.get(&speedup_label(kind, gil, 4)).unwrap_or(0.0);
    ev.verdict = format!(
        "gil: 4 CPU-bound threads sped up {:.1}x with the GIL, {:.1}x without; 4 I/O-bound threads {:.1}x with it (on {} CPUs)",
        get(CPU_BOUND, true),
        get(CPU_BOUND, false),
        get(IO_BOUND, true),
        crate::machine::cpus()
    );
    Ok(ev)
}
