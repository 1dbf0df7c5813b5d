//! Child processes and the process harness: the lab re-executes itself in a hidden worker
//! mode (`race-lab __worker '<task as JSON>'`), never `fork()`s a process that has threads,
//! and never lets a child outlive it.
//!
//! * [`children`]: starting, guarding and reaping children; the parent-death signal;
//! * [`shared_page`]: the `memfd` page several processes map (nothing left in `/dev/shm`);
//! * [`pools`]: a pool of worker processes and its thread twin;
//! * [`protocol`]: the typed [`Task`] a child is given, and how it travels;
//! * [`worker`]: the child side — runs one task, or serves a pool;
//! * [`harness`]: what every process experiment shares — parameters, trials, medians,
//!   grading and the [`Evidence`] they produce.
//!
//! A process experiment (in `experiments/`) keeps only its lesson, its child's work and its
//! verdict rule; everything else is here.

pub mod children;
pub mod harness;
pub mod pools;
pub mod protocol;
pub mod shared_page;
pub mod worker;

/// The one racy increment of a word shared between processes (`process-shm --sync none`):
/// it lives with the lab's other deliberate undefined behaviour, in `rt::racy`.
pub(crate) use crate::rt::racy::increment_shared_racy;
pub use children::{check_procs, describe, parent_alive, Children, Pipes, MAX_PROCS};
pub use harness::{
    best_of, count_trials, median, processes_wall, threads_wall, timed, Evidence, Grade, Measure,
    POpt, ProcExperiment, ProcParams, ShmSync, Tally,
};
pub use pools::{ProcessPool, ThreadPool};
pub use protocol::Task;
pub use shared_page::SharedPage;
pub use worker::{cpu_work, io_wait, worker_main, ChildWork};
