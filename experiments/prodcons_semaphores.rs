//! # prodcons-semaphores — producers and consumers with two semaphores
//!
//! **Question.** A buffer of one slot, counted under a mutex, and two semaphores: `empty`
//! (free slots, starts at 1) and `full` (items, starts at 0). Even-numbered workers put M
//! items, odd-numbered ones take M (the last of an odd number does both). A put is
//! `empty.wait()`, lock, add the item, unlock, `full.signal()`; a take is the mirror image.
//! Does it always finish, with the buffer never over- or underfull?
//!
//! **Expect.** Always. The semaphores do the counting the condvar lessons do by hand: a
//! putter waits for a free slot *before* it takes the buffer's lock, so whoever holds the
//! lock never sleeps. That order is the whole trick: swap the consumer's two waits and it
//! deadlocks (`prodcons-swapped`). `explore` proves it at 2 × 2 and 3 × 1.
//!
//! **Outcomes.** `ops` = N × M with `left` = 0 items in the buffer at the end: ACCEPTABLE;
//! anything else (a deadlock included) FORBIDDEN.

use super::semaphore::Semaphore;
use super::shared::{role, Role};
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "semaphores",
    summary: "a one-slot buffer with empty/full semaphores, waits before the lock",
    class: Class::Fixed,
    locks: &["empty", "full", "buffer"],
    judge: Some(super::bounded_buffer::judge),
    default_threads: 4,
    default_iters: 20_000,
};

/// The producer/consumer kernel; `swapped`: consumers take the buffer's lock before they
/// wait for an item.
pub fn produce_consume<R: Rt>(p: &Params, swapped: bool) -> Run {
    let s = Arc::new((
        Semaphore::<R>::new(1),
        Semaphore::<R>::new(0),
        <R::Mutex<StdLock, u64>>::new(0),
    ));
    let (m, n) = (p.iters, p.threads);
    let (ops, elapsed) = workers::<R, _>(p, &s, move |(empty, full, buffer), t| {
        for _ in 0..m {
            if role(t, n) != Role::Take {
                empty.wait(); // a free slot first…
                *buffer.lock() += 1; // …then the lock, held only for the update
                full.signal();
            }
            if role(t, n) != Role::Put {
                if swapped {
                    let mut b = buffer.lock(); // the lock first…
                    full.wait(); // …then sleep holding it: no producer can put
                    *b -= 1;
                } else {
                    full.wait();
                    *buffer.lock() -= 1;
                }
                empty.signal();
            }
        }
        m
    });
    let left = *s.2.lock();
    Run::of(Outcome::of(&[("ops", ops), ("left", left)]), elapsed)
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    produce_consume::<R>(p, false)
}
