//! The catalogue: one file per experiment, each a short lesson — the question it asks,
//! what to expect and why, the outcomes it grades, and a kernel of a few lines written once
//! over the runtime facade (`crate::rt::Rt`) and run natively, under loom and by schedule.

use crate::experiment::Experiment;

pub mod atomic;
pub mod cas;
pub mod channel;
pub mod deadlock;
pub mod local;
pub mod mutex;
pub mod parking_lot;
pub mod plain;
pub mod racy_atomic;
pub mod sharded;
pub mod sharded_unpadded;
pub mod unsynced;

/// Every thread experiment, in the order `race-lab list` shows them: the races first, then
/// the fixes, then the deadlock.
pub static ALL: &[&Experiment] = &[
    &unsynced::EXPERIMENT,
    &plain::EXPERIMENT,
    &racy_atomic::EXPERIMENT,
    &atomic::EXPERIMENT,
    &cas::EXPERIMENT,
    &mutex::EXPERIMENT,
    &parking_lot::EXPERIMENT,
    &channel::EXPERIMENT,
    &sharded::EXPERIMENT,
    &sharded_unpadded::EXPERIMENT,
    &local::EXPERIMENT,
    &deadlock::EXPERIMENT,
];

/// Looks an experiment up by name.
pub fn find(name: &str) -> Option<&'static Experiment> {
    ALL.iter().copied().find(|e| e.name == name)
}

/// The known name nearest to `name`, for "did you mean".
pub fn nearest(name: &str) -> Option<&'static str> {
    ALL.iter()
        .map(|e| (strsim::damerau_levenshtein(name, e.name), e.name))
        .filter(|(d, n)| *d <= 3 || n.contains(name) || name.contains(n))
        .min()
        .map(|(_, n)| n)
}
