//! # CoRR — read-read coherence: can a later read see an older value?
//!
//! **Question.** `x = 0`. Thread 0 stores `x = 1`. Thread 1 reads `x` twice. Can the first
//! read see 1 and the second 0 — time running backwards for one variable?
//!
//! **Expect.** **Never, under any ordering, Relaxed included.** Every atomic variable has
//! one modification order, and a thread's reads of it never go back in that order
//! (coherence). This is what Relaxed *does* promise; everything weaker than that is a data
//! race, not an atomic. Neither this CPU nor loom should ever show it.
//!
//! **Model.** Relaxed, AcqRel, SeqCst: forbidden — Batty et al., "Mathematizing C++
//! Concurrency" (POPL 2011), the CoRR coherence axiom; herd7's `rc11.cat` (Lahav et al.,
//! PLDI 2017): `irreflexive hb; eco?` with `hb ⊇ sb` between the two reads.
//!
//! **Outcomes.** (0,0), (0,1), (1,1): ACCEPTABLE. (1,0): FORBIDDEN under every ordering.

use crate::litmus::{Actors, Litmus, Meanings, Model, Regs, Vars};
use crate::rt::{MemOrder, Rt, RtAtomic};

pub struct CoRr;

impl Actors for CoRr {
    const REGS: &'static [&'static [&'static str]] = &[&[], &["r0", "r1"]];
    fn actor<R: Rt>(me: usize, v: &Vars<R::AtomicU64>, o: MemOrder) -> Regs {
        if me == 0 {
            v.x.store(1, o.store());
            [0, 0]
        } else {
            let r0 = v.x.load(o.load());
            [r0, v.x.load(o.load())] // never older than what r0 saw
        }
    }
}

pub const TEST: Litmus = Litmus {
    name: "CoRR",
    summary: "read-read coherence: x=1 || r0=x; r1=x — can r0 = 1, r1 = 0?",
    source: include_str!("litmus_corr.rs"),
    interesting: &[1, 0],
    model: |_| Model::Forbidden,
    citation: "Batty et al., Mathematizing C++ Concurrency (POPL 2011), CoRR coherence; \
               herd7 rc11.cat (Lahav et al., PLDI 2017): irreflexive hb; eco? forbids it \
               under every ordering",
    meanings: Meanings {
        allowed: "a read went back in x's modification order",
        forbidden: "a read went back in x's modification order: coherence forbids it",
        other: "coherent: the reads never go back",
    },
    shape: crate::litmus::shape::<CoRr>,
    native: crate::litmus::run_native::<CoRr>,
    loom: crate::litmus::run_loom::<CoRr>,
    rc11: crate::litmus::rc11::kernel::<CoRr>,
    loom_limit: crate::litmus::loom_agrees,
};
