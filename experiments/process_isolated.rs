//! # process-isolated — every process has its own memory (C5, C13)
//!
//! **Question.** A global counter, `COUNTER`. Child processes each increment "it" M times.
//! What does the parent read afterwards? And a thread of the parent?
//!
//! **Expect.** The parent still reads what it had: each child is a separate process with its
//! own copy of every global, so each child counts only its own M. A *thread* of the parent
//! increments the parent's one and only `COUNTER`, and the parent sees every increment.
//! Processes do not share globals; threads do.
//!
//! **Outcomes.** Parent unchanged by the children and each child reporting exactly M:
//! ACCEPTABLE. Anything else: FORBIDDEN (processes would be sharing memory).

use crate::error::Result;
use crate::procs::{Children, Evidence, POpt, Pipes, ProcExperiment, ProcParams, Task};
use std::sync::atomic::{AtomicU64, Ordering};

/// "The" global counter — one per process.
pub static COUNTER: AtomicU64 = AtomicU64::new(0);

pub const EXPERIMENT: ProcExperiment = ProcExperiment {
    name: "process-isolated",
    summary: "children increment \"the\" global counter; the parent's stays unchanged",
    claims: &["C5", "C13"],
    options: &[POpt::Procs, POpt::Iters],
    source: include_str!("process_isolated.rs"),
    run,
};

// What it measures, by the names the claims (and tests) read it by.
pub const PARENT: &str = "parent count after the children";
pub const AFTER_THREAD: &str = "parent count after one thread";
/// How every child's count begins (the claims read them all by it).
pub const CHILD: &str = "child ";

/// The measure of child `i`'s count (`child 0 count`).
pub fn child_count(i: usize) -> String {
    format!("{CHILD}{i} count")
}

fn run(p: &ProcParams) -> Result<Evidence> {
    let mut ev = Evidence::new(EXPERIMENT.name);
    let before = COUNTER.load(Ordering::SeqCst);
    let mut kids = Children::new();
    for _ in 0..p.procs {
        kids.spawn_worker(&Task::Count { iters: p.iters }, Pipes::OUT)?;
    }
    let mut counts = Vec::new();
    for i in 0..kids.len() {
        let s = kids.read_stdout(i)?;
        counts.push(s.trim().parse::<u64>().unwrap_or(u64::MAX));
    }
    kids.wait_all_ok()?;
    let parent = COUNTER.load(Ordering::SeqCst) - before;
    ev.push(PARENT, parent as f64, "increments");
    for (i, c) in counts.iter().enumerate() {
        ev.push(child_count(i), *c as f64, "increments");
    }
    // The contrast: one thread of this process increments the same global.
    let m = p.iters;
    std::thread::spawn(move || {
        for _ in 0..m {
            COUNTER.fetch_add(1, Ordering::Relaxed);
        }
    })
    .join()
    .map_err(|_| crate::error::LabError::failed("counting thread panicked"))?;
    let after_thread = COUNTER.load(Ordering::SeqCst) - before;
    ev.push(AFTER_THREAD, after_thread as f64, "increments");
    ev.conclude(
        parent == 0 && counts.iter().all(|&c| c == p.iters) && after_thread == p.iters,
        format!(
            "process-isolated {}x{}: the parent's counter stayed {parent} while each child counted its own {}; one thread of the parent moved it to {after_thread}",
            p.procs, p.iters, p.iters
        ),
        format!("parent {parent}, children {counts:?}, thread {after_thread}"),
    );
    Ok(ev)
}

/// The child: increments its own copy of `COUNTER` and prints it.
pub fn child(m: u64) -> Result<()> {
    for _ in 0..m {
        COUNTER.fetch_add(1, Ordering::Relaxed);
    }
    println!("{}", COUNTER.load(Ordering::SeqCst));
    Ok(())
}
