//! # WRC — write-to-read causality: is "I saw it, then told you" passed on?
//!
//! **Question.** `x = y = 0`. Thread 0 stores `x = 1`. Thread 1 reads `x`, then stores
//! `y = 1`. Thread 2 reads `y`, then `x`. If thread 1 saw x = 1 (r0 = 1) before raising
//! y, and thread 2 saw y = 1 (r1 = 1), can thread 2 still read x = 0 (r2 = 0)?
//!
//! **Expect.** Under Relaxed, **yes**: thread 1's store of y does not carry along what it
//! had seen. Release/Acquire makes causality transitive: x = 1 happens before thread 1's
//! release of y, which happens before thread 2's read of x — forbidden. x86 is causal, so
//! you will not see it here; three actors on two cores never all run at once anyway. loom
//! agrees with the model under every ordering.
//!
//! **Model.** Relaxed: allowed; AcqRel: forbidden; SeqCst: forbidden — Batty et al.,
//! "Mathematizing C++ Concurrency" (POPL 2011), WRC; herd7's `rc11.cat` (Lahav et al., PLDI
//! 2017): with release/acquire, `hb` from `x = 1` to thread 2's read of x, and coherence
//! (`irreflexive hb; eco?`) forbids that read seeing 0.
//!
//! **Outcomes.** Registers r0 (thread 1's read of x), r1, r2 (thread 2's reads of y, x).
//! Every outcome but (1,1,0) is an interleaving: ACCEPTABLE. (1,1,0): INTERESTING under
//! relaxed, FORBIDDEN under acqrel and seqcst.

use crate::litmus::{Actors, Litmus, Meanings, Model, Regs, Vars};
use crate::rt::{MemOrder, Rt, RtAtomic};

pub struct Wrc;

impl Actors for Wrc {
    const REGS: &'static [&'static [&'static str]] = &[&[], &["r0"], &["r1", "r2"]];
    fn actor<R: Rt>(me: usize, v: &Vars<R::AtomicU64>, o: MemOrder) -> Regs {
        match me {
            0 => {
                v.x.store(1, o.store());
                [0, 0]
            }
            1 => {
                let r0 = v.x.load(o.load()); // sees x = 1…
                v.y.store(1, o.store()); // …and says so: does the news travel with it?
                [r0, 0]
            }
            _ => {
                let r1 = v.y.load(o.load());
                [r1, v.x.load(o.load())]
            }
        }
    }
}

pub const TEST: Litmus = Litmus {
    name: "WRC",
    summary: "write-to-read causality: x=1 || r0=x; y=1 || r1=y; r2=x — can r0 = r1 = 1, \
              r2 = 0?",
    source: include_str!("litmus_wrc.rs"),
    interesting: &[1, 1, 0],
    model: |o| match o {
        MemOrder::Relaxed => Model::Allowed,
        MemOrder::Acqrel | MemOrder::Seqcst => Model::Forbidden,
    },
    citation: "Batty et al., Mathematizing C++ Concurrency (POPL 2011), WRC; herd7 rc11.cat \
               (Lahav et al., PLDI 2017): release/acquire makes hb transitive, coherence \
               (irreflexive hb; eco?) forbids it",
    meanings: Meanings {
        allowed: "causality not passed on: allowed without Release/Acquire",
        forbidden: "causality broken: Release/Acquire's happens-before is transitive",
        other: "an interleaving of the three threads",
    },
    shape: crate::litmus::shape::<Wrc>,
    native: crate::litmus::run_native::<Wrc>,
    loom: crate::litmus::run_loom::<Wrc>,
    rc11: crate::litmus::rc11::kernel::<Wrc>,
    loom_limit: crate::litmus::loom_agrees,
};
