//! # crash — what a failure takes down: a thread, a process, or nothing else (C6, C11, C19, C23)
//!
//! **Question.** The study notes say an uncaught exception in a thread crashes the whole
//! process, while a crashing process leaves the others alone. What happens in Rust?
//!
//! **Expect.** A *panicking* thread does not kill the process: the panic unwinds that thread
//! only, and `join` returns the error; a child whose thread panics runs to its end. A `std::sync::Mutex` it held is *poisoned* (the next
//! `lock` says a holder panicked); a `parking_lot::Mutex` is simply released. An *abort* in
//! any thread does kill the whole process — shown safely inside a child — and a child that
//! aborts or segfaults is reported by its parent, which carries on.
//!
//! **Outcomes.** All five observed as described: ACCEPTABLE; otherwise FORBIDDEN.

use crate::error::{LabError, Result};
use crate::procs::{describe, Children, Evidence, Pipes, ProcExperiment, ProcParams, Task};
use std::os::unix::process::ExitStatusExt;
use std::sync::Arc;

pub const EXPERIMENT: ProcExperiment = ProcExperiment {
    name: "crash",
    summary: "a panicking thread, an aborting thread (in a child), a crashing child process",
    claims: &["C6", "C11", "C19", "C23"],
    options: &[],
    source: include_str!("crash.rs"),
    run,
};

// What it measures, by the names the claims (and tests) read it by.
pub const JOIN_ERR: &str = "panicking thread: join returned Err";
pub const POISONED: &str = "std Mutex poisoned afterwards";
pub const PL_USABLE: &str = "parking_lot Mutex usable afterwards";
pub const SURVIVED: &str = "process still running after the panic (a child that ran to its end)";
pub const ABORT_SIGNAL: &str = "child with an aborting thread: signal";
pub const SEGV_SIGNAL: &str = "segfaulting child: signal";
pub const PARENT_RAN: &str = "parent still running after both";

fn run(_: &ProcParams) -> Result<Evidence> {
    let mut ev = Evidence::new(EXPERIMENT.name);
    // 1. A thread panics while holding both kinds of lock.
    let std_lock = Arc::new(std::sync::Mutex::new(0u64));
    let pl_lock = Arc::new(parking_lot::Mutex::new(0u64));
    let (a, b) = (std_lock.clone(), pl_lock.clone());
    let quiet = crate::error::QuietPanics::install();
    let joined = std::thread::spawn(move || {
        let _held = a.lock();
        let _held_too = b.lock();
        panic!("a task failed");
    })
    .join();
    drop(quiet);
    let join_err = joined.is_err();
    let poisoned = std_lock.is_poisoned();
    let pl_free = pl_lock.try_lock().is_some();
    ev.push_bool(JOIN_ERR, join_err);
    ev.push_bool(POISONED, poisoned);
    ev.push_bool(PL_USABLE, pl_free);
    // 2. The same panic in a child, which must then run to its end and exit normally.
    let mut kids = Children::new();
    let i = kids.spawn_worker(&Task::PanicThread, Pipes::NONE)?;
    let st = kids.wait(i)?;
    ev.note(format!("child with a panicking thread {}", describe(st)));
    let survived = ev.push_bool(SURVIVED, st.success());
    // 3. and 4. Children that abort in a thread, and that segfault.
    let mut signals = Vec::new();
    for task in [Task::AbortThread, Task::Segv] {
        let i = kids.spawn_worker(&task, Pipes::NONE)?;
        let st = kids.wait(i)?;
        ev.note(format!("child {} {}", task.to_arg(), describe(st)));
        signals.push(st.signal());
    }
    ev.push(ABORT_SIGNAL, signals[0].unwrap_or(0) as f64, "signal");
    ev.push(SEGV_SIGNAL, signals[1].unwrap_or(0) as f64, "signal");
    ev.push(PARENT_RAN, 1.0, "bool");
    let (abrt, segv) = (
        nix::sys::signal::Signal::SIGABRT as i32,
        nix::sys::signal::Signal::SIGSEGV as i32,
    );
    ev.conclude(
        join_err && poisoned && pl_free && survived && signals == [Some(abrt), Some(segv)],
        "crash: a panicking thread left the process running (join → Err; std Mutex poisoned, parking_lot not); an abort in one thread killed its whole process (SIGABRT); a segfaulting child (SIGSEGV) left the parent running".into(),
        format!("join_err={join_err} poisoned={poisoned} parking_lot_free={pl_free} survived={survived} signals={signals:?}"),
    );
    Ok(ev)
}

/// In a child: one thread panics; the process joins it (an `Err`) and ends normally.
pub fn panic_in_thread() -> Result<()> {
    let _quiet = crate::error::QuietPanics::install();
    match std::thread::spawn(|| panic!("a task failed")).join() {
        Err(_) => Ok(()), // the panic stayed in its thread
        Ok(()) => Err(LabError::failed(
            "the panicking thread joined without an error",
        )),
    }
}

/// In a child: one thread aborts; the whole process dies with it.
pub fn abort_in_thread() -> Result<()> {
    let _ = std::thread::spawn(|| std::process::abort()).join();
    Err(LabError::failed("still alive after abort"))
}

/// In a child: a segmentation fault (raised as the signal the kernel would deliver).
pub fn segfault() -> Result<()> {
    // Rust's runtime catches the first SIGSEGV to tell stack overflows apart; finding none,
    // it restores the default action and returns. The second one is then fatal, as a real
    // invalid memory access would be.
    for _ in 0..2 {
        nix::sys::signal::raise(nix::sys::signal::Signal::SIGSEGV)
            .map_err(|e| LabError::failed(format!("raise: {e}")))?;
    }
    Err(LabError::failed("still alive after SIGSEGV"))
}
