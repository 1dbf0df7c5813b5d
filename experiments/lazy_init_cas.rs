//! # lazy-init-cas — claim the initialiser with compare-exchange
//!
//! **Question.** Each `lazy-init` value gets a state: empty, busy, ready. A thread that needs
//! it tries `compare_exchange(empty → busy)`; the one that succeeds runs the initialiser and
//! stores `ready` (Release); the others wait until they load `ready` (Acquire). How many
//! times does an initialiser run?
//!
//! **Expect.** Exactly once per value. The compare-exchange is the check and the act in one
//! indivisible step: of all threads that find the value empty, exactly one turns it busy.
//! The losers must still wait for `ready`: had they gone on at `busy`, they would use a value
//! not yet built. Release/Acquire makes what the initialiser wrote visible to them. The
//! wait spins, yielding its CPU (`R::yield_now`): fine while initialisers are short. `explore` proves it at
//! 2 × 2 (3 × 1 is too large to finish).
//!
//! **Outcomes.** `uses` = N × M and `inits` = M: ACCEPTABLE; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "lazy-init",
    summary: "compare_exchange(empty -> busy) elects the one initialiser; others wait for ready",
    class: Class::Fixed,
    atomics: &["inits", "state0", "state1", "state2"],
    proof: Size {
        threads: 2,
        iters: 2,
    },
    judge: Some(super::lazy_init::judge),
    default_threads: 4,
    default_iters: 100_000,
};

const EMPTY: u64 = 0;
const BUSY: u64 = 1;
const READY: u64 = 2;

pub fn kernel<R: Rt>(p: &Params) -> Run {
    let inits = R::AtomicU64::new(0);
    let state: Vec<R::AtomicU64> = (0..p.iters).map(|_| RtAtomic::new(EMPTY)).collect();
    let lazy = Arc::new((inits, state));
    let (uses, elapsed) = workers::<R, _>(p, &lazy, |(inits, state), _| {
        for s in state {
            // Check and act in one step: exactly one thread turns `empty` into `busy`.
            match s.compare_exchange(EMPTY, BUSY, Ordering::Acquire, Ordering::Acquire) {
                Ok(_) => {
                    inits.fetch_add(1, Ordering::Relaxed);
                    s.store(READY, Ordering::Release); // publishes what the initialiser wrote
                }
                Err(_) => {
                    while s.load(Ordering::Acquire) != READY {
                        R::yield_now(); // busy: someone else is building it
                    }
                }
            }
        }
        state.len() as u64
    });
    Run::of(
        super::lazy_init::outcome(uses, lazy.0.load(Ordering::SeqCst)),
        elapsed,
    )
}
