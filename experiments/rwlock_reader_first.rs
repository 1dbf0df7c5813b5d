//! # rwlock-reader-first — readers that keep a writer out
//!
//! **Question.** `rwlock-writer-first`'s lock without the "writer waiting" bit: a reader
//! gets in whenever no writer holds the lock, and a writer needs the lock empty. How many
//! reader entries can happen while the writer waits?
//!
//! **Expect.** Without bound: as long as some reader is inside, the writer is shut out, and
//! new readers keep getting in. With two readers taking turns, the lock is never empty and
//! the writer starves while every operation succeeds. Schedules show `longest_wait` = 2 >
//! N − 1 at 2 × 2 (one reader going in twice while the writer waits). std's `RwLock`
//! leaves its policy to the platform for exactly this trade-off. The fix: a waiting writer
//! stops new readers (`rwlock-writer-first`).
//!
//! **Outcomes.** `ops` = N × M and `longest_wait` ≤ N − 1: ACCEPTABLE; `longest_wait` >
//! N − 1: INTERESTING (writer starvation); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "progress",
    summary: "reader-preferring rwlock: readers keep coming, the writer starves",
    class: Class::LogicRace,
    atomics: &["state", "entries", "longest"],
    bug_shows_in: Worlds::ALL,
    play: Play::Not("the wait is counted in the threads' local variables, which play's search over shared states cannot see: explore it"),
    judge: Some(super::ticket_fair::judge),
    goal: Some("starve the writer: let readers in more than N − 1 times while it waits"),
    default_threads: 2,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::rwlock_writer_first::readers_and_writer::<R>(p, false)
}
