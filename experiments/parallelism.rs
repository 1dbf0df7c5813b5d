//! # parallelism — concurrency on one CPU, parallelism on several (C1, C2, C17)
//!
//! **Question.** Two CPU-bound threads, first both pinned to CPU 0, then free to use every
//! CPU. And the racy counter (`unsynced`, with a window between read and write) on one CPU
//! only. What changes?
//!
//! **Expect.** Pinned to one CPU the threads take turns (concurrency): both finish, in about
//! twice the time of one. Unpinned they run at the same instant on two CPUs (parallelism):
//! about the time of one. And taking turns is enough to lose updates: a thread preempted
//! between its read and its write overwrites everything the other did meanwhile.
//!
//! **Outcomes.** Measured times and lost updates; the claims read them.

use crate::error::{LabError, Result};
use crate::experiment::Params;
use crate::procs::{cpu_work, threads_wall, timed, Evidence, ProcExperiment, ProcParams};

pub const EXPERIMENT: ProcExperiment = ProcExperiment {
    name: "parallelism",
    summary: "CPU-bound threads pinned to one CPU vs all CPUs; the racy counter on one CPU",
    claims: &["C1", "C2", "C17"],
    options: &[],
    source: include_str!("parallelism.rs"),
    run,
};

// What it measures, by the names the claims (and tests) read it by.
pub const ONE: &str = "one CPU-bound thread";
pub const PINNED: &str = "two threads pinned to CPU 0";
pub const FREE: &str = "two threads on all CPUs";
pub const TURNS: &str = "pinned / one (≈2 if they took turns)";
pub const ALL_CPUS: &str = "speed-up of all CPUs over one CPU";
pub const PINNED_LOSSY: &str =
    "unsynced 2x1000000 --window 100 on CPU 0: trials losing updates (of 3)";

const UNITS: u64 = 50_000;

/// Runs `f` on a helper thread restricted to `cpus` (threads it spawns inherit that).
fn on_cpus<T: Send + 'static>(
    cpus: Option<Vec<usize>>,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    std::thread::spawn(move || -> Result<T> {
        if let Some(c) = cpus {
            crate::machine::pin(&c)?;
        }
        Ok(f())
    })
    .join()
    .map_err(|_| LabError::failed("helper thread panicked"))?
}

fn two_threads() -> Result<f64> {
    threads_wall(2, || {
        cpu_work(UNITS);
    })
}

fn run(_: &ProcParams) -> Result<Evidence> {
    let mut ev = Evidence::new(EXPERIMENT.name);
    let one = on_cpus(None, || timed(|| cpu_work(UNITS)).1)?;
    let pinned = on_cpus(Some(vec![0]), two_threads)??;
    let free = on_cpus(None, two_threads)??;
    ev.push(ONE, one * 1e3, "ms");
    ev.push(PINNED, pinned * 1e3, "ms");
    ev.push(FREE, free * 1e3, "ms");
    ev.push(TURNS, pinned / one, "x");
    let speedup = ev.push(ALL_CPUS, pinned / free, "x");
    let exp = &crate::experiments::unsynced::EXPERIMENT;
    let p = Params {
        threads: 2,
        iters: 1_000_000,
        window: 100,
        ..Params::new(2, 1)
    };
    let mut lossy = 0;
    for _ in 0..3 {
        let q = p.clone();
        let run = on_cpus(Some(vec![0]), move || (exp.kernels.native)(&q))?;
        if run.value() < p.expected() {
            lossy += 1;
        }
    }
    ev.push(PINNED_LOSSY, lossy as f64, "trials");
    ev.push("CPUs", crate::machine::cpus() as f64, "CPUs");
    ev.verdict = format!(
        "parallelism: two CPU-bound threads took {:.0} ms on one CPU (taking turns: {:.1}x one thread) and {:.0} ms on all CPUs ({speedup:.1}x faster); the racy counter on one CPU lost updates in {lossy} of 3 trials",
        pinned * 1e3,
        pinned / one,
        free * 1e3
    );
    Ok(ev)
}
