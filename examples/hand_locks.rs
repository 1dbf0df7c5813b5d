//! # hand-locks — your own experiments, run by the whole lab
//!
//! **Question.** A lock built by hand from one `AtomicBool`: does it keep two threads out of
//! the critical section? Three ways to take it: *test, then set* (load the flag; if it is
//! clear, store `true`), *swap* (`swap(true)` until it returns `false`) and *compare and
//! swap* (`compare_exchange(false, true)` until it succeeds).
//!
//! **Expect.** `test-then-set` fails in every world (the lab's own `flag-lock` is the same
//! lock): two threads both see the flag clear, both
//! set it, both enter — the load and the store are each atomic, the pair is not (the lost
//! update again, this time of a lock). `swap-lock` and `cas-lock` are correct: one
//! indivisible read-modify-write takes the lock, Acquire pairs with the Release that frees
//! it. The scheduled world proves both. loom 0.7 proves `cas-lock` but cannot explore
//! `swap-lock`: every failed `swap(true)` is a *write*, so to loom the spinning thread never
//! stops making progress and the model exceeds its branch limit; a failed compare-exchange
//! only reads, and loom's `spin_loop` then lets the other thread run.
//!
//! **Outcomes.** A record: `in_cs`, the most threads seen inside at once, and `count`, what
//! the lock protected. `in_cs = 1, count = N × M` ACCEPTABLE; `in_cs ≥ 2` or a lost count
//! INTERESTING for the broken lock, FORBIDDEN for the correct ones (the lab's own lock
//! judges, `experiments::shared`).
//!
//! This file is not part of the lab: it declares three experiments and hands them to the
//! lab's own front end, which then runs, explores, hunts and replays them like its own:
//!
//! ```text
//! cargo run --release --example hand_locks -- list
//! cargo run --release --example hand_locks -- hunt test-then-set
//! cargo run --release --example hand_locks -- explore cas-lock --threads 2 --iters 1
//! cargo run --release --example hand_locks -- explore swap-lock --threads 3 --world scheduled
//! ```

use race_lab::experiments::shared::{judge_lock, lock_outcome, Inside};
use race_lab::prelude::*;

/// What the three locks share: their family, names and sizes.
const HAND_LOCK: Experiment = Experiment {
    family: "locks (example)",
    atomics: &["locked", "count", "inside", "peak"],
    default_threads: 2,
    default_iters: 100_000,
    ..Experiment::DEFAULTS
};

pub static FLAG_LOCK: Experiment = race_lab::experiment! {
    name: "test-then-set",
    kernel: flag_lock,
    base: HAND_LOCK,
    summary: "a lock by test, then set, of an AtomicBool: both threads get in",
    class: Class::LogicRace,
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge_lock),
};

pub static CAS_LOCK: Experiment = race_lab::experiment! {
    name: "cas-lock",
    kernel: cas_lock,
    base: HAND_LOCK,
    summary: "a spin lock by compare_exchange(false, true, Acquire): correct, and loom proves it",
    class: Class::Fixed,
    proof: Size {
        threads: 3,
        iters: 1,
    },
    judge: Some(judge_lock),
};

pub static SWAP_LOCK: Experiment = race_lab::experiment! {
    name: "swap-lock",
    kernel: swap_lock,
    base: HAND_LOCK,
    summary: "a spin lock by swap(true, Acquire) / store(false, Release): correct",
    class: Class::Fixed,
    proof: Size {
        threads: 3,
        iters: 1,
    },
    judge: Some(judge_lock),
};

/// The kernel the three locks share: take the lock, count once, leave — with the lab's own
/// tally of threads inside (`Inside`) and its lock outcome and judges.
fn locked_count<R: Rt>(p: &Params, acquire: fn(&R::AtomicBool)) -> Run {
    let s = Arc::new((
        R::AtomicBool::new(false),
        R::AtomicU64::new(0),
        Inside::<R>::new(),
    ));
    let m = p.iters;
    let (metric, elapsed) = workers::<R, _>(p, &s, move |(locked, count, inside), _| {
        for _ in 0..m {
            acquire(locked);
            inside.enter();
            let v = count.load(Ordering::Relaxed); // the lock's Acquire orders this…
            count.store(v + 1, Ordering::Relaxed);
            inside.leave();
            locked.store(false, Ordering::Release); // …and this Release publishes it
        }
        0
    });
    Run {
        outcome: lock_outcome(s.1.load(Ordering::SeqCst), s.2.peak()),
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
