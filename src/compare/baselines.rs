//! The hardware baselines of `race-lab compare`, measured with raw std atomics and no lab
//! code in the timed loop: an uncontended `fetch_add`, a contended one, and a cache line
//! ping-ponging between two CPUs.

use crate::machine;
use crate::rt::{Native, Rt};
use crossbeam_utils::CachePadded;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Handoffs per thread in the ping-pong baseline (at most; fewer with a small `--iters`).
const PING_PONG_HANDOFFS: u64 = 100_000;
/// The ping-pong baseline gives up after this long (a busy CPU can stall every handoff).
const PING_PONG_LIMIT: Duration = Duration::from_millis(500);

/// The three baselines, in the order they are measured and printed.
#[derive(Clone, Copy)]
pub(super) enum Baseline {
    Uncontended,
    Contended,
    PingPong,
}

pub(super) const BASELINES: [Baseline; 3] = [
    Baseline::Uncontended,
    Baseline::Contended,
    Baseline::PingPong,
];

impl Baseline {
    pub(super) fn name(self) -> &'static str {
        match self {
            Baseline::Uncontended => "uncontended fetch_add",
            Baseline::Contended => "contended fetch_add",
            Baseline::PingPong => "cache-line ping-pong",
        }
    }
    pub(super) fn threads(self) -> usize {
        match self {
            Baseline::Uncontended => 1,
            _ => 2,
        }
    }
    pub(super) fn iters(self, iters: u64) -> u64 {
        match self {
            Baseline::PingPong => iters.min(PING_PONG_HANDOFFS),
            _ => iters,
        }
    }
    /// Runs it once: (final count, expected count, elapsed).
    pub(super) fn measure(self, iters: u64) -> (u64, u64, Duration) {
        let m = self.iters(iters);
        match self {
            Baseline::Uncontended | Baseline::Contended => {
                let n = self.threads();
                let counter = CachePadded::new(AtomicU64::new(0));
                let elapsed = start_together(n, |_| {
                    for _ in 0..m {
                        counter.fetch_add(1, Ordering::SeqCst);
                    }
                });
                (counter.load(Ordering::SeqCst), n as u64 * m, elapsed)
            }
            Baseline::PingPong => ping_pong(m),
        }
    }
}

/// Runs `body(i)` on `n` scoped threads that start together (spin start, as the lab's
/// workers do) and returns the time from the first start to the last finish.
fn start_together(n: usize, body: impl Fn(usize) + Sync) -> Duration {
    let gate = Native::gate(n);
    let spans: Vec<(Instant, Instant)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (gate, body) = (&gate, &body);
                s.spawn(move || {
                    Native::wait(gate); // the lab's spin start line, outside the timing
                    let start = Instant::now();
                    body(i);
                    (start, Instant::now())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let first = spans.iter().map(|s| s.0).min();
    let last = spans.iter().map(|s| s.1).max();
    match (first, last) {
        (Some(a), Some(b)) => b - a,
        _ => Duration::ZERO,
    }
}

/// Two threads, pinned to two different CPUs when there are two, take turns incrementing
/// one cache line: thread `i` writes when the count is ≡ i (mod 2). Every handoff moves the
/// line from one CPU's cache to the other's. Returns (handoffs done, handoffs asked for,
/// elapsed).
fn ping_pong(per_thread: u64) -> (u64, u64, Duration) {
    let total = 2 * per_thread;
    let line = CachePadded::new(AtomicU64::new(0));
    let stop = AtomicBool::new(false);
    let cpus = machine::allowed_cpus();
    let deadline = Instant::now() + PING_PONG_LIMIT;
    let elapsed = start_together(2, |i| {
        if cpus.len() >= 2 {
            // Pinning only steadies the figure; unpinned, the scheduler still spreads them.
            let _ = machine::pin(&[cpus[i]]);
        }
        let mut v = i as u64;
        while v < total {
            let mut spins = 0u32;
            while line.load(Ordering::Acquire) != v {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                spins = spins.wrapping_add(1);
                if spins % 1024 == 0 {
                    std::thread::yield_now(); // the other thread is not running
                } else {
                    std::hint::spin_loop();
                }
            }
            line.store(v + 1, Ordering::Release); // the line moves to this CPU…
            v += 2; // …and this thread waits for it to come back.
            if i == 0 && v % 2048 == 0 && Instant::now() > deadline {
                stop.store(true, Ordering::Relaxed);
                return;
            }
        }
    });
    let done = line.load(Ordering::SeqCst);
    // A ping-pong cut short by the time limit counted `done` handoffs, all of them real.
    (done, done.max(1), elapsed)
}
