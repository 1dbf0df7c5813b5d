//! # MP — message passing: does seeing the flag mean seeing the data?
//!
//! **Question.** `data = flag = 0`. Thread 0 writes `data = 1`, then `flag = 1`; thread 1
//! reads `flag`, then `data`. If thread 1 sees `flag == 1`, must it see `data == 1`?
//!
//! **Expect.** With a Release store of the flag and an Acquire load of it, yes: everything
//! before the release is visible after the acquire that reads it — the contract every lock
//! and channel is built on. With Relaxed, **no**: r0 = 1, r1 = 0 is allowed. x86 never shows
//! it (its stores and loads are not reordered with each other) — ARM and POWER do — but loom,
//! which explores what the language allows rather than what one CPU does, finds it.
//!
//! **Outcomes.** (0,0), (0,1), (1,1): ACCEPTABLE. (1,0): INTERESTING under relaxed,
//! FORBIDDEN under acqrel and seqcst. Here r0 is the flag read and r1 the data read.

use crate::experiment::Grade;
use crate::litmus::{Actors, Litmus};
use crate::rt::{MemOrder, Rt, RtAtomic};
use std::sync::atomic::Ordering::Relaxed;

pub struct Mp;

impl Actors for Mp {
    /// The writer: data (x), then the flag (y). It reads nothing: 0.
    fn t0<R: Rt>(x: &R::AtomicU64, y: &R::AtomicU64, o: MemOrder) -> u64 {
        x.store(1, Relaxed); // the message…
        y.store(1, o.store()); // …published by the flag: Release makes it visible with it
        0
    }
    /// The reader: the flag, then the data; returns flag * 2 + data, decoded by the lab.
    fn t1<R: Rt>(x: &R::AtomicU64, y: &R::AtomicU64, o: MemOrder) -> u64 {
        let flag = y.load(o.load()); // Acquire: if this sees 1…
        let data = x.load(Relaxed); // …this must see 1 too
        flag * 2 + data
    }
}

pub const TEST: Litmus = Litmus {
    name: "MP",
    summary: "message passing: data=1; flag=1 || r0=flag; r1=data — can r0 = 1, r1 = 0?",
    source: include_str!("litmus_mp.rs"),
    interesting: (0, 2),
    label: |(_, r)| format!("flag={}, data={}", r / 2, r % 2),
    grade: |o, (_, r)| match (o, r) {
        (MemOrder::Relaxed, 2) => (
            Grade::Interesting,
            "flag seen, data not: allowed without Release/Acquire",
        ),
        (_, 2) => (
            Grade::Forbidden,
            "flag seen, data not: Release/Acquire forbids it",
        ),
        _ => (Grade::Acceptable, "consistent: no flag, or flag and data"),
    },
    native: crate::litmus::run_native::<Mp>,
    loom: crate::litmus::run_loom::<Mp>,
};
