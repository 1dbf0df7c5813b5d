//! # parking-lot — `parking_lot::Mutex`
//!
//! **Question.** The same lock-around-the-counter, with `parking_lot`'s mutex: one byte of
//! state, a short spin before sleeping, no poisoning. Exact? Cheaper than std's?
//!
//! **Expect.** Always N × M, like `mutex`. Under contention it usually beats std's lock
//! (measured on 2 CPUs: ~11 ns vs ~28 ns per increment): spinning briefly lets the lock pass
//! between running threads without a trip through the kernel.
//!
//! **Outcomes.** N × M ACCEPTABLE; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    summary: "parking_lot::Mutex around the counter",
    class: Class::Fixed,
    options: &[],
    metric: None,
    default_threads: 8,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    // The `mutex` experiment's kernel, with parking_lot's lock in the native world.
    super::mutex::locked_counter::<R, ParkingLot>(p)
}
