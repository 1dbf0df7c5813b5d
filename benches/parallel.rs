//! Parallel exhaustive search (`explore --jobs`): the scheduled world's search and the rc11
//! world's, each on one thread and on N, median of 3 runs on the same machine; prints the
//! speed-up and the load balance (the busiest worker's share of the runs: 1/N is perfect),
//! from which scaling to more cores can be predicted. The engines alone (a visitor that only
//! counts), then the whole command (`explore::explore`: grading, witnesses).
//! `cargo bench --bench parallel [-- JOBS]` (default: the CPUs).

use race_lab::experiment::Params;
use race_lab::explore::{self, ExploreConfig, World};
use race_lab::rt::rc11::explore as rc11;
use race_lab::rt::sched::dpor;
use race_lab::Cancel;
use std::sync::Arc;
use std::time::Instant;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// Median seconds of 3 runs of `f`, which returns (executions, runs per worker).
fn timed(mut f: impl FnMut() -> (u64, Vec<u64>)) -> (f64, u64, f64) {
    let mut secs = Vec::new();
    let (mut n, mut share) = (0, 1.0);
    for _ in 0..3 {
        let t = Instant::now();
        let (e, runs) = f();
        secs.push(t.elapsed().as_secs_f64());
        n = e;
        let total: u64 = runs.iter().sum();
        share = *runs.iter().max().unwrap_or(&0) as f64 / total.max(1) as f64;
    }
    (median(secs), n, share)
}

fn report(what: &str, jobs: usize, one: (f64, u64, f64), many: (f64, u64, f64)) {
    println!(
        "{what:<44} 1 job {:>7.2} s   {jobs} jobs {:>7.2} s   speed-up {:.2}x   {}   {} executions{}",
        one.0,
        many.0,
        one.0 / many.0,
        if many.2.is_nan() {
            String::new()
        } else {
            format!("busiest worker {:.0}% of runs", 100.0 * many.2)
        },
        one.1,
        if one.1 == many.1 { "" } else { "  (COUNTS DIFFER)" }
    );
}

fn main() {
    let jobs = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    println!(
        "median of 3 runs; {jobs} jobs against one, on {} CPUs",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let find = |name: &str| {
        race_lab::experiments::all()
            .find(|e| e.name == name)
            .expect("in the catalogue")
    };
    // The scheduled world's engine: racy-atomic 3x3 (1.8 million classes).
    let exp = find("racy-atomic");
    let (k, p) = (exp.kernels.sched, Params::new(3, 3));
    let kernel = move || k(&p).outcome;
    let limit = race_lab::rt::sched::step_limit(3, 3);
    let one = timed(|| {
        let s = dpor::explore(3, limit, false, kernel.clone(), |_| true);
        (s.executions, vec![s.executions])
    });
    let many = timed(|| {
        let (s, runs) = dpor::explore_parallel(jobs, 3, limit, false, kernel.clone(), &|_| true);
        (s.executions, runs)
    });
    report("scheduled engine: racy-atomic 3x3", jobs, one, many);
    // The rc11 world's engine: a model of a few hundred thousand graphs.
    let rexp = find("racy-atomic");
    let rk = rexp.kernels.rc11;
    let rp = Params::new(2, 5);
    let rkernel: rc11::Kernel<race_lab::experiment::Outcome> = Arc::new(move || rk(&rp).outcome);
    let one = timed(|| {
        let s = rc11::explore(rkernel.clone(), 1 << 20, &Cancel::new(), |_| true);
        (s.executions, vec![s.executions])
    });
    let many = timed(|| {
        let (s, runs) =
            rc11::explore_parallel(rkernel.clone(), 1 << 20, &Cancel::new(), jobs, &|_| true);
        (s.executions, runs)
    });
    report("rc11 engine: racy-atomic 2x5", jobs, one, many);
    // The whole command, as `race-lab explore … --jobs N` runs it.
    for (name, world, t, i) in [
        ("racy-atomic", World::Scheduled, 3, 3),
        ("racy-atomic", World::Rc11, 2, 5),
    ] {
        let cfg = |jobs| ExploreConfig {
            max_seconds_given: true,
            jobs,
            ..ExploreConfig::new(find(name), Params::new(t, i), world)
        };
        let run = |j| {
            timed(|| {
                let r = explore::explore(&cfg(j)).expect("explores");
                (r.executions, vec![1])
            })
        };
        let (one, mut many) = (run(1), run(jobs));
        many.2 = f64::NAN;
        report(
            &format!("explore {name} {t}x{i} --world {}", world.name()),
            jobs,
            one,
            many,
        );
    }
}
