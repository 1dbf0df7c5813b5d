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
//! **Model.** Relaxed: allowed; AcqRel: forbidden; SeqCst: forbidden. Which model: the C11
//! model of Batty et al., "Mathematizing C++ Concurrency" (POPL 2011), and the C++ standard
//! Rust follows (C++20 took RC11's repaired SC but not its no-thin-air axiom) allow it under
//! Relaxed; RC11 itself (Lahav et al., PLDI 2017; herd7 `rc11.cat`, `acyclic (sb | rf) as
//! no-thin-air`) forbids it, at the price of an extra dependency or fence after relaxed loads
//! on ARM and POWER. The lab follows the standard — the outcome real ARM CPUs produce is
//! allowed. Under AcqRel each load synchronises with the other's store: a happens-before
//! cycle, forbidden by every model.
//!
//! **Outcomes.** (0,0), (0,1), (1,0): ACCEPTABLE. (1,1): INTERESTING under relaxed (allowed,
//! not expected here), FORBIDDEN under acqrel and seqcst.

use crate::litmus::{Actors, Litmus, LoomLimit, Meanings, Model, Regs, Vars};
use crate::rt::{MemOrder, Rt, RtAtomic};

pub struct Lb;

impl Actors for Lb {
    const REGS: &'static [&'static [&'static str]] = &[&["r0"], &["r1"]];
    fn actor<R: Rt>(me: usize, v: &Vars<R::AtomicU64>, o: MemOrder) -> Regs {
        if me == 0 {
            let r0 = v.x.load(o.load());
            v.y.store(1, o.store()); // could this become visible before the load above completes?
            [r0, 0]
        } else {
            let r1 = v.y.load(o.load());
            v.x.store(1, o.store());
            [r1, 0]
        }
    }
}

pub const TEST: Litmus = Litmus {
    name: "LB",
    summary: "load buffering: r0=x; y=1 || r1=y; x=1 — can r0 = r1 = 1?",
    source: include_str!("litmus_lb.rs"),
    interesting: &[1, 1],
    model: |o| match o {
        MemOrder::Relaxed => Model::Allowed,
        MemOrder::Acqrel | MemOrder::Seqcst => Model::Forbidden,
    },
    citation: "Batty et al., Mathematizing C++ Concurrency (POPL 2011), LB: allowed relaxed \
               (so is the C++ standard); RC11 (Lahav et al., PLDI 2017; herd7 rc11.cat) \
               forbids it by acyclic (sb | rf), which the lab does not follow; an hb cycle \
               under release/acquire",
    meanings: Meanings {
        allowed: "load buffering: allowed by the model, rare in hardware",
        forbidden: "a happens-before cycle: Acquire/Release forbids it",
        other: "an interleaving of the two threads",
    },
    shape: crate::litmus::shape::<Lb>,
    native: crate::litmus::run_native::<Lb>,
    loom: crate::litmus::run_loom::<Lb>,
    rc11: crate::litmus::rc11::kernel::<Lb>,
    loom_limit: |o| (o == MemOrder::Relaxed).then_some(LoomLimit::NoLoadBuffering),
};
