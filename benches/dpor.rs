//! The scheduled world's exhaustive search against GenMC's yardstick: programs in the style
//! of GenMC's synthetic benchmarks, written over the facade, explored to the end on one
//! core. Prints classes (complete executions) per second and runs cut short by sleep sets
//! per complete one; and how long the search takes to report `philosophers-polite`'s
//! livelock. `cargo bench --bench dpor`.
//!
//! GenMC 0.11 on a 2-core machine of this kind (measured for the sound-search issue):
//! `fib_bench` 218,243 SC executions in 1.4 s (about 155,000 a second); `readers` N = 13
//! (8,192) in 0.26 s.

use race_lab::experiment::Params;
use race_lab::rt::sched::{self, dpor, synthetic};
use race_lab::rt::Sched;
use std::time::Instant;

fn measure<T: Send + 'static>(
    name: &str,
    threads: usize,
    kernel: impl Fn() -> T + Send + Sync + Clone + 'static,
) {
    let mut best = f64::MAX;
    let mut stats = dpor::Stats::default();
    for _ in 0..3 {
        let started = Instant::now();
        stats = dpor::explore(threads, 100_000, false, kernel.clone(), |_| true);
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "{name:<16} {:>9} classes {:>9} cut short ({:.3} per class)  {:>8.3} s  {:>9.0} classes/s  complete: {}",
        stats.executions,
        stats.redundant,
        stats.redundant as f64 / stats.executions.max(1) as f64,
        best,
        stats.executions as f64 / best,
        stats.complete
    );
}

fn main() {
    println!("best of 3 runs, one core");
    for rounds in [3, 4, 5] {
        measure(&format!("fib({rounds})"), 2, move || {
            synthetic::fib::<Sched>(rounds)
        });
    }
    for n in [8, 13] {
        measure(&format!("readers({n})"), n + 1, move || {
            synthetic::readers::<Sched>(n)
        });
    }
    for n in [5, 8] {
        measure(&format!("lastzero({n})"), n + 1, move || {
            synthetic::lastzero::<Sched>(n)
        });
    }
    let exp = race_lab::experiments::all()
        .find(|e| e.name == "philosophers-polite")
        .expect("in the catalogue");
    let (k, p) = (exp.kernels.sched, Params::new(2, 1));
    let started = Instant::now();
    let mut livelock = false;
    dpor::explore(
        2,
        sched::step_limit(2, 1),
        false,
        move || k(&p).outcome,
        |v| {
            livelock = matches!(v.end, sched::End::Livelock(_));
            !livelock
        },
    );
    println!(
        "philosophers-polite 2x1: livelock reported: {livelock}, in {:.3} s (step bound {})",
        started.elapsed().as_secs_f64(),
        sched::step_limit(2, 1)
    );
}
