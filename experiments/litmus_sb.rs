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
//! loom produces it even under SeqCst: it treats SeqCst accesses as AcqRel (a false alarm).
//!
//! **Model.** Relaxed: allowed; AcqRel: allowed; SeqCst: forbidden — Batty et al.,
//! "Mathematizing C++ Concurrency" (POPL 2011), SB; Lahav et al., "Repairing Sequential
//! Consistency in C/C++11" (PLDI 2017), herd7's `rc11.cat`: only the SC axiom (`acyclic psc`,
//! through `sb` and `rb`) rules it out.
//!
//! **Outcomes.** (0,1), (1,0), (1,1): ACCEPTABLE (some interleaving). (0,0): INTERESTING
//! under relaxed/acqrel, FORBIDDEN under seqcst.

use crate::litmus::{Actors, Litmus, LoomLimit, Meanings, Model, Regs, Vars};
use crate::rt::{MemOrder, Rt, RtAtomic};

pub struct Sb;

impl Actors for Sb {
    const REGS: &'static [&'static [&'static str]] = &[&["r0"], &["r1"]];
    fn actor<R: Rt>(me: usize, v: &Vars<R::AtomicU64>, o: MemOrder) -> Regs {
        if me == 0 {
            v.x.store(1, o.store());
            [v.y.load(o.load()), 0] // may run before the store above leaves this CPU
        } else {
            v.y.store(1, o.store());
            [v.x.load(o.load()), 0]
        }
    }
}

pub const TEST: Litmus = Litmus {
    name: "SB",
    summary: "store buffering: x=1; r0=y || y=1; r1=x — can r0 = r1 = 0?",
    source: include_str!("litmus_sb.rs"),
    interesting: &[0, 0],
    model: |o| match o {
        MemOrder::Relaxed | MemOrder::Acqrel => Model::Allowed,
        MemOrder::Seqcst => Model::Forbidden,
    },
    citation: "Batty et al., Mathematizing C++ Concurrency (POPL 2011), SB; Lahav et al., \
               Repairing Sequential Consistency in C/C++11 (PLDI 2017), herd7 rc11.cat: \
               only acyclic psc (SC accesses) forbids it",
    meanings: Meanings {
        allowed: "store buffering: each load ran before the other's store was visible",
        forbidden: "both loads before both stores: impossible under SeqCst",
        other: "an interleaving of the two threads",
    },
    shape: crate::litmus::shape::<Sb>,
    native: crate::litmus::run_native::<Sb>,
    loom: crate::litmus::run_loom::<Sb>,
    rc11: crate::litmus::rc11::kernel::<Sb>,
    loom_limit: |o| (o == MemOrder::Seqcst).then_some(LoomLimit::SeqCstAsAcqRel),
};
