//! # cas-once — a compare_exchange whose failure is ignored
//!
//! **Question.** An increment as one `compare_exchange(v, v + 1)` after loading v, with the
//! `Err` thrown away (`let _ = …`): the code reads "set it to v + 1 if it is still v" and
//! moves on. N threads do M increments each. Is the count exact?
//!
//! **Expect.** No. A `compare_exchange` fails whenever another thread changed the value
//! between the load and the exchange, and a failure changes nothing: the increment is simply
//! not done. Unlike `racy-atomic` nothing is overwritten, so the count can never go
//! *down*; it just falls short, by exactly the number of failures (the metric). The result
//! must be handled: retry with the value the failure returns (`cas`), or use `fetch_add`.
//! `compare_exchange_weak` makes it worse: it may fail even when nobody interfered. Schedules
//! find it at 2 × 1.
//!
//! **Outcomes.** N × M ACCEPTABLE; fewer INTERESTING (increments dropped); anything else
//! FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "compare-exchange",
    summary: "one compare_exchange per increment, failure ignored: increments dropped",
    class: Class::LogicRace,
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge),
    metric: Some("failed exchanges"),
    default_threads: 8,
    default_iters: 100_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    match o.get("value") {
        Some(v) if v == p.expected() => (Grade::Acceptable, "no exchange failed this time"),
        Some(v) if v >= p.iters && v < p.expected() => (
            Grade::Interesting,
            "increments dropped: a compare_exchange failed and was not retried",
        ),
        _ => (
            Grade::Forbidden,
            "impossible: a failed exchange changes nothing",
        ),
    }
}

/// N × M increments, each one load and one exchange (`weak`: `compare_exchange_weak`); with
/// `retry`, a failed exchange is tried again with the value it saw.
pub fn increments<R: Rt>(p: &Params, weak: bool, retry: bool) -> Run {
    let counter = Arc::new(R::AtomicU64::new(0));
    let m = p.iters;
    let (failed, elapsed) = workers::<R, _>(p, &counter, move |c, _| {
        let mut failed = 0;
        for _ in 0..m {
            let mut v = c.load(Ordering::Relaxed);
            loop {
                let tried = if weak {
                    c.compare_exchange_weak(v, v + 1, Ordering::Relaxed, Ordering::Relaxed)
                } else {
                    c.compare_exchange(v, v + 1, Ordering::Relaxed, Ordering::Relaxed)
                };
                match tried {
                    Ok(_) => break,
                    Err(seen) => {
                        failed += 1;
                        v = seen;
                    }
                }
                if !retry {
                    break; // …and nothing else is done about it
                }
            }
        }
        failed
    });
    Run::counted(counter.load(Ordering::SeqCst), failed, elapsed)
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    increments::<R>(p, false, false)
}
