//! # pool-submit — blocking and non-blocking submission to a pool (C3, C4, C8)
//!
//! **Question.** N tasks of 20 ms each (waiting, like I/O) go to a pool of P workers, first
//! *blocking* (`apply`: submit one, wait for it, submit the next) and then *non-blocking*
//! (`apply_async`: submit all, then wait for all). How long does each take, with a thread
//! pool and with a process pool?
//!
//! **Expect.** Blocking submission is synchronous execution: the tasks queue up, total ≈
//! N × 20 ms however many workers there are. Non-blocking submission lets them run together:
//! total ≈ ⌈N / P⌉ × 20 ms. Threads and processes behave alike here.
//!
//! **Outcomes.** Measured figures; the claims compare them with those two formulas.

use crate::error::Result;
use crate::procs::{
    io_wait, timed, Evidence, POpt, ProcExperiment, ProcParams, ProcessPool, Task, ThreadPool,
};

pub const EXPERIMENT: ProcExperiment = ProcExperiment {
    name: "pool-submit",
    summary:
        "N tasks submitted blocking (apply) vs non-blocking (apply_async), thread and process pools",
    claims: &["C3", "C4", "C8"],
    options: &[POpt::Pool, POpt::Tasks],
    source: include_str!("pool_submit.rs"),
    run,
};

/// Each task waits this long.
pub const TASK_MS: u64 = 20;

// What it measures, by the names the claims (and tests) read it by.
pub const THREAD_APPLY: &str = "thread pool, apply (blocking)";
pub const THREAD_ASYNC: &str = "thread pool, apply_async (non-blocking)";
pub const PROCESS_APPLY: &str = "process pool, apply (blocking)";
pub const PROCESS_ASYNC: &str = "process pool, apply_async (non-blocking)";
pub const SERIAL: &str = "sum of task times (N × 20 ms)";
pub const WAVES: &str = "waves × task time (⌈N/P⌉ × 20 ms)";

fn run(p: &ProcParams) -> Result<Evidence> {
    let mut ev = Evidence::new(EXPERIMENT.name);
    let (n, size) = (p.tasks, p.pool);
    let threads = ThreadPool::new(size)?;
    let (r, t) = timed(|| -> Result<()> {
        for i in 0..n {
            threads.apply(i % size, || io_wait(TASK_MS))?; // submit, then wait: one at a time
        }
        Ok(())
    });
    r?;
    let tb = ev.push(THREAD_APPLY, t * 1e3, "ms");
    let (r, t) = timed(|| -> Result<()> {
        for i in 0..n {
            threads.submit(i % size, || io_wait(TASK_MS))?; // submit them all…
        }
        for i in 0..n {
            threads.wait(i % size)?; // …then wait for them all
        }
        Ok(())
    });
    r?;
    let ta = ev.push(THREAD_ASYNC, t * 1e3, "ms");
    let mut procs = ProcessPool::new(size)?;
    for w in 0..size {
        procs.apply(w, &Task::Noop)?; // every worker is up before timing
    }
    let task = Task::Io { ms: TASK_MS };
    let (r, t) = timed(|| -> Result<()> {
        for i in 0..n {
            procs.apply(i % size, &task)?;
        }
        Ok(())
    });
    r?;
    let pb = ev.push(PROCESS_APPLY, t * 1e3, "ms");
    let (r, t) = timed(|| -> Result<()> {
        for i in 0..n {
            procs.submit(i % size, &task)?;
        }
        for i in 0..n {
            procs.wait(i % size)?;
        }
        Ok(())
    });
    r?;
    let pa = ev.push(PROCESS_ASYNC, t * 1e3, "ms");
    let serial = (n as u64 * TASK_MS) as f64;
    let waves = (n.div_ceil(size) as u64 * TASK_MS) as f64;
    ev.push(SERIAL, serial, "ms");
    ev.push(WAVES, waves, "ms");
    ev.verdict = format!(
        "pool-submit {n} tasks on {size} workers: blocking {tb:.0} / {pb:.0} ms (threads / processes; sum of tasks {serial:.0} ms), non-blocking {ta:.0} / {pa:.0} ms (⌈N/P⌉ × 20 = {waves:.0} ms)"
    );
    Ok(ev)
}
