//! # S — a store and a message: can a store overtake one that happened before it?
//!
//! **Question.** `x = y = 0`. Thread 0 stores `x = 2`, then `y = 1`; thread 1 reads `y`,
//! then stores `x = 1`. If thread 1 saw y = 1 (r0 = 1), can x still end at 2 — thread 1's
//! store ordered *before* thread 0's `x = 2`, which came before the flag thread 1 saw?
//!
//! **Expect.** Under Relaxed, **yes**: reading y = 1 gives thread 1 no order with thread 0's
//! earlier store. Under Release/Acquire `x = 2` happens before `x = 1`, and coherence puts
//! them in that order in x's modification order: x ends at 1. x86 keeps stores in order and
//! does not move stores before loads, so not here. loom agrees with the model: under Relaxed
//! the two stores of x are unordered in its (partial) modification order and the final read
//! may return either; under Release/Acquire happens-before orders them.
//!
//! **Model.** Relaxed: allowed; AcqRel: forbidden; SeqCst: forbidden — the Linux kernel
//! memory model's litmus catalogue, `S+poonceonces` (allowed without ordering); herd7's
//! `rc11.cat` (Lahav et al., PLDI 2017): relaxed has no `hb` between the threads and
//! `sb | rf` has no cycle, so even RC11 allows it; with release/acquire, `hb` from `x = 2` to
//! `x = 1` against `mo` the other way violates coherence (`irreflexive hb; eco?`).
//!
//! **Outcomes.** Registers r0 (thread 1's read of y) and x (the final value). (0,1), (0,2),
//! (1,1): ACCEPTABLE. (1,2): INTERESTING under relaxed, FORBIDDEN under acqrel and seqcst.

use crate::litmus::{Actors, Litmus, Meanings, Model, Regs, Var, Vars};
use crate::rt::{MemOrder, Rt, RtAtomic};

pub struct S;

impl Actors for S {
    const REGS: &'static [&'static [&'static str]] = &[&[], &["r0"]];
    const FINAL: &'static [Var] = &[Var::X];
    fn actor<R: Rt>(me: usize, v: &Vars<R::AtomicU64>, o: MemOrder) -> Regs {
        if me == 0 {
            v.x.store(2, o.store());
            v.y.store(1, o.store()); // Release: x = 2 is published with it
            [0, 0]
        } else {
            let r0 = v.y.load(o.load()); // Acquire: if this sees 1…
            v.x.store(1, o.store()); // …this store comes after x = 2 in x's order
            [r0, 0]
        }
    }
}

pub const TEST: Litmus = Litmus {
    name: "S",
    summary: "x=2; y=1 || r0=y; x=1 — can r0 = 1 and finally x = 2?",
    source: include_str!("litmus_s.rs"),
    interesting: &[1, 2],
    model: |o| match o {
        MemOrder::Relaxed => Model::Allowed,
        MemOrder::Acqrel | MemOrder::Seqcst => Model::Forbidden,
    },
    citation: "Linux-kernel memory model litmus catalogue, S+poonceonces; herd7 rc11.cat \
               (Lahav et al., PLDI 2017): allowed relaxed (even with acyclic sb | rf); \
               release/acquire hb against mo violates coherence (irreflexive hb; eco?)",
    meanings: Meanings {
        allowed: "the later store landed first in x's order: allowed without Release/Acquire",
        forbidden: "the later store landed first: Release/Acquire orders the two stores",
        other: "an interleaving of the two threads",
    },
    shape: crate::litmus::shape::<S>,
    native: crate::litmus::run_native::<S>,
    loom: crate::litmus::run_loom::<S>,
    rc11: crate::litmus::rc11::kernel::<S>,
    loom_limit: crate::litmus::loom_agrees,
};
