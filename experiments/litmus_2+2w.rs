//! # 2+2W — two plus two writes: can both threads' second stores be overwritten?
//!
//! **Question.** `x = y = 0`. Thread 0 stores `x = 1`, then `y = 2`; thread 1 stores
//! `y = 1`, then `x = 2`. Once both are done, can `x == 1` and `y == 1` — each thread's
//! *first* store the last one to its variable, so each thread's second store came before the
//! other thread's first?
//!
//! **Expect.** In any interleaving the last store of all is a second store (`y = 2` or
//! `x = 2`), so one of the final values is 2. With Relaxed, and with Release stores too, the
//! model **allows** x = y = 1: nothing orders stores to different variables across threads
//! (no load reads anything, so no release synchronises). SeqCst forbids it: every SeqCst
//! store falls in one total order consistent with each thread's program order and each
//! variable's modification order — a cycle here. x86 keeps stores in order, so not here.
//! loom finds it under every ordering: its modification order is partial (stores that no
//! happens-before orders stay unordered, and a later read may return either), and it gives
//! SeqCst stores no total order — under SeqCst that is a false alarm.
//!
//! **Model.** Relaxed: allowed; AcqRel: allowed; SeqCst: forbidden — Lahav, Giannarakis,
//! Vafeiadis, "Taming Release-Acquire Consistency" (POPL 2016): 2+2W is allowed by C11's
//! release/acquire (their SRA strengthening forbids it); herd7's `rc11.cat` (Lahav et al.,
//! PLDI 2017): with SC accesses, `sb` and `mo` form a `psc` cycle.
//!
//! **Outcomes.** Registers x and y: the final values, read after both threads finished.
//! (1,2), (2,1), (2,2): ACCEPTABLE. (1,1): INTERESTING under relaxed/acqrel, FORBIDDEN under
//! seqcst.

use crate::litmus::{Actors, Litmus, LoomLimit, Meanings, Model, Regs, Var, Vars};
use crate::rt::{MemOrder, Rt, RtAtomic};

pub struct TwoPlusTwoW;

impl Actors for TwoPlusTwoW {
    const REGS: &'static [&'static [&'static str]] = &[&[], &[]];
    const FINAL: &'static [Var] = &[Var::X, Var::Y];
    fn actor<R: Rt>(me: usize, v: &Vars<R::AtomicU64>, o: MemOrder) -> Regs {
        if me == 0 {
            v.x.store(1, o.store());
            v.y.store(2, o.store()); // can this land before thread 1's y = 1…
        } else {
            v.y.store(1, o.store());
            v.x.store(2, o.store()); // …while this lands before thread 0's x = 1?
        }
        [0, 0]
    }
}

pub const TEST: Litmus = Litmus {
    name: "2+2W",
    summary: "two plus two writes: x=1; y=2 || y=1; x=2 — can finally x = y = 1?",
    source: include_str!("litmus_2+2w.rs"),
    interesting: &[1, 1],
    model: |o| match o {
        MemOrder::Relaxed | MemOrder::Acqrel => Model::Allowed,
        MemOrder::Seqcst => Model::Forbidden,
    },
    citation: "Lahav, Giannarakis, Vafeiadis, Taming Release-Acquire Consistency (POPL 2016): \
               2+2W allowed by C11 release/acquire; herd7 rc11.cat (Lahav et al., PLDI 2017): \
               only acyclic psc (SC accesses, sb | mo) forbids it",
    meanings: Meanings {
        allowed: "each thread's second store was overwritten by the other's first",
        forbidden: "a cycle of program order and store order: SeqCst forbids it",
        other: "an interleaving of the two threads",
    },
    shape: crate::litmus::shape::<TwoPlusTwoW>,
    native: crate::litmus::run_native::<TwoPlusTwoW>,
    loom: crate::litmus::run_loom::<TwoPlusTwoW>,
    rc11: crate::litmus::rc11::kernel::<TwoPlusTwoW>,
    loom_limit: |o| (o == MemOrder::Seqcst).then_some(LoomLimit::SeqCstAsAcqRel),
};
