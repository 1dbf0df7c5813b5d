//! # LB — load buffering: can each load see the other thread's *later* store?
//!
//! **Question.** `x = y = 0`. Thread 0 loads `x`, then stores `y = 1`; thread 1 loads `y`,
//! then stores `x = 1`. Can both loads return 1 — each seeing a store that comes *after* the
//! other thread's load?
//!
//! **Expect.** With Relaxed orderings the language **allows** r0 = r1 = 1 (a CPU may let a
//! store become visible before an earlier load completes), Acquire/Release forbids it. Yet
//! you will not see it here: x86 never reorders a load with a later store, and loom does not
//! explore load buffering at all. An outcome allowed on paper, produced by some ARM CPUs,
//! and invisible to both tools: the lesson is that a checker is only as complete as its model.
//!
//! **Outcomes.** (0,0), (0,1), (1,0): ACCEPTABLE. (1,1): INTERESTING under relaxed (allowed,
//! not expected here), FORBIDDEN under acqrel and seqcst.

use crate::experiment::Grade;
use crate::litmus::{Actors, Litmus};
use crate::rt::{MemOrder, Rt, RtAtomic};

pub struct Lb;

impl Actors for Lb {
    fn t0<R: Rt>(x: &R::AtomicU64, y: &R::AtomicU64, o: MemOrder) -> u64 {
        let r0 = x.load(o.load());
        y.store(1, o.store()); // could this become visible before the load above completes?
        r0
    }
    fn t1<R: Rt>(x: &R::AtomicU64, y: &R::AtomicU64, o: MemOrder) -> u64 {
        let r1 = y.load(o.load());
        x.store(1, o.store());
        r1
    }
}

pub const TEST: Litmus = Litmus {
    name: "LB",
    summary: "load buffering: r0=x; y=1 || r1=y; x=1 — can r0 = r1 = 1?",
    source: include_str!("litmus_lb.rs"),
    interesting: (1, 1),
    label: |(r0, r1)| format!("r0={r0}, r1={r1}"),
    grade: |o, out| match (o, out) {
        (MemOrder::Relaxed, (1, 1)) => (
            Grade::Interesting,
            "load buffering: allowed by the model, rare in hardware",
        ),
        (_, (1, 1)) => (
            Grade::Forbidden,
            "a happens-before cycle: Acquire/Release forbids it",
        ),
        _ => (Grade::Acceptable, "an interleaving of the two threads"),
    },
    native: crate::litmus::run_native::<Lb>,
    loom: crate::litmus::run_loom::<Lb>,
};
