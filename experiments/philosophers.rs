//! # philosophers — dining philosophers, left fork first
//!
//! **Question.** N philosophers sit at a round table with a fork between each two (two
//! forks for a lone philosopher). To eat, a philosopher picks up the fork on the left, then
//! the one on the right (two mutexes), eats (one meal), and puts both down; M meals each.
//! Does dinner end?
//!
//! **Expect.** Not always. If every philosopher picks up the left fork before anyone picks
//! up a right one, each waits for a fork its neighbour holds, around the whole table: a
//! cycle of waits, a deadlock. Two opposite lock orders (`deadlock`) are the smallest case
//! of it. loom (`explore -t 3 -i 1`) and `hunt -t 3` find the schedule; `run` stops on the
//! watchdog when it happens natively. The cures break the cycle: one global order for the
//! forks (`philosophers-ordered`), or fewer seats than philosophers
//! (`philosophers-waiter`). Trying instead of waiting trades the deadlock for a livelock
//! (`philosophers-polite`).
//!
//! **Outcomes.** finished with `meals` = N × M: ACCEPTABLE; a deadlock: INTERESTING;
//! anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "deadlock",
    summary: "dining philosophers taking the left fork, then the right: a cycle of waits",
    class: Class::Deadlock,
    threads: (2, usize::MAX),
    locks: &["fork0", "fork1", "fork2", "fork3"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 3,
        iters: 1,
    },
    judge: Some(judge),
    default_threads: 3,
    default_iters: 100_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    match o.get("meals") {
        Some(m) if m == p.expected() => (Grade::Acceptable, "dinner ended: every meal eaten"),
        _ => (Grade::Forbidden, "meals lost or invented: a bug"),
    }
}

/// The forks: one between each two philosophers (two for a lone one).
pub fn forks<R: Rt>(p: &Params) -> Vec<R::Mutex<StdLock, ()>> {
    (0..p.threads.max(2)).map(|_| RtMutex::new(())).collect()
}

/// Dinner's outcome: the meals eaten.
pub fn meals(meals: u64, elapsed: Option<std::time::Duration>) -> Run {
    Run::of(Outcome::of(&[("meals", meals)]), elapsed)
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let m = p.iters;
    let (eaten, elapsed) = workers::<R, _>(p, &Arc::new(forks::<R>(p)), move |forks, me| {
        let (left, right) = (me, (me + 1) % forks.len());
        for _ in 0..m {
            let _l = forks[left].lock(); // everyone may hold a left fork…
            let _r = forks[right].lock(); // …and wait for the neighbour's
        }
        m
    });
    meals(eaten, elapsed)
}
