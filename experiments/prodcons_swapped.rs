//! # prodcons-swapped — the consumer's two waits in the wrong order
//!
//! **Question.** `prodcons-semaphores`, with one change in the consumer: it takes the
//! buffer's lock first and then waits on `full` (as the lines read naturally: "get the
//! buffer, wait for an item"). Does it still finish?
//!
//! **Expect.** Not always. A consumer that finds no item goes to sleep on `full` while
//! holding the buffer's lock; the producer that would give it an item must take that lock
//! first, and waits for it forever. Neither waits in a cycle of locks: one lock and one
//! semaphore are enough. This is the classic slip of *The Little Book of Semaphores* and a
//! level of *The Deadlock Empire*. Schedules find it at 2 × 1. The fix: wait for the
//! semaphore before taking the lock (`prodcons-semaphores`).
//!
//! **Outcomes.** finished with `ops` = N × M and `left` = 0: ACCEPTABLE; a deadlock:
//! INTERESTING (the lesson); anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "semaphores",
    summary: "the consumer locks the buffer, then waits for an item: deadlock",
    class: Class::Deadlock,
    locks: &["empty", "full", "buffer"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(super::bounded_buffer::judge),
    default_threads: 2,
    default_iters: 1_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::prodcons_semaphores::produce_consume::<R>(p, true)
}
