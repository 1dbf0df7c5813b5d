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
//! P × M ACCEPTABLE, fewer INTERESTING (lost updates), more FORBIDDEN.

use crate::error::{LabError, Result};
use crate::procs::{
    Children, Evidence, POpt, Pipes, ProcExperiment, ProcParams, SharedPage, ShmSync,
};
use crate::rt::racy;
use std::sync::atomic::Ordering;

pub const EXPERIMENT: ProcExperiment = ProcExperiment {
    name: "process-shm",
    summary: "a counter in shared memory, incremented by several processes (--sync none|atomic)",
    claims: &["C14", "C20"],
    options: &[POpt::Procs, POpt::Iters, POpt::Trials, POpt::Sync],
    source: include_str!("process_shm.rs"),
    run,
};

const COUNT: usize = 0; // slot of the counter
const START: usize = 1; // slot of the start line, on its own cache line

fn run(p: &ProcParams) -> Result<Evidence> {
    let mut ev = Evidence::new(EXPERIMENT.name);
    let expected = p.procs as u64 * p.iters;
    let (mut lossy, mut worst, mut ns) = (0, 0u64, Vec::new());
    for t in 0..p.trials {
        if crate::machine::interrupted() {
            ev.note(format!("interrupted after {t} trials"));
            break;
        }
        let page = SharedPage::create()?;
        let mut kids = Children::new();
        let sync = if p.sync == ShmSync::Atomic {
            "atomic"
        } else {
            "none"
        };
        let started = std::time::Instant::now();
        for _ in 0..p.procs {
            let args = [
                "shm".into(),
                page.raw_fd().to_string(),
                p.iters.to_string(),
                sync.into(),
                p.procs.to_string(),
            ];
            kids.spawn_worker(&args, Pipes::NONE)?;
        }
        kids.wait_all_ok()?;
        ns.push(started.elapsed().as_nanos() as f64 / expected as f64);
        let v = page.atomic(COUNT).load(Ordering::SeqCst);
        ev.push(format!("trial {} final", t + 1), v as f64, "increments");
        if v > expected || (p.sync == ShmSync::Atomic && v != expected) || v == 0 {
            ev.ok = false;
        }
        if v < expected {
            lossy += 1;
            worst = worst.max(expected - v);
        }
    }
    let trials = ev.measures.len();
    ev.push("expected", expected as f64, "increments");
    ev.push("trials losing updates", lossy as f64, "trials");
    ev.push("worst loss", 100.0 * worst as f64 / expected as f64, "%");
    ns.sort_by(f64::total_cmp);
    if let Some(m) = ns.get(ns.len() / 2) {
        ev.push("cost (with process start-up)", *m, "ns/increment");
    }
    let head = format!(
        "process-shm --sync {} {}x{}",
        if p.sync == ShmSync::Atomic {
            "atomic"
        } else {
            "none"
        },
        p.procs,
        p.iters
    );
    ev.verdict = match (ev.ok, lossy) {
        (false, _) => format!("FORBIDDEN: {head}: a count outside what is possible"),
        (true, 0) => format!("{head}: exact ({expected}) in {trials} of {trials} trials"),
        (true, k) => format!(
            "{head}: lost updates in {k} of {trials} trials (worst {:.1}%)",
            100.0 * worst as f64 / expected as f64
        ),
    };
    Ok(ev)
}

/// The child: wait at the start line, then increment the shared counter M times.
pub fn child(fd: i32, m: u64, atomic: bool, procs: u64) -> Result<()> {
    let page = SharedPage::open_inherited(fd)?;
    let start = page.atomic(START);
    start.fetch_add(1, Ordering::SeqCst);
    let t0 = std::time::Instant::now();
    while start.load(Ordering::SeqCst) < procs {
        if t0.elapsed().as_secs() > 5 || !crate::procs::parent_alive() {
            return Err(LabError::failed(
                "the other processes never reached the start line",
            ));
        }
        std::thread::yield_now();
    }
    let counter = page.atomic(COUNT);
    for _ in 0..m {
        if atomic {
            counter.fetch_add(1, Ordering::Relaxed); // one indivisible step, across processes too
        } else {
            racy::increment_shared_racy(&page, COUNT); // read, then write: racy on purpose
        }
    }
    Ok(())
}
