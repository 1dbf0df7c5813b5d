//! # process-shm — sharing memory between processes, racily and atomically (C14)
//!
//! **Question.** Put the counter in memory that several processes map (an anonymous
//! `memfd`). With `--sync none` each process reads, then writes, the shared `u64`; with
//! `--sync atomic` each does a `fetch_add` on it. Does the count reach P × M?
//!
//! **Expect.** Shared memory makes processes race exactly like threads: `none` loses
//! updates (the same data race as `unsynced`, across address spaces), `atomic` never does —
//! a `lock xadd` on a shared page is as indivisible between processes as between threads.
//! All processes start together on a counter in the same page (a start line), so they
//! really overlap.
//!
//! **Outcomes.** `atomic`: exactly P × M ACCEPTABLE, anything else FORBIDDEN. `none`:
//! P × M ACCEPTABLE, 1 to P × M − 1 INTERESTING (lost updates), 0 or more FORBIDDEN.

use crate::error::{LabError, Result};
use crate::procs::{
    count_trials, increment_shared_racy, parent_alive, Children, Evidence, Grade, POpt, Pipes,
    ProcExperiment, ProcParams, SharedPage, ShmSync, Task,
};
use std::sync::atomic::Ordering;

/// This experiment's name, as a literal that a variant run's name is built from.
macro_rules! name {
    () => {
        "process-shm"
    };
}

pub const EXPERIMENT: ProcExperiment = ProcExperiment {
    name: name!(),
    summary: "a counter in shared memory, incremented by several processes (--sync none|atomic)",
    claims: &["C14", "C20"],
    options: &[POpt::Procs, POpt::Iters, POpt::Trials, POpt::Sync],
    source: include_str!("process_shm.rs"),
    run,
};

/// The claims' second run of it, with `--sync none`, named apart from the default
/// (`--sync atomic`) run so each keeps its own evidence.
pub const SYNC_NONE: &str = concat!(name!(), " --sync none");

// What it measures, by the names the claims (and tests) read it by: the trial loop's
// (`count_trials`), declared there.
pub use crate::procs::harness::{trial_final, COST, LOSSY, WORST};

const COUNT: usize = 0; // slot of the counter
const START: usize = 1; // slot of the start line, on its own cache line

/// The verdict rule: the grade of a final count.
fn grade(sync: ShmSync, count: u64, expected: u64) -> Grade {
    match sync {
        _ if count == expected => Grade::Acceptable,
        ShmSync::None if (1..expected).contains(&count) => Grade::Interesting, // lost updates
        _ => Grade::Forbidden, // more than was added, none at all, or an atomic losing one
    }
}

fn run(p: &ProcParams) -> Result<Evidence> {
    let expected = p.procs as u64 * p.iters;
    let label = format!(
        "process-shm --sync {} {}x{}",
        p.sync.name(),
        p.procs,
        p.iters
    );
    let grade = |count| grade(p.sync, count, expected);
    count_trials(
        EXPERIMENT.name,
        &label,
        p.trials,
        expected,
        grade,
        &p.cancel,
        || {
            let page = SharedPage::create()?;
            let mut kids = Children::new();
            let task = Task::Shm {
                fd: page.raw_fd(),
                iters: p.iters,
                sync: p.sync,
                procs: p.procs as u64,
            };
            for _ in 0..p.procs {
                kids.spawn_worker(&task, Pipes::NONE)?;
            }
            kids.wait_all_ok()?;
            Ok(page.atomic(COUNT).load(Ordering::SeqCst))
        },
    )
}

/// The child: wait at the start line, then increment the shared counter M times.
pub fn child(fd: i32, m: u64, sync: ShmSync, procs: u64) -> Result<()> {
    let page = SharedPage::open_inherited(fd)?;
    let start = page.atomic(START);
    start.fetch_add(1, Ordering::SeqCst);
    let t0 = std::time::Instant::now();
    while start.load(Ordering::SeqCst) < procs {
        if t0.elapsed().as_secs() > 5 || !parent_alive() {
            return Err(LabError::failed(
                "the other processes never reached the start line",
            ));
        }
        std::thread::yield_now();
    }
    let counter = page.atomic(COUNT);
    let word = page.racy_word(COUNT);
    for _ in 0..m {
        match sync {
            ShmSync::Atomic => {
                counter.fetch_add(1, Ordering::Relaxed); // one indivisible step, across processes too
            }
            ShmSync::None => increment_shared_racy(word), // read, then write: racy on purpose
        }
    }
    Ok(())
}
