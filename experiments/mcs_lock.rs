//! # mcs-lock — a queue lock: each waiter spins on its own flag
//!
//! **Question.** The MCS lock (Mellor-Crummey and Scott, 1991): every thread has a queue
//! node (`locked`, `next`). To enter, a thread resets its node, swaps itself into `tail`
//! (AcqRel: the doorway) and, if there was a predecessor, links itself behind it and spins
//! on its *own* `locked` flag. To leave, it hands the lock to its successor by clearing the
//! successor's flag; with no successor it swings `tail` back to empty, or, if someone is
//! just linking in, waits for the link. Is it exclusive, and is it fair?
//!
//! **Expect.** Both: one thread at a time, and first come first served, so no thread waits
//! for more than N − 1 entries by others (`longest_wait`, as `ticket-fair` measures it).
//! Unlike a ticket lock, each waiter spins on a flag no one else reads, so a release touches
//! one other core's cache, not all of them: this is the lock Java's AQS and Linux's
//! qspinlock descend from. The subtle part is the release that finds no successor yet: the
//! `compare_exchange` on `tail` fails exactly when one is on its way. `explore` proves it at
//! 2 × 1 (2 × 2 takes 776,458 classes, about 30 s).
//!
//! **Outcomes.** `count` = N × M and `longest_wait` ≤ N − 1: ACCEPTABLE; anything else
//! FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "progress",
    summary: "MCS queue lock: FIFO, each waiter spins on its own flag",
    class: Class::Fixed,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(super::ticket_fair::judge),
    default_threads: 2,
    default_iters: 100_000,
};

/// A queue node: whether its thread must still wait, and who queued behind it (index + 1).
struct Node<R: Rt> {
    locked: R::AtomicBool,
    next: R::AtomicU64,
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let nodes: Vec<Node<R>> = (0..p.threads)
        .map(|_| Node {
            locked: RtAtomic::new(false),
            next: RtAtomic::new(0),
        })
        .collect();
    let s = Arc::new((
        (R::AtomicU64::new(0), nodes, R::AtomicU64::new(0)),
        super::ticket_fair::Waits::<R>::new(),
    ));
    let m = p.iters;
    let (_, elapsed) = workers::<R, _>(p, &s, move |((tail, nodes, count), waits), me| {
        let mine = &nodes[me];
        let id = me as u64 + 1;
        for _ in 0..m {
            mine.next.store(0, Ordering::Relaxed);
            mine.locked.store(true, Ordering::Relaxed);
            let pred = tail.swap(id, Ordering::AcqRel); // the doorway
            let since = waits.line_up();
            if pred != 0 {
                nodes[pred as usize - 1].next.store(id, Ordering::Release);
                while mine.locked.load(Ordering::Acquire) {
                    R::yield_now(); // on my own flag
                }
            }
            waits.enter(Some(since));
            let c = count.load(Ordering::Relaxed);
            count.store(c + 1, Ordering::Relaxed);
            // Leave: hand over to the successor, if there is one or one is coming.
            if mine.next.load(Ordering::Acquire) == 0 {
                let alone = tail.compare_exchange(id, 0, Ordering::Release, Ordering::Relaxed);
                if alone.is_ok() {
                    continue;
                }
                while mine.next.load(Ordering::Acquire) == 0 {
                    R::yield_now(); // a successor swapped in but has not linked yet
                }
            }
            let succ = mine.next.load(Ordering::Acquire);
            nodes[succ as usize - 1]
                .locked
                .store(false, Ordering::Release);
        }
        0
    });
    let count = s.0 .2.load(Ordering::SeqCst);
    let o = Outcome::of(&[("count", count), ("longest_wait", s.1.longest())]);
    Run::of(o, elapsed)
}
