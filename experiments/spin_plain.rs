//! # spin-plain — waiting on a plain flag
//!
//! **Question.** `spin-atomic`'s rounds, with the flag a plain `u64` (no atomic): the waiting
//! threads run `while flag < round {}`, as a person first writes it. Does every wait end?
//!
//! **Expect.** Not in a release build. Nothing in the loop says another thread may change
//! the flag, and if one did, that would be a data race, which Rust programs may assume never
//! happens. So the optimiser reads the flag once, before the loop, and spins on the register:
//! a thread that read it one moment too early waits forever. Here `run` hangs within the first
//! few rounds and the watchdog ends it ("hung"; the spinning thread keeps its CPU until the lab
//! exits). Adding `std::hint::spin_loop()` to the loop makes this compiler read again (measured),
//! but it is still a data race, and to the memory model that is the whole story: loom and
//! the rc11 world report a DATA RACE at 2 × 1, as do Miri and ThreadSanitizer. Schedules are
//! sequentially consistent and every read there is a real read, so the scheduled world
//! proves the kernel: what breaks it is the language's memory model and its optimiser, not an
//! interleaving. Clippy says it before anything runs: "variables in the condition are not
//! mutated in the loop body" (`while_immutable_condition`, allowed once in `rt/racy.rs`). The
//! fix: an atomic flag, even Relaxed (`spin-atomic`).
//!
//! **Outcomes.** `ops` = N × M: ACCEPTABLE; a hang: INTERESTING; in the weak-memory worlds the
//! run ends at the DATA RACE; anything else FORBIDDEN.

use super::spin_atomic::Rounds;
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "progress",
    summary: "spin until a plain flag reaches the round: the optimiser reads it once, the wait never ends",
    class: Class::DataRace,
    threads: (2, usize::MAX),
    atomics: &["flag", "acks"],
    bug_shows_in: Worlds::WEAK_MEMORY,
    hang_spins: true,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(super::spin_atomic::judge),
    default_threads: 2,
    default_iters: 100_000,
};

fn announce<R: Rt>((_, flag, _): &Rounds<R>, round: u64) {
    flag.write(round);
}

fn wait<R: Rt>((_, flag, _): &Rounds<R>, round: u64) {
    R::spin_until_plain(flag, round); // while flag < round {}
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::spin_atomic::rounds::<R>(p, announce::<R>, wait::<R>)
}
