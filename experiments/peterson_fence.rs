//! # peterson-fence — Peterson's lock with a SeqCst fence: still not enough for the model
//!
//! **Question.** The `peterson` lock (Release stores, Acquire loads) with one
//! `fence(SeqCst)` between a thread's stores (flag, turn) and its loads. On every CPU that
//! drains the store buffer, so store buffering is gone. Does only one thread at a time get
//! in, by the rules of Rust's (C++20's) memory model?
//!
//! **Expect.** No, and loom shows why (`explore` at 2 × 1 finds `in_cs` = 2). The fences do
//! order each thread's flag store before the other's flag load (the SB half is fixed), but
//! nothing orders the two threads' *stores to `turn`* against the fences. The model lets
//! thread 1's store of `turn` come first in `turn`'s modification order although its fence
//! comes second: thread 0 reads the other flag as down (its fence came first) and enters;
//! thread 1 reads `turn` as "thread 0 gave way last" and enters too. x86 does not do this
//! (its fence drains the store buffer before the loads, and its stores reach memory in one
//! order): `run` on x86 and every sequentially consistent schedule (`hunt`) stay clean.
//! Whether some other CPU could is beside the point: the compiler is entitled to the model,
//! so the program is wrong, and the rc11 world shows the execution graph that proves it. Make giving way a read-modify-write (`peterson-swap`), or make
//! every access SeqCst (`peterson-seqcst`).
//!
//! **Outcomes.** `count` = N × M with `in_cs` = 1: ACCEPTABLE; `in_cs` = 2: INTERESTING (both
//! inside; allowed by the memory model, not by x86); anything else FORBIDDEN.

use super::peterson::Turn;
use super::shared::judge_lock;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    base: super::peterson::PETERSON,
    summary: "Peterson's lock with a SeqCst fence: the model still lets both in (loom shows it)",
    class: Class::LogicRace,
    bug_shows_in: Worlds::WEAK_MEMORY,
    judge: Some(judge_lock),
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::peterson::peterson_lock::<R>(p, Ordering::Release, Ordering::Acquire, Turn::StoreFence)
}
