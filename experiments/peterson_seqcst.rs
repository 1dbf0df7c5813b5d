//! # peterson-seqcst — Peterson's lock with SeqCst accesses (and loom's false alarm)
//!
//! **Question.** The `peterson` lock with every flag and turn access SeqCst. Does only one
//! thread at a time get in?
//!
//! **Expect.** Yes. SeqCst accesses fall into one total order that every thread agrees on,
//! so a thread's flag store cannot pass its later load of the other's flag: of two threads
//! that both raise their flags, at least one sees the other's, and the turn lets exactly
//! one through. On x86 a SeqCst store is an `xchg`, which drains the store buffer. `run`
//! and `hunt` (sequentially consistent schedules) find nothing.
//!
//! **loom raises a false alarm here.** loom models SeqCst *accesses* as Acquire/Release (its
//! README lists this among unsupported features), so `explore peterson-seqcst` reports
//! `in_cs` = 2 — an execution the Rust memory model forbids. Only `fence(SeqCst)` is
//! modelled in full, and a lock that gives way with a read-modify-write needs no
//! SeqCst at all: `peterson-swap` is the version loom can prove.
//!
//! **Outcomes.** `count` = N × M and `in_cs` = 1: ACCEPTABLE; anything else FORBIDDEN (in
//! loom's world, expected: see above).

use super::peterson::Turn;
use super::shared::judge_lock;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    base: super::peterson::PETERSON,
    summary: "Peterson's lock with SeqCst accesses: correct; loom's model raises a false alarm",
    class: Class::Fixed,
    judge: Some(judge_lock),
    loom_false_alarm: true,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::peterson::peterson_lock::<R>(p, Ordering::SeqCst, Ordering::SeqCst, Turn::Store)
}
