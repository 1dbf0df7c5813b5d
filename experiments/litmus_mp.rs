//! # MP — message passing: does seeing the flag mean seeing the data?
//!
//! **Question.** `data = flag = 0`. Thread 0 writes `data = 1`, then `flag = 1`; thread 1
//! reads `flag`, then `data`. If thread 1 sees `flag == 1`, must it see `data == 1`?
//!
//! **Expect.** With a Release store of the flag and an Acquire load of it, yes: everything
//! before the release is visible after the acquire that reads it — the contract every lock
//! and channel is built on. With Relaxed, **no**: flag = 1, data = 0 is allowed. x86 never
//! shows it (TSO keeps stores in order with stores and loads in order with loads; the one
//! reordering it allows is a store with a *later* load, which is SB, not MP) — ARM and POWER
//! do — but loom and the rc11 world, which explore what the language allows rather than what
//! one CPU does, find it.
//!
//! **Model.** Relaxed: allowed; AcqRel: forbidden; SeqCst: forbidden — Batty et al.,
//! "Mathematizing C++ Concurrency" (POPL 2011), MP; herd7's `rc11.cat` (Lahav et al., PLDI
//! 2017): the release/acquire pair makes `data = 1` happen before the data read, and
//! coherence (`irreflexive hb; eco?`) forbids that read seeing the older 0.
//!
//! **Outcomes.** Registers flag (thread 1's first read, the flag `y`) and data (its second,
//! `x`). (0,0), (0,1), (1,1): ACCEPTABLE. (1,0): INTERESTING under relaxed, FORBIDDEN under
//! acqrel and seqcst.

use crate::litmus::{Actors, Litmus, Meanings, Model, Regs, Vars};
use crate::rt::{MemOrder, Rt, RtAtomic};
use std::sync::atomic::Ordering::Relaxed;

pub struct Mp;

impl Actors for Mp {
    const REGS: &'static [&'static [&'static str]] = &[&[], &["flag", "data"]];
    fn actor<R: Rt>(me: usize, v: &Vars<R::AtomicU64>, o: MemOrder) -> Regs {
        if me == 0 {
            // The writer: data (x), then the flag (y).
            v.x.store(1, Relaxed); // the message…
            v.y.store(1, o.store()); // …published by the flag: Release makes it visible with it
            [0, 0]
        } else {
            // The reader: the flag, then the data.
            let flag = v.y.load(o.load()); // Acquire: if this sees 1…
            let data = v.x.load(Relaxed); // …this must see 1 too
            [flag, data]
        }
    }
}

pub const TEST: Litmus = Litmus {
    name: "MP",
    summary: "message passing: data=1; flag=1 || r0=flag; r1=data — can r0 = 1, r1 = 0?",
    source: include_str!("litmus_mp.rs"),
    interesting: &[1, 0],
    model: |o| match o {
        MemOrder::Relaxed => Model::Allowed,
        MemOrder::Acqrel | MemOrder::Seqcst => Model::Forbidden,
    },
    citation: "Batty et al., Mathematizing C++ Concurrency (POPL 2011), MP; herd7 rc11.cat \
               (Lahav et al., PLDI 2017): release/acquire gives hb, coherence \
               (irreflexive hb; eco?) forbids it",
    meanings: Meanings {
        allowed: "flag seen, data not: allowed without Release/Acquire",
        forbidden: "flag seen, data not: Release/Acquire forbids it",
        other: "consistent: no flag, or flag and data",
    },
    shape: crate::litmus::shape::<Mp>,
    native: crate::litmus::run_native::<Mp>,
    loom: crate::litmus::run_loom::<Mp>,
    rc11: crate::litmus::rc11::kernel::<Mp>,
    loom_limit: crate::litmus::loom_agrees,
};
