//! # channel — don't share the counter, send it messages
//!
//! **Question.** Give the counter one owner (the main thread) and let the workers *send* it
//! increments over a channel. With `--batch K` a worker adds K increments locally and sends
//! their sum. Exact? What does a message cost?
//!
//! **Expect.** Always N × M: only the owner ever touches the count, so there is nothing to
//! race on ("share memory by communicating"). A message costs tens of nanoseconds (a queue
//! node, atomics, sometimes a wake-up); batching divides that by K. The metric `messages`
//! counts what was sent: N × ⌈M / K⌉.
//!
//! **Outcomes.** N × M ACCEPTABLE; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    summary: "workers send increments to one owner over mpsc (--batch K sends local sums)",
    class: Class::Fixed,
    options: &[Opt::Batch],
    metric: Some("messages"),
    default_threads: 8,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let (tx, rx) = R::channel();
    let (m, batch) = (p.iters, p.batch.max(1));
    let per_worker = m.div_ceil(batch); // messages each worker sends
    let messages = p.threads as u64 * per_worker;
    let (sent, elapsed, value) = workers_with_owner::<R, _, u64, _>(
        p,
        &Arc::new(tx),
        move |tx, _| {
            let mut left = m;
            while left > 0 {
                let k = left.min(batch); // add locally…
                tx.send(k); // …then hand the sum to the owner.
                left -= k;
            }
            per_worker
        },
        // The owner, on the main thread: the only code that ever touches the count. It
        // receives an exact number of messages (loom does not model a closed channel).
        move || (0..messages).map(|_| rx.recv()).sum::<u64>(),
    );
    Run::counted(value, sent, elapsed)
}
