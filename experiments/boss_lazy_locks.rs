//! # boss-lazy-locks — an initialiser that runs twice and takes its locks backwards
//!
//! **Question.** A boss level: two bugs in one kernel. A shared table is built lazily:
//! whoever finds the `ready` flag unset builds it, which takes the `config` lock and then
//! the `cache` lock, and sets the flag. Every worker then uses the table, which takes
//! `cache` and then `config`. Is the table built exactly once, and does everyone finish?
//!
//! **Expect.** No, in two ways. The flag is checked and set in two steps, so two workers
//! can both find it unset and both build (`lazy-init`); and building takes the two locks
//! in the opposite order to using, so a builder holding `config` and a user holding `cache`
//! wait for each other forever (`deadlock`), like the "more complex thread" levels of *The
//! Deadlock Empire*. Schedules find both at 2 × 1. The fixes: `Once` (or a
//! `compare_exchange` on the flag) for the first, one lock order for the second.
//!
//! **Outcomes.** `uses` = N × M with `builds` = 1: ACCEPTABLE; `builds` > 1 or a deadlock:
//! INTERESTING; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "boss",
    summary: "boss: check-then-act lazy build (twice) that locks config,cache vs cache,config",
    class: Class::Deadlock,
    atomics: &["ready", "builds"],
    locks: &["config", "cache"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge),
    goal: Some("two bugs: make the table be built twice, or deadlock a builder and a user"),
    default_threads: 2,
    default_iters: 10_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    match (o.primary() == p.expected(), o.get("builds")) {
        (true, Some(1)) => (Grade::Acceptable, "built once, used by all"),
        (true, Some(b)) if b > 1 => (
            Grade::Interesting,
            "built twice: two workers found the flag unset before either set it",
        ),
        _ => (
            Grade::Forbidden,
            "uses or builds miscounted: a bug in the lab",
        ),
    }
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let s = Arc::new((
        R::AtomicBool::new(false),
        R::AtomicU64::new(0),
        <R::Mutex<StdLock, u64>>::new(0),
        <R::Mutex<StdLock, u64>>::new(0),
    ));
    let m = p.iters;
    let (uses, elapsed) = workers::<R, _>(p, &s, move |(ready, builds, config, cache), _| {
        for _ in 0..m {
            if !ready.load(Ordering::Acquire) {
                // Check, then act: another worker may be here too.
                let mut c = config.lock();
                let mut t = cache.lock(); // config, then cache…
                *c += 1;
                *t += 1;
                builds.fetch_add(1, Ordering::Relaxed);
                ready.store(true, Ordering::Release);
            }
            let t = cache.lock();
            let c = config.lock(); // …cache, then config
            drop((c, t));
        }
        m
    });
    let builds = s.1.load(Ordering::SeqCst);
    let o = Outcome::of(&[("uses", uses), ("builds", builds)]);
    Run::of(o, elapsed)
}
