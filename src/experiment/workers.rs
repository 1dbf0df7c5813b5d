//! The worker spawner every kernel shares: `p.threads` workers that start together, each
//! running the experiment's timed loop, joined, their counts summed and the time between
//! the first start and the last end measured.

use super::Params;
use crate::rt::Rt;
use std::sync::Arc;
use std::time::Duration;

/// Spawns `p.threads` workers that start together, runs `body(&shared, worker_index)` in
/// each, joins them, and returns the sum of what they returned with the elapsed time.
///
/// The body is the experiment's timed loop; it is monomorphised per world and per
/// experiment, so in the native world nothing stands between it and the hardware.
pub fn workers<R: Rt, S: Send + Sync + 'static>(
    p: &Params,
    shared: &Arc<S>,
    body: impl Fn(&S, usize) -> u64 + Send + Sync + 'static,
) -> (u64, Option<Duration>) {
    workers_counting::<R, S, u64>(p, shared, body)
}

/// What workers count and the lab adds up: one count (`u64`), or two counted together
/// (`(u64, u64)`: the operations a worker did and the failures it saw), so that an outcome
/// field is counted, never declared.
pub trait Counts: Send + 'static {
    fn zero() -> Self;
    fn add(self, other: Self) -> Self;
}

impl Counts for u64 {
    fn zero() -> Self {
        0
    }
    fn add(self, other: Self) -> Self {
        self + other
    }
}

impl Counts for (u64, u64) {
    fn zero() -> Self {
        (0, 0)
    }
    fn add(self, other: Self) -> Self {
        (self.0 + other.0, self.1 + other.1)
    }
}

/// As [`workers`], for a body that counts more than one thing ([`Counts`]).
pub fn workers_counting<R: Rt, S: Send + Sync + 'static, M: Counts>(
    p: &Params,
    shared: &Arc<S>,
    body: impl Fn(&S, usize) -> M + Send + Sync + 'static,
) -> (M, Option<Duration>) {
    let (tally, elapsed, ()) = workers_with_owner::<R, S, M, ()>(p, shared, body, || ());
    (tally, elapsed)
}

/// As [`workers`], with `owner` run on the calling thread while the workers run (after they
/// are spawned, before they are joined): the owner of a channel, say.
pub fn workers_with_owner<R: Rt, S: Send + Sync + 'static, M: Counts, T>(
    p: &Params,
    shared: &Arc<S>,
    body: impl Fn(&S, usize) -> M + Send + Sync + 'static,
    owner: impl FnOnce() -> T,
) -> (M, Option<Duration>, T) {
    let gate = Arc::new(R::gate(p.threads));
    let body = Arc::new(body);
    let handles: Vec<_> = (0..p.threads)
        .map(|t| {
            let (shared, gate, body) = (shared.clone(), gate.clone(), body.clone());
            R::spawn(move || {
                R::wait(&gate);
                let start = R::now();
                let metric = body(&shared, t);
                (metric, start, R::now())
            })
        })
        .collect();
    let owned = owner();
    let mut metric = M::zero();
    let mut first = None;
    let mut last = None;
    for h in handles {
        let (m, s, e) = R::join(h);
        metric = metric.add(m);
        first = match (first, s) {
            (Some(a), Some(b)) => Some(std::cmp::min(a, b)),
            (a, b) => a.or(b),
        };
        last = match (last, e) {
            (Some(a), Some(b)) => Some(std::cmp::max(a, b)),
            (a, b) => a.or(b),
        };
    }
    (metric, first.zip(last).map(|(a, b)| b - a), owned)
}
