//! # IRIW — independent reads of independent writes: do all readers agree on the order?
//!
//! **Question.** `x = y = 0`. Thread 0 stores `x = 1`; thread 1 stores `y = 1`. Thread 2
//! reads `x`, then `y`; thread 3 reads `y`, then `x`. Can thread 2 see x's store but not
//! y's (r0 = 1, r1 = 0) while thread 3 sees y's but not x's (r2 = 1, r3 = 0) — the two
//! readers disagreeing about which store came first?
//!
//! **Expect.** Under Relaxed, and under Release/Acquire too, **yes**: nothing makes two
//! writes to different variables reach every thread in one order (POWER shows it: a store
//! can reach one core before another). Only SeqCst forbids it: all SeqCst accesses fall in
//! one total order every thread agrees on. x86 stores reach all cores at once, so you will
//! not see it here — and with four actors on fewer cores, they never all run at once (the
//! report counts the iterations that did). loom finds it under every ordering, SeqCst
//! included: it treats SeqCst accesses as AcqRel, a false alarm there.
//!
//! **Model.** Relaxed: allowed; AcqRel: allowed; SeqCst: forbidden — Batty et al.,
//! "Mathematizing C++ Concurrency" (POPL 2011), IRIW; herd7's `rc11.cat` (Lahav et al.,
//! PLDI 2017): with SC accesses, `sb` and `rb` within the readers and `hb` from the writers
//! form a `psc` cycle.
//!
//! **Outcomes.** Registers r0 = x, r1 = y (thread 2), r2 = y, r3 = x (thread 3). Every
//! outcome but (1,0,1,0) is some interleaving: ACCEPTABLE. (1,0,1,0): INTERESTING under
//! relaxed/acqrel, FORBIDDEN under seqcst.

use crate::litmus::{Actors, Litmus, LoomLimit, Meanings, Model, Regs, Vars};
use crate::rt::{MemOrder, Rt, RtAtomic};

pub struct Iriw;

impl Actors for Iriw {
    const REGS: &'static [&'static [&'static str]] = &[&[], &[], &["r0", "r1"], &["r2", "r3"]];
    fn actor<R: Rt>(me: usize, v: &Vars<R::AtomicU64>, o: MemOrder) -> Regs {
        match me {
            0 => {
                v.x.store(1, o.store());
                [0, 0]
            }
            1 => {
                v.y.store(1, o.store());
                [0, 0]
            }
            2 => {
                let r0 = v.x.load(o.load()); // x first…
                [r0, v.y.load(o.load())]
            }
            _ => {
                let r2 = v.y.load(o.load()); // …y first: can the two readers disagree?
                [r2, v.x.load(o.load())]
            }
        }
    }
}

pub const TEST: Litmus = Litmus {
    name: "IRIW",
    summary: "independent reads of independent writes: x=1 || y=1 || r0=x; r1=y || r2=y; \
              r3=x — can r0 = r2 = 1, r1 = r3 = 0?",
    source: include_str!("litmus_iriw.rs"),
    interesting: &[1, 0, 1, 0],
    model: |o| match o {
        MemOrder::Relaxed | MemOrder::Acqrel => Model::Allowed,
        MemOrder::Seqcst => Model::Forbidden,
    },
    citation: "Batty et al., Mathematizing C++ Concurrency (POPL 2011), IRIW; herd7 rc11.cat \
               (Lahav et al., PLDI 2017): only acyclic psc (SC accesses) forbids it",
    meanings: Meanings {
        allowed: "the readers disagree on the order of the two stores",
        forbidden: "the readers disagree on the order: SeqCst's single total order forbids it",
        other: "an interleaving of the four threads",
    },
    shape: crate::litmus::shape::<Iriw>,
    native: crate::litmus::run_native::<Iriw>,
    loom: crate::litmus::run_loom::<Iriw>,
    rc11: crate::litmus::rc11::kernel::<Iriw>,
    loom_limit: |o| (o == MemOrder::Seqcst).then_some(LoomLimit::SeqCstAsAcqRel),
};
