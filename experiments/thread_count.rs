//! # thread-count — a process has one or more threads, and they share its memory (C9, C10)
//!
//! **Question.** How many threads does the lab's process have (counted by the kernel, in
//! `/proc/self/task`) before, while and after it runs N workers? Do the workers see one
//! memory?
//!
//! **Expect.** One thread (main) before and after; N + 1 while the workers run. All N workers
//! print the same address for the shared counter and together count exactly N × M with
//! `fetch_add`: threads share their process's memory.
//!
//! **Outcomes.** Those counts: ACCEPTABLE; anything else FORBIDDEN.

use crate::error::{LabError, Result};
use crate::procs::{Evidence, POpt, ProcExperiment, ProcParams};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};

pub const EXPERIMENT: ProcExperiment = ProcExperiment {
    name: "thread-count",
    summary: "the kernel's count of the lab's threads before, during and after N workers",
    claims: &["C9", "C10"],
    options: &[POpt::Procs],
    source: include_str!("thread_count.rs"),
    run,
};

// What it measures, by the names the claims (and tests) read it by.
pub const WORKERS: &str = "workers";
pub const BEFORE: &str = "threads before";
pub const DURING: &str = "threads while N workers run";
pub const AFTER: &str = "threads after";
pub const ADDRESSES: &str = "distinct counter addresses seen by the workers";
pub const SHARED_COUNT: &str = "shared count (N × 1000 expected)";

/// Threads of this process, as the kernel lists them.
pub fn threads_now() -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|d| d.count())
        .unwrap_or(0)
}

fn run(p: &ProcParams) -> Result<Evidence> {
    let mut ev = Evidence::new(EXPERIMENT.name);
    let n = p.procs; // worker threads, here
    let before = threads_now();
    let counter = Arc::new(AtomicU64::new(0));
    let barrier = Arc::new(Barrier::new(n + 1));
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let (c, b) = (counter.clone(), barrier.clone());
            std::thread::spawn(move || {
                for _ in 0..1000 {
                    c.fetch_add(1, Ordering::Relaxed);
                }
                let addr = Arc::as_ptr(&c) as usize;
                b.wait(); // all workers alive while main counts
                b.wait();
                addr
            })
        })
        .collect();
    barrier.wait();
    let during = threads_now();
    barrier.wait();
    let mut addrs = Vec::new();
    for h in handles {
        addrs.push(h.join().map_err(|_| LabError::failed("worker panicked"))?);
    }
    // `join` returns once a worker has finished, a moment before the kernel removes its
    // task from /proc/self/task: on a loaded machine the count can lag. Wait for it to
    // settle (a second at most) rather than read one that is still catching up.
    let mut after = threads_now();
    for _ in 0..1000 {
        if after <= before {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
        after = threads_now();
    }
    addrs.dedup();
    ev.push(WORKERS, n as f64, "threads");
    ev.push(BEFORE, before as f64, "threads");
    ev.push(DURING, during as f64, "threads");
    ev.push(AFTER, after as f64, "threads");
    ev.push(ADDRESSES, addrs.len() as f64, "addresses");
    ev.push(
        SHARED_COUNT,
        counter.load(Ordering::SeqCst) as f64,
        "increments",
    );
    let count = counter.load(Ordering::SeqCst);
    ev.conclude(
        during == before + n && after == before && addrs.len() == 1 && count == n as u64 * 1000,
        format!("thread-count: {before} thread(s) before, {during} with {n} workers, {after} after; all workers saw one counter at one address and counted {count}"),
        format!("{before} thread(s) before, {during} with {n} workers, {after} after; {} address(es); count {count}", addrs.len()),
    );
    Ok(ev)
}
