//! # race-lab — a race-condition and thread-safety laboratory
//!
//! One experiment kernel, written once over the runtime facade [`rt::Rt`], runs in three
//! worlds: on real threads ([`harness`]: outcome histograms and timing), under loom's model
//! checker ([`explore`]: every interleaving, the failing one as a timeline), and on threads
//! that take turns by an explicit schedule ([`hunt`]: proptest finds and shrinks a failing
//! schedule, `replay` runs it again).
//!
//! The catalogue of experiments lives in the top-level `experiments/` folder, one file each.

pub mod claims;
pub mod cli;
pub mod compare;
pub mod error;
pub mod experiment;
#[path = "../experiments/mod.rs"]
pub mod experiments;
pub mod explore;
pub mod harness;
pub mod hunt;
pub mod litmus;
pub mod machine;
pub mod procs;
pub mod report;
pub mod rt;
pub mod schedule;
pub mod trace;
pub mod witnesses;

/// What an experiment file imports.
pub mod prelude {
    pub use crate::experiment::{
        workers, workers_with_owner, Class, Experiment, Grade, Opt, Outcome, Params, Run, Size,
        Worlds,
    };
    pub use crate::kernels;
    pub use crate::rt::{
        LockKind, Once, ParkingLot, Rt, RtAtomic, RtAtomicInt, RtCell, RtCondvar, RtMutex,
        RtReceiver, RtRwLock, RtSender, StdLock,
    };
    pub use std::sync::atomic::Ordering;
    pub use std::sync::Arc;
}
