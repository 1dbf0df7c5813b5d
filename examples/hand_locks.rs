//! # hand-locks — your own experiments, run by the whole lab
//!
//! **Question.** A lock built by hand from one `AtomicBool`: does it keep two threads out of
//! the critical section? Three ways to take it: *test, then set* (load the flag; if it is
//! clear, store `true`), *swap* (`swap(true)` until it returns `false`) and *compare and
//! swap* (`compare_exchange(false, true)` until it succeeds).
//!
//! **Expect.** `flag-lock` fails in every world: two threads both see the flag clear, both
//! set it, both enter — the load and the store are each atomic, the pair is not (the lost
//! update again, this time of a lock). `swap-lock` and `cas-lock` are correct: one
//! indivisible read-modify-write takes the lock, Acquire pairs with the Release that frees
//! it. The scheduled world proves both. loom 0.7 proves `cas-lock` but cannot explore
//! `swap-lock`: every failed `swap(true)` is a *write*, so to loom the spinning thread never
//! stops making progress and the model exceeds its branch limit; a failed compare-exchange
//! only reads, and loom's `spin_loop` then lets the other thread run.
//!
//! **Outcomes.** A record: `in_cs`, the most threads seen inside at once, and `count`, what
//! the lock protected. `in_cs = 1, count = N × M` ACCEPTABLE; `in_cs ≥ 2` INTERESTING for
//! the broken lock, FORBIDDEN for the correct one; a lost count with `in_cs = 1` FORBIDDEN.
//!
//! This file is not part of the lab: it declares two experiments and hands them to the
//! lab's own front end, which then runs, explores, hunts and replays them like its own:
//!
//! ```text
//! cargo run --release --example hand_locks -- list
//! cargo run --release --example hand_locks -- hunt flag-lock
//! cargo run --release --example hand_locks -- explore cas-lock --threads 3 --iters 1
//! cargo run --release --example hand_locks -- explore swap-lock --threads 3 --world scheduled
//! ```

use race_lab::prelude::*;

/// What the three locks share: their family, names, sizes and this file.
const HAND_LOCK: Experiment = Experiment {
    family: "locks (example)",
    atomics: &["locked", "inside", "most_inside", "count"],
    default_threads: 2,
    default_iters: 100_000,
    source: include_str!("hand_locks.rs"),
    ..Experiment::DEFAULTS
};

pub static FLAG_LOCK: Experiment = Experiment {
    name: "flag-lock",
    summary: "a lock by test, then set, of an AtomicBool: both threads get in",
    class: Class::LogicRace,
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(|p, o| judge(p, o, true)),
    kernels: kernels!(flag_lock),
    ..HAND_LOCK
};

pub static CAS_LOCK: Experiment = Experiment {
    name: "cas-lock",
    summary: "a spin lock by compare_exchange(false, true, Acquire): correct, and loom proves it",
    class: Class::Fixed,
    proof: Size {
        threads: 3,
        iters: 1,
    },
    judge: Some(|p, o| judge(p, o, false)),
    kernels: kernels!(cas_lock),
    ..HAND_LOCK
};

pub static SWAP_LOCK: Experiment = Experiment {
    name: "swap-lock",
    summary: "a spin lock by swap(true, Acquire) / store(false, Release): correct",
    class: Class::Fixed,
    proof: Size {
        threads: 3,
        iters: 1,
    },
    judge: Some(|p, o| judge(p, o, false)),
    kernels: kernels!(swap_lock),
    ..HAND_LOCK
};

fn judge(p: &Params, o: &Outcome, broken: bool) -> (Grade, &'static str) {
    match (o.get("in_cs"), o.get("count")) {
        (Some(n), _) if n >= 2 && broken => (
            Grade::Interesting,
            "two threads inside at once: the lock does not exclude",
        ),
        (Some(n), _) if n >= 2 => (Grade::Forbidden, "two threads inside a correct lock"),
        (_, Some(c)) if c == p.expected() => (Grade::Acceptable, "one at a time, nothing lost"),
        _ => (
            Grade::Forbidden,
            "the count is wrong with one thread inside",
        ),
    }
}

struct Shared<R: Rt> {
    locked: R::AtomicBool,
    /// Instrumentation: threads inside now, and the most seen.
    inside: R::AtomicU64,
    most_inside: R::AtomicU64,
    count: R::AtomicU64,
}

/// The kernel both locks share: take the lock, count once, leave.
fn locked_count<R: Rt>(p: &Params, acquire: fn(&R::AtomicBool)) -> Run {
    let shared = Arc::new(Shared::<R> {
        locked: RtAtomic::new(false),
        inside: RtAtomic::new(0),
        most_inside: RtAtomic::new(0),
        count: RtAtomic::new(0),
    });
    let m = p.iters;
    let (metric, elapsed) = workers::<R, _>(p, &shared, move |s, _| {
        for _ in 0..m {
            acquire(&s.locked);
            let n = s.inside.fetch_add(1, Ordering::SeqCst) + 1;
            if n > 1 {
                s.most_inside.store(n, Ordering::SeqCst); // two or more inside: remember it
            }
            let v = s.count.load(Ordering::Relaxed); // the lock's Acquire orders this…
            s.count.store(v + 1, Ordering::Relaxed);
            s.inside.fetch_sub(1, Ordering::SeqCst);
            s.locked.store(false, Ordering::Release); // …and this Release publishes it
        }
        0
    });
    let most = shared.most_inside.load(Ordering::SeqCst).max(1);
    Run {
        outcome: Outcome::of(&[
            ("in_cs", most),
            ("count", shared.count.load(Ordering::SeqCst)),
        ]),
        metric,
        elapsed,
    }
}

pub fn flag_lock<R: Rt>(p: &Params) -> Run {
    locked_count::<R>(p, |locked| {
        while locked.load(Ordering::Acquire) {
            R::spin_loop(); // test…
        }
        locked.store(true, Ordering::Relaxed); // …then set: another thread may have tested too
    })
}

pub fn swap_lock<R: Rt>(p: &Params) -> Run {
    locked_count::<R>(p, |locked| {
        while locked.swap(true, Ordering::Acquire) {
            R::spin_loop(); // one indivisible test-and-set
        }
    })
}

pub fn cas_lock<R: Rt>(p: &Params) -> Run {
    locked_count::<R>(p, |locked| {
        while locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            R::spin_loop(); // a failed compare-exchange only reads
        }
    })
}

fn main() {
    let lab = race_lab::Lab::new().with(&[&FLAG_LOCK, &SWAP_LOCK, &CAS_LOCK]);
    std::process::exit(race_lab::main_with_lab(std::env::args_os(), &lab));
}
