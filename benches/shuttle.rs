//! The scheduled world against its anchor: shuttle's random scheduler (`check_random`) and
//! `race-lab hunt` (random strategy) on the same counter kernel — a mutex around a `u64`,
//! N threads × M increments — for the same number of schedules.
//!
//! shuttle runs a hand-written copy of the kernel over its own primitives (shuttle cannot
//! run the lab's facade); the lab runs the `mutex` experiment's own kernel, through `hunt`,
//! proptest's schedule generation and the grading included. Both sides are timed alternately,
//! call by call, and the table gives medians and the ratio lab ÷ shuttle (below 1: the lab
//! runs more schedules per second). `cargo bench --bench shuttle`.

use criterion::{black_box, Criterion};
use race_lab::experiment::Params;
use race_lab::experiments::mutex;
use race_lab::hunt;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// (threads, increments, schedules)
const WORK: &[(usize, u64, u32)] = &[(2, 1, 1000), (8, 3, 1000), (8, 100, 100)];

fn shuttle_counter(threads: usize, iters: u64, schedules: u32, seed: u64) {
    shuttle::check_random_with_seed(
        move || {
            let counter = Arc::new(shuttle::sync::Mutex::new(0u64));
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let c = counter.clone();
                    shuttle::thread::spawn(move || {
                        for _ in 0..iters {
                            *c.lock().unwrap() += 1;
                        }
                    })
                })
                .collect();
            for h in handles {
                h.join().unwrap();
            }
            assert_eq!(*counter.lock().unwrap(), threads as u64 * iters);
        },
        seed,
        schedules as usize,
    );
}

fn lab_counter(threads: usize, iters: u64, schedules: u32, seed: u64) {
    let r = hunt::hunt(
        &mutex::EXPERIMENT,
        &Params::new(threads, iters),
        schedules,
        seed,
        &race_lab::Cancel::new(),
    )
    .expect("hunt runs");
    assert!(!r.found, "{}", r.verdict);
    black_box(r);
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("schedules");
    group.sample_size(10);
    for &(t, m, n) in WORK {
        group.bench_function(format!("shuttle mutex {t}x{m} {n} schedules"), |b| {
            b.iter(|| shuttle_counter(t, m, n, 1))
        });
        group.bench_function(format!("race-lab mutex {t}x{m} {n} schedules"), |b| {
            b.iter(|| lab_counter(t, m, n, 1))
        });
    }
    group.finish();

    // The table: alternating calls, medians of 15 pairs.
    println!("\nwork                         shuttle      race-lab     ratio  lab schedules/s");
    for &(t, m, n) in WORK {
        let (mut sh, mut lab) = (Vec::new(), Vec::new());
        for seed in 0..15 {
            let s = Instant::now();
            shuttle_counter(t, m, n, seed);
            sh.push(s.elapsed());
            let s = Instant::now();
            lab_counter(t, m, n, seed);
            lab.push(s.elapsed());
        }
        let (sh, lab) = (median(sh), median(lab));
        println!(
            "mutex {t}x{m}, {n} schedules{:>w$} {:>9.4} s  {:>9.4} s  {:>5.2}  {:>10.0}",
            "",
            sh.as_secs_f64(),
            lab.as_secs_f64(),
            lab.as_secs_f64() / sh.as_secs_f64(),
            n as f64 / lab.as_secs_f64(),
            w = 28usize.saturating_sub(format!("mutex {t}x{m}, {n} schedules").len()),
        );
    }
}
