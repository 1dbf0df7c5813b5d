//! # spawn-cost — what it costs to start a thread, a process, and to reuse either (C8, C12, C16)
//!
//! **Question.** How long does it take to create and join a thread? To start and reap a
//! process (a tiny program, and a re-execution of the lab itself)? And to hand a task to a
//! pool of threads or processes created once and reused?
//!
//! **Expect.** A thread costs tens of microseconds (a stack mapping, a `clone`); a process
//! costs hundreds of microseconds to milliseconds (a new address space, `exec`, loading the
//! program) — an order of magnitude or more. A pool pays that once: a task handed to a live
//! worker costs a few microseconds (thread) or tens (process: two pipe writes and reads).
//!
//! **Outcomes.** Measured figures (the fastest of five batches each), no grades: the
//! claims read the ratios.

use crate::error::Result;
use crate::procs::{
    best_of, Children, Evidence, POpt, Pipes, ProcExperiment, ProcParams, ProcessPool, Task,
    ThreadPool,
};
use std::process::Command;

pub const EXPERIMENT: ProcExperiment = ProcExperiment {
    name: "spawn-cost",
    summary: "create+join a thread vs a process vs a re-exec of the lab, and a reused pool of each",
    claims: &["C8", "C12", "C16"],
    options: &[POpt::Tasks],
    source: include_str!("spawn_cost.rs"),
    run,
};

// What it measures, by the names the claims (and tests) read it by.
pub const THREAD: &str = "thread spawn+join";
pub const PROCESS: &str = "process spawn+wait (true)";
pub const REEXEC: &str = "re-exec of race-lab (worker)";
pub const THREAD_POOL: &str = "task on a reused thread pool";
pub const PROCESS_POOL: &str = "task on a reused process pool";
pub const PROCESS_VS_THREAD: &str = "process / thread creation";
pub const PROCESS_REUSE: &str = "new process / reused process";
pub const THREAD_REUSE: &str = "new thread / reused thread";

/// Each figure is the fastest of this many batches (see `best_of`).
const BATCHES: usize = 5;

fn run(p: &ProcParams) -> Result<Evidence> {
    let mut ev = Evidence::new(EXPERIMENT.name);
    let n = p.tasks.max(1) as f64;
    let tasks = p.tasks.max(1);
    let t = best_of(BATCHES, || {
        for _ in 0..tasks * 10 {
            let _ = std::thread::spawn(|| {}).join();
        }
        Ok(())
    })?;
    let thread_us = ev.push(THREAD, t / (n * 10.0) * 1e6, "µs");
    // A tiny program, then the lab itself re-executed as a worker.
    let spawn_wait = |lab: bool| {
        best_of(BATCHES, || {
            for _ in 0..tasks {
                let mut kids = Children::new();
                let i = if lab {
                    kids.spawn_worker(&Task::Noop, Pipes::NONE)?
                } else {
                    kids.spawn(Command::new("true"), Pipes::NONE)?
                };
                kids.wait(i)?;
            }
            Ok(())
        })
    };
    let proc_us = ev.push(PROCESS, spawn_wait(false)? / n * 1e6, "µs");
    let t = spawn_wait(true)?;
    ev.push(REEXEC, t / n * 1e6, "µs");
    let pool = ThreadPool::new(1)?;
    let t = best_of(BATCHES, || {
        for _ in 0..tasks * 10 {
            pool.apply(0, || {})?;
        }
        Ok(())
    })?;
    let tpool_us = ev.push(THREAD_POOL, t / (n * 10.0) * 1e6, "µs");
    let mut ppool = ProcessPool::new(1)?;
    ppool.apply(0, &Task::Noop)?; // the worker is up
    let t = best_of(BATCHES, || {
        for _ in 0..tasks * 10 {
            ppool.apply(0, &Task::Noop)?;
        }
        Ok(())
    })?;
    let ppool_us = ev.push(PROCESS_POOL, t / (n * 10.0) * 1e6, "µs");
    let ratio = ev.push(PROCESS_VS_THREAD, proc_us / thread_us, "x");
    ev.push(PROCESS_REUSE, proc_us / ppool_us, "x");
    ev.push(THREAD_REUSE, thread_us / tpool_us, "x");
    ev.verdict = format!(
        "spawn-cost: a thread {thread_us:.0} µs, a process {proc_us:.0} µs ({ratio:.0}x); reused: thread {tpool_us:.1} µs, process {ppool_us:.1} µs per task"
    );
    Ok(ev)
}
