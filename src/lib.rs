//! # race-lab — a race-condition and thread-safety laboratory
//!
//! One experiment kernel, written once over the runtime facade [`rt::Rt`], runs in three
//! worlds: on real threads (`harness`: outcome histograms and timing), under loom's model
//! checker ([`explore`]: every interleaving, the failing one as a timeline), and on threads
//! that take turns by an explicit schedule ([`hunt`]: proptest finds and shrinks a failing
//! schedule, `replay` runs it again).
//!
//! The catalogue of experiments lives in the top-level `experiments/` folder, one file each.
//! The command line is in `commands/`, one module per subcommand; the printers in
//! [`report`]. Dependencies run one way — commands → engines → experiments → rt → leaves —
//! and `tests/modgraph.rs` checks it.
//!
//! What is public is what the binaries, tests and benches use; the rest is `pub(crate)`.

pub(crate) mod claims;
pub mod commands;
pub mod compare;
pub mod error;
pub mod experiment;
#[path = "../experiments/mod.rs"]
pub mod experiments;
pub mod explore;
pub(crate) mod harness;
pub mod hunt;
pub mod litmus;
pub(crate) mod machine;
pub mod play;
// Public until the procs branch's rewrite lands (it decides what of `procs` is API);
// `pub(crate)` today would flag its unused `Children::is_empty` as dead code.
pub mod procs;
pub mod refused;
pub mod report;
pub mod rt;
pub mod schedule;
pub(crate) mod trace;
pub mod verify;
pub mod witnesses;

pub use commands::{main_with, main_with_lab, Lab};
pub use machine::Cancel;

/// What an experiment file imports.
pub mod prelude {
    pub use crate::experiment::{
        workers, workers_counting, workers_with_owner, Class, Counts, Experiment, Grade, Opt,
        Outcome, Params, Play, Run, Size, Worlds,
    };
    pub use crate::rt::{
        LockKind, Once, ParkingLot, Rt, RtAtomic, RtAtomicInt, RtCell, RtCondvar, RtMutex,
        RtReceiver, RtRwLock, RtSender, StdLock,
    };
    pub use crate::{experiment, kernels};
    pub use std::sync::atomic::Ordering;
    pub use std::sync::Arc;
}
