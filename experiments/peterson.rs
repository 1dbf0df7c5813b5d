//! # peterson — Peterson's lock with Acquire/Release: store buffering lets both in
//!
//! **Question.** Peterson's lock for two threads, from two flags and a turn: to enter,
//! raise your flag ("I want in"), give way (`turn` = me), then wait while the other's flag
//! is up and it is still your turn to give way. To leave, lower your flag. Stores Release,
//! loads Acquire. Does only one thread at a time get in?
//!
//! **Expect.** No, although the algorithm is correct under sequential consistency. Each
//! thread stores its flag, then loads the other's: store buffering (SB). Release/Acquire
//! never orders a store before a *later* load, so each thread can read the other's flag as
//! still down, and both enter. `explore` finds `in_cs` = 2 at 2 × 1. x86's store buffer
//! does exactly this (`race-lab litmus SB` shows it), but only when both threads arrive at
//! the lock at the same moment: a thread that already waits has long since published its
//! flag, so under contention the lock hands over in strict alternation and never fails. So
//! each thread does a little work of random length between its turns (as real code does),
//! and `run` shows both inside. Sequentially
//! consistent schedules cannot show it (`hunt` finds nothing). The repairs: SeqCst accesses
//! (`peterson-seqcst`), or giving way with a read-modify-write (`peterson-swap`); a SeqCst
//! fence between the stores and the loads is not enough in Rust's model (`peterson-fence`).
//!
//! **Outcomes.** `count` = N × M with `in_cs` = 1: ACCEPTABLE; `in_cs` = 2: INTERESTING (both
//! inside; lost counts follow); anything else FORBIDDEN.

use super::shared::{judge_lock, lock_outcome, Inside};
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    base: PETERSON,
    summary: "Peterson's lock with Release stores and Acquire loads (broken by store buffering)",
    class: Class::LogicRace,
    bug_shows_in: Worlds {
        native: true,
        loom: true,
        scheduled: false,
    },
    judge: Some(judge_lock),
};

/// What the four Peterson experiments share: two threads, the same shared objects, proved
/// at 2 × 1, run natively at 2 × 200,000.
pub const PETERSON: Experiment = Experiment {
    family: "locks",
    threads: (2, 2),
    atomics: &["flag0", "flag1", "turn", "count", "inside", "peak"],
    proof: Size {
        threads: 2,
        iters: 1,
    },
    default_threads: 2,
    default_iters: 200_000,
    ..Experiment::DEFAULTS
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    peterson_lock::<R>(p, Ordering::Release, Ordering::Acquire, Turn::Store)
}

/// How a thread gives way.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// A store to `turn`.
    Store,
    /// A store to `turn`, then a SeqCst fence before the loads.
    StoreFence,
    /// A swap (AcqRel read-modify-write) of `turn`.
    Swap,
}

/// Peterson's lock for two threads (the declaration takes exactly two), with stores of
/// ordering `store`, loads of ordering `load`, giving way by `turn`.
pub fn peterson_lock<R: Rt>(p: &Params, store: Ordering, load: Ordering, give_way: Turn) -> Run {
    let flag: [R::AtomicUsize; 2] = [RtAtomic::new(0), RtAtomic::new(0)];
    let turn: R::AtomicUsize = RtAtomic::new(0);
    let s = Arc::new(((flag, turn, R::AtomicU64::new(0)), Inside::<R>::new()));
    let m = p.iters;
    let (_, elapsed) = workers::<R, _>(p, &s, move |((flag, turn, count), inside), me| {
        let mut seed = 0x9E37_79B9_7F4A_7C15 ^ (me as u64 + 1);
        let other = 1 - me;
        for _ in 0..m {
            think(&mut seed);
            flag[me].store(1, store); // I want in…
            match give_way {
                Turn::Swap => {
                    turn.swap(me, Ordering::AcqRel); // (peterson-swap)
                }
                _ => turn.store(me, store), // …but I give way
            }
            if give_way == Turn::StoreFence {
                R::fence(Ordering::SeqCst); // (peterson-fence)
            }
            // Wait while it is my turn to give way and the other thread wants in.
            while turn.load(load) == me && flag[other].load(load) != 0 {
                R::yield_now();
            }
            inside.enter();
            let c = count.load(Ordering::Relaxed);
            count.store(c + 1, Ordering::Relaxed);
            inside.leave();
            flag[me].store(0, store); // I am out
        }
        0
    });
    Run::of(
        lock_outcome(s.0 .2.load(Ordering::SeqCst), s.1.peak()),
        elapsed,
    )
}

/// A little work outside the lock, 0 to 7 spins long (xorshift): without it the threads
/// settle into strict alternation and never arrive together, which is when store buffering
/// bites. It touches nothing shared, so loom and the scheduled world do not see it.
fn think(seed: &mut u64) {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    for _ in 0..*seed % 8 {
        std::hint::spin_loop();
    }
}
