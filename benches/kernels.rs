//! What the lab costs: each experiment's kernel as `race-lab run` calls it
//! (`(exp.kernels.native)(&params)`: the runtime facade, `Arc`s, the spin start gate, the
//! timestamps) against the same loop written by hand with `std::thread::scope` and the std /
//! parking_lot / crossbeam primitives directly, at the same thread count and iterations.
//!
//! `cargo bench --bench kernels` runs every pair at 1 and 2 threads (about 3 minutes on
//! 2 cores) and ends with a table of ratios, lab ÷ hand-written, from criterion's medians.
//! Criterion times the whole call on both sides, thread spawn and join included, so the
//! iteration counts are chosen to make one call last 5–60 ms, where spawning (~60 µs a
//! thread) is noise.
//!
//! Both sides line their threads up at a spinning start line before the loop, as jcstress
//! does: without it the hand-written threads overlap less, and every contended loop looks
//! cheaper than it is (measured: `cas` at 2 threads 3.6x "cheaper" behind a sleeping
//! `std::sync::Barrier`, from threads that barely ran at the same time).
//!
//! The hand-written `unsynced` is the one loop that cannot be written the way the lab
//! writes it without `unsafe`: it uses a Relaxed atomic load and store, which on x86-64
//! compile to the same two plain `mov`s as the lab's volatile read and write (no lock
//! prefix), with `black_box` between them as in the lab.

use criterion::{criterion_group, BenchmarkId, Criterion, SamplingMode};
use crossbeam_utils::CachePadded;
use race_lab::experiment::{Experiment, Params};
use race_lab::experiments;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// One pair: the lab's experiment and the hand-written loop, with the iterations per thread
/// that make a call last long enough for spawn cost to vanish.
struct Case {
    /// The benchmark group's name.
    name: &'static str,
    exp: &'static Experiment,
    batch: u64,
    iters: u64,
    /// The hand-written loop: (final count, loop time from the start line).
    hand: fn(usize, u64, u64) -> (u64, Duration),
}

fn cases() -> Vec<Case> {
    use experiments as e;
    let case = |name: &'static str,
                exp: &'static Experiment,
                batch: u64,
                iters: u64,
                hand: fn(usize, u64, u64) -> (u64, Duration)| Case {
        name,
        exp,
        batch,
        iters,
        hand,
    };
    vec![
        case("atomic", &e::atomic::EXPERIMENT, 1, 2_000_000, hand_atomic),
        case("cas", &e::cas::EXPERIMENT, 1, 1_000_000, hand_cas),
        case("mutex", &e::mutex::EXPERIMENT, 1, 1_000_000, hand_mutex),
        case(
            "parking-lot",
            &e::parking_lot::EXPERIMENT,
            1,
            1_000_000,
            hand_parking_lot,
        ),
        case("channel", &e::channel::EXPERIMENT, 1, 400_000, hand_channel),
        // The batched kernel adds a batch with one subtraction, so only the messages cost:
        // 200M increments per thread are ~200k messages.
        case(
            "channel-batch-1024",
            &e::channel::EXPERIMENT,
            1024,
            200_000_000,
            hand_channel,
        ),
        case(
            "sharded",
            &e::sharded::EXPERIMENT,
            1,
            40_000_000,
            hand_sharded,
        ),
        case(
            "sharded-unpadded",
            &e::sharded_unpadded::EXPERIMENT,
            1,
            20_000_000,
            hand_sharded_unpadded,
        ),
        // The optimiser folds both loops into one addition: this pair measures only the
        // cost of starting and joining the threads.
        case("local", &e::local::EXPERIMENT, 1, 1_000_000, hand_local),
        case(
            "unsynced",
            &e::unsynced::EXPERIMENT,
            1,
            20_000_000,
            hand_unsynced,
        ),
        case(
            "racy-atomic",
            &e::racy_atomic::EXPERIMENT,
            1,
            2_000_000,
            hand_racy_atomic,
        ),
    ]
}

// ---- The loops written by hand: no lab code below this line. ----

/// Runs `body(t)` on `n` scoped threads that all wait at a start line first — the same
/// start the lab gives its workers (as jcstress does): each announces itself, then spins
/// until all have. A sleeping barrier (`std::sync::Barrier`) would not do: the woken thread
/// starts tens of microseconds late, often on the waker's CPU, and the two overlap less —
/// which makes contended loops look cheaper than they are.
///
/// Returns the loop's time as the lab measures its own: from the first thread leaving the
/// start line to the last one finishing (spawn and join excluded).
fn lined_up<R: Send>(n: usize, body: impl Fn(usize) -> R + Sync) -> Duration {
    let arrived = AtomicUsize::new(0);
    let spans: Vec<(Instant, Instant)> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..n)
            .map(|t| {
                let (arrived, body) = (&arrived, &body);
                s.spawn(move || {
                    start_line(arrived, n);
                    let start = Instant::now();
                    black_box(body(t));
                    (start, Instant::now())
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    span(&spans)
}

/// From the first start to the last end.
fn span(spans: &[(Instant, Instant)]) -> Duration {
    let first = spans.iter().map(|s| s.0).min().unwrap();
    let last = spans.iter().map(|s| s.1).max().unwrap();
    last - first
}

/// Announce, then spin (yielding now and then) until `n` threads have arrived.
fn start_line(arrived: &AtomicUsize, n: usize) {
    arrived.fetch_add(1, Ordering::AcqRel);
    let mut spins = 0u32;
    while arrived.load(Ordering::Acquire) < n {
        spins += 1;
        if spins % 64 == 0 {
            std::thread::yield_now();
        } else {
            std::hint::spin_loop();
        }
    }
}

fn hand_atomic(n: usize, m: u64, _: u64) -> (u64, Duration) {
    let c = AtomicU64::new(0);
    let loop_time = lined_up(n, |_| {
        for _ in 0..m {
            c.fetch_add(1, Ordering::SeqCst);
        }
    });
    (c.into_inner(), loop_time)
}

fn hand_cas(n: usize, m: u64, _: u64) -> (u64, Duration) {
    let c = AtomicU64::new(0);
    let loop_time = lined_up(n, |_| {
        let mut retries = 0u64;
        for _ in 0..m {
            let mut v = c.load(Ordering::Relaxed);
            while let Err(seen) =
                c.compare_exchange_weak(v, v + 1, Ordering::SeqCst, Ordering::Relaxed)
            {
                v = seen;
                retries += 1;
            }
        }
        black_box(retries)
    });
    (c.into_inner(), loop_time)
}

fn hand_mutex(n: usize, m: u64, _: u64) -> (u64, Duration) {
    let c = std::sync::Mutex::new(0u64);
    let loop_time = lined_up(n, |_| {
        for _ in 0..m {
            *c.lock().unwrap() += 1;
        }
    });
    (c.into_inner().unwrap(), loop_time)
}

fn hand_parking_lot(n: usize, m: u64, _: u64) -> (u64, Duration) {
    let c = parking_lot::Mutex::new(0u64);
    let loop_time = lined_up(n, |_| {
        for _ in 0..m {
            *c.lock() += 1;
        }
    });
    (c.into_inner(), loop_time)
}

fn hand_channel(n: usize, m: u64, batch: u64) -> (u64, Duration) {
    let (tx, rx) = mpsc::channel::<u64>();
    let messages = n as u64 * m.div_ceil(batch);
    let arrived = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let senders: Vec<_> = (0..n)
            .map(|_| {
                let (tx, arrived) = (tx.clone(), &arrived);
                s.spawn(move || {
                    start_line(arrived, n);
                    let start = Instant::now();
                    let mut left = m;
                    while left > 0 {
                        let k = left.min(batch);
                        tx.send(k).unwrap();
                        left -= k;
                    }
                    (start, Instant::now())
                })
            })
            .collect();
        let sum = (0..messages).map(|_| rx.recv().unwrap()).sum();
        let spans: Vec<_> = senders.into_iter().map(|h| h.join().unwrap()).collect();
        (sum, span(&spans))
    })
}

fn hand_sharded(n: usize, m: u64, _: u64) -> (u64, Duration) {
    let slots: Vec<CachePadded<AtomicU64>> = (0..n)
        .map(|_| CachePadded::new(AtomicU64::new(0)))
        .collect();
    let loop_time = lined_up(n, |t| {
        let mine = &slots[t];
        for _ in 0..m {
            mine.store(mine.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        }
    });
    (
        slots.iter().map(|s| s.load(Ordering::Relaxed)).sum(),
        loop_time,
    )
}

fn hand_sharded_unpadded(n: usize, m: u64, _: u64) -> (u64, Duration) {
    let slots: Vec<AtomicU64> = (0..n).map(|_| AtomicU64::new(0)).collect();
    let loop_time = lined_up(n, |t| {
        let mine = &slots[t];
        for _ in 0..m {
            mine.store(mine.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        }
    });
    (
        slots.iter().map(|s| s.load(Ordering::Relaxed)).sum(),
        loop_time,
    )
}

fn hand_local(n: usize, m: u64, _: u64) -> (u64, Duration) {
    let c = AtomicU64::new(0);
    let loop_time = lined_up(n, |_| {
        let mut mine = 0u64;
        for _ in 0..m {
            mine += 1;
        }
        c.fetch_add(mine, Ordering::Relaxed);
    });
    (c.into_inner(), loop_time)
}

fn hand_unsynced(n: usize, m: u64, _: u64) -> (u64, Duration) {
    let c = AtomicU64::new(0);
    let loop_time = lined_up(n, |_| {
        for _ in 0..m {
            let v = black_box(c.load(Ordering::Relaxed)); // a plain `mov` load…
            c.store(v + 1, Ordering::Relaxed); // …and a plain `mov` store.
        }
    });
    (c.into_inner(), loop_time)
}

fn hand_racy_atomic(n: usize, m: u64, _: u64) -> (u64, Duration) {
    let c = AtomicU64::new(0);
    let loop_time = lined_up(n, |_| {
        for _ in 0..m {
            let v = c.load(Ordering::SeqCst);
            c.store(v + 1, Ordering::SeqCst);
        }
    });
    (c.into_inner(), loop_time)
}

// ---- The benchmarks. ----

const THREADS: [usize; 2] = [1, 2];

fn params(c: &Case, threads: usize) -> Params {
    let mut p = Params::new(threads, c.iters);
    p.batch = c.batch;
    p
}

fn kernels(crit: &mut Criterion) {
    for case in cases() {
        // Both sides count exactly for the fixed versions (checked once, outside the timing).
        if case.exp.class == race_lab::experiment::Class::Fixed {
            let p = params(&case, 2);
            assert_eq!((case.exp.kernels.native)(&p).value(), p.expected());
            assert_eq!((case.hand)(2, case.iters, case.batch).0, p.expected());
        }
        let mut g = crit.benchmark_group(case.name);
        g.sampling_mode(SamplingMode::Flat);
        for n in THREADS {
            let p = params(&case, n);
            g.bench_with_input(BenchmarkId::new("lab", n), &p, |b, p| {
                b.iter(|| (case.exp.kernels.native)(black_box(p)).value())
            });
            g.bench_with_input(BenchmarkId::new("hand", n), &n, |b, &n| {
                b.iter(|| (case.hand)(black_box(n), black_box(case.iters), black_box(case.batch)).0)
            });
        }
        g.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args()
}

criterion_group! {
    name = benches;
    config = config();
    targets = kernels
}

/// Criterion's median for one benchmark, in ns, from the run that just finished.
fn median_ns(dir: &std::path::Path, group: &str, side: &str, n: usize) -> Option<f64> {
    let path = dir
        .join(group)
        .join(side)
        .join(n.to_string())
        .join("new/estimates.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    v["median"]["point_estimate"].as_f64()
}

/// Prints lab ÷ hand-written for every pair that ran.
fn ratios() {
    let dir = match (
        std::env::var_os("CRITERION_HOME"),
        std::env::var_os("CARGO_TARGET_DIR"),
    ) {
        (Some(h), _) => std::path::PathBuf::from(h),
        (None, Some(t)) => std::path::PathBuf::from(t).join("criterion"),
        _ => std::path::PathBuf::from("target/criterion"),
    };
    println!("\nlab ÷ hand-written (criterion medians of one whole call; 1.00 = no overhead):");
    println!(
        "{:<20} {:>8} {:>12} {:>12} {:>8}",
        "experiment", "threads", "lab ns/inc", "hand ns/inc", "ratio"
    );
    for case in cases() {
        for n in THREADS {
            let lab = median_ns(&dir, case.name, "lab", n);
            let hand = median_ns(&dir, case.name, "hand", n);
            if let (Some(lab), Some(hand)) = (lab, hand) {
                let incs = (n as u64 * case.iters) as f64;
                println!(
                    "{:<20} {:>8} {:>12.3} {:>12.3} {:>8.3}",
                    case.name,
                    n,
                    lab / incs,
                    hand / incs,
                    lab / hand
                );
            }
        }
    }
}

/// Criterion measures one side, then the other; on a VM whose two vCPUs the hypervisor
/// moves about, contended figures drift by tens of percent between those two windows. So
/// the ratios are measured again with the two sides alternating call by call, and the
/// median of the per-pair ratios is printed.
fn alternating() {
    println!("\nlab ÷ hand-written, the two sides alternating call by call (21 pairs):");
    println!("  call: the whole call, spawn and join included (median)");
    println!(
        "  loop: the timed loop only, from the start line to the last finish, as `run` reports it"
    );
    println!(
        "{:<20} {:>8} {:>10} {:>10} {:>12} {:>10}",
        "experiment", "threads", "call", "loop min", "loop median", "loop max"
    );
    for case in cases() {
        for n in THREADS {
            let p = params(&case, n);
            let (mut calls, mut loops): (Vec<f64>, Vec<f64>) = (0..21)
                .map(|_| {
                    let t = Instant::now();
                    let lab = (case.exp.kernels.native)(&p);
                    let lab_call = t.elapsed().as_secs_f64();
                    let t = Instant::now();
                    let (_, hand_loop) = (case.hand)(n, case.iters, case.batch);
                    let hand_call = t.elapsed().as_secs_f64();
                    let lab_loop = lab.elapsed.expect("native runs are timed").as_secs_f64();
                    (lab_call / hand_call, lab_loop / hand_loop.as_secs_f64())
                })
                .unzip();
            calls.sort_by(f64::total_cmp);
            loops.sort_by(f64::total_cmp);
            println!(
                "{:<20} {:>8} {:>10.3} {:>10.3} {:>12.3} {:>10.3}",
                case.name, n, calls[10], loops[0], loops[10], loops[20]
            );
        }
    }
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // `cargo bench` passes --bench; a plain `cargo test --benches` run checks nothing here.
    if std::env::args().any(|a| a == "--bench") {
        ratios();
        alternating();
    }
}
