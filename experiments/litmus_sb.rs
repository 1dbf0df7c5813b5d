//! # SB — store buffering: can both threads miss each other's store?
//!
//! **Question.** `x = y = 0`. Thread 0 stores `x = 1`, then loads `y`; thread 1 stores
//! `y = 1`, then loads `x`. Can both loads return 0?
//!
//! **Expect.** In any interleaving one store comes first, so at least one load sees a 1. Yet
//! with Relaxed or Acquire/Release orderings **r0 = r1 = 0 is allowed**, and x86 produces it:
//! each CPU puts its store in a *store buffer* and runs its load before the store reaches
//! memory. Only SeqCst forbids it (on x86 the SeqCst store is an `xchg`, which drains the
//! buffer). This is the one reordering x86 does; Dekker's and Peterson's locks break on it.
//!
//! **Outcomes.** (0,1), (1,0), (1,1): ACCEPTABLE (some interleaving). (0,0): INTERESTING
//! under relaxed/acqrel, FORBIDDEN under seqcst.

use crate::experiment::Grade;
use crate::litmus::{Actors, Litmus};
use crate::rt::{MemOrder, Rt, RtAtomic};

pub struct Sb;

impl Actors for Sb {
    fn t0<R: Rt>(x: &R::AtomicU64, y: &R::AtomicU64, o: MemOrder) -> u64 {
        x.store(1, o.store());
        y.load(o.load()) // may run before the store above leaves this CPU
    }
    fn t1<R: Rt>(x: &R::AtomicU64, y: &R::AtomicU64, o: MemOrder) -> u64 {
        y.store(1, o.store());
        x.load(o.load())
    }
}

pub const TEST: Litmus = Litmus {
    name: "SB",
    summary: "store buffering: x=1; r0=y || y=1; r1=x — can r0 = r1 = 0?",
    source: include_str!("litmus_sb.rs"),
    interesting: (0, 0),
    label: |(r0, r1)| format!("r0={r0}, r1={r1}"),
    grade: |o, out| match (o, out) {
        (MemOrder::Seqcst, (0, 0)) => (
            Grade::Forbidden,
            "both loads before both stores: impossible under SeqCst",
        ),
        (_, (0, 0)) => (
            Grade::Interesting,
            "store buffering: each load ran before the other's store was visible",
        ),
        _ => (Grade::Acceptable, "an interleaving of the two threads"),
    },
    native: crate::litmus::run_native::<Sb>,
    loom: crate::litmus::run_loom::<Sb>,
};
