//! # bounded-buffer-one-cv — one condvar for two conditions
//!
//! **Question.** `bounded-buffer` with a single condvar for both conditions: putters wait
//! on it while the buffer is full, takers while it is empty, and each side wakes
//! `notify_one` sleeper after changing the buffer. Every wait is a correct `wait_while`.
//! Does it always finish?
//!
//! **Expect.** No. With two takers (or two putters) `notify_one` can wake a thread of the
//! *same* side: a taker that has just emptied the buffer wakes the other taker instead of
//! the sleeping putter. The woken taker re-checks, finds the buffer empty and sleeps again,
//! and the notification is gone. Once every thread sleeps that way, nobody is left to wake
//! anyone: a deadlock. `hunt` finds it at 3 × 2, `explore` at 4 × 2 (two putters, two
//! takers, two items each); `run` natively may need many trials. The fixes: a condvar per
//! condition (`bounded-buffer`), or `notify_all`.
//!
//! **Outcomes.** finished with `left` = 0: ACCEPTABLE; a deadlock: INTERESTING (a wake-up went
//! to the wrong side); anything else FORBIDDEN.

use super::shared::{role, Role};
use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "condvars",
    summary: "the one-slot buffer with one shared condvar and notify_one: wrong-side wake-ups",
    class: Class::Deadlock,
    locks: &["buffer"],
    bug_shows_in: Worlds::ALL,
    proof: Size {
        threads: 4,
        iters: 2,
    },
    // The rc11 world finds the deadlock at 4 × 2 after 96 graphs (about 10 s here), but
    // listing every graph there is out of its reach: its lock and condvar model leaves
    // almost every run blocked in a wait (43,000 blocked runs before those 96 graphs).
    rc11_census: Some(
        "its lock and condvar model leaves almost every run blocked in a wait: 43,000 blocked runs for the first 96 graphs at 4 × 2",
    ),
    // Three threads already deadlock under some schedule (hunt finds it at 3 × 2): small
    // enough to play by hand.
    play: Play::At(Size {
        threads: 3,
        iters: 2,
    }),
    judge: Some(judge),
    default_threads: 4,
    default_iters: 100_000,
};

pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    super::bounded_buffer::grade_buffer(p, o, "finished: no wake-up went to the wrong side")
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let s = Arc::new((<R::Mutex<StdLock, u64>>::new(0), R::Condvar::new()));
    let (m, n, slots) = (p.iters, p.threads, super::bounded_buffer::SLOTS);
    let (ops, elapsed) = workers::<R, _>(p, &s, move |(buffer, cv), t| {
        let mut ops = 0;
        for _ in 0..m {
            if role(t, n) != Role::Take {
                let mut b = cv.wait_while(buffer.lock(), |b| *b == slots);
                *b += 1;
                drop(b);
                cv.notify_one(); // meant for a taker; may wake another putter
            }
            if role(t, n) != Role::Put {
                let mut b = cv.wait_while(buffer.lock(), |b| *b == 0);
                *b -= 1;
                drop(b);
                cv.notify_one(); // meant for a putter; may wake another taker
            }
            ops += 1;
        }
        ops
    });
    let left = *s.0.lock();
    Run::of(Outcome::of(&[("ops", ops), ("left", left)]), elapsed)
}
