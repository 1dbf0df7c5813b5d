//! # spsc — a single-producer single-consumer ring, Release and Acquire
//!
//! **Question.** A ring buffer of two slots between thread 0 (the producer) and thread 1
//! (the consumer). The producer puts items 1, 2, …, M: it waits while the ring is full
//! (`tail − head` = 2), writes the item into slot `tail % 2`, then publishes it by storing
//! `tail + 1` (Release). The consumer waits while it is empty (loads `tail`, Acquire), reads
//! slot `head % 2`, then frees the slot by storing `head + 1` (Release; the producer loads
//! `head` with Acquire). Does the consumer get every item, in order?
//!
//! **Expect.** Always. Each index is written by one thread only, so no read-modify-write is
//! needed: the Release store of `tail` publishes the slot written before it, and the
//! Release store of `head` tells the producer that the slot's old item has been read. This
//! is the queue of audio callbacks and kernel rings (Lamport's, 1983). With Relaxed
//! indices the consumer may read a slot before its item (`spsc-relaxed`). `explore` proves
//! it at 2 × 3 (the ring wraps).
//!
//! **Outcomes.** `ops` = N × M (M puts, M takes) with `wrong` = 0: ACCEPTABLE; anything else
//! FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "lock-free",
    summary: "SPSC ring buffer: Release publishes the slot, Acquire reads it",
    class: Class::Fixed,
    threads: (2, 2),
    atomics: &["head", "tail", "slot0", "slot1"],
    proof: Size {
        threads: 2,
        iters: 3,
    },
    judge: Some(judge),
    default_threads: 2,
    default_iters: 1_000_000,
};

/// The ring's slots.
pub const SLOTS: u64 = 2;

/// The consumer must get items 1..=M in order.
pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    match (o.get("ops"), o.get("wrong")) {
        (Some(i), Some(0)) if i == p.expected() => (Grade::Acceptable, "every item, in order"),
        (Some(i), Some(_)) if i == p.expected() => (
            Grade::Interesting,
            "the consumer read a slot before its item was there",
        ),
        _ => (Grade::Forbidden, "items lost, wrong or out of order"),
    }
}

/// The ring; the index stores use `publish`, the index loads `observe`.
pub fn ring<R: Rt>(p: &Params, publish: Ordering, observe: Ordering) -> Run {
    let s = Arc::new((
        R::AtomicU64::new(0),
        R::AtomicU64::new(0),
        [R::AtomicU64::new(0), R::AtomicU64::new(0)],
    ));
    let m = p.iters;
    let (tally, elapsed) = workers_counting::<R, _, _>(p, &s, move |(head, tail, slot), me| {
        let mut wrong = 0;
        for i in 0..m {
            if me == 0 {
                while i - head.load(observe) == SLOTS {
                    R::yield_now(); // full
                }
                slot[(i % SLOTS) as usize].store(i + 1, Ordering::Relaxed);
                tail.store(i + 1, publish); // publishes the item
            } else {
                while tail.load(observe) == i {
                    R::yield_now(); // empty
                }
                if slot[(i % SLOTS) as usize].load(Ordering::Relaxed) != i + 1 {
                    wrong += 1;
                }
                head.store(i + 1, publish); // frees the slot
            }
        }
        (m, wrong)
    });
    let (ops, wrong) = tally;
    Run::of(Outcome::of(&[("ops", ops), ("wrong", wrong)]), elapsed)
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    ring::<R>(p, Ordering::Release, Ordering::Acquire)
}
