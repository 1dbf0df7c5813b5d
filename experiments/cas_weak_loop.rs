//! # cas-weak-loop — a weak compare-exchange in a loop
//!
//! **Question.** `cas-weak-once`'s increment with the failure handled: when
//! `compare_exchange_weak` fails, try again with the value it returned. Is the count exact,
//! spurious failures and all?
//!
//! **Expect.** Always. A spurious failure returns the current value, so the loop simply
//! tries again; a real failure returns the newer value, and the loop tries with that. This
//! is why std's documentation recommends the weak form inside a loop: on LL/SC machines it
//! saves the inner retry that the strong form must do. The scheduled and rc11 worlds explore
//! a spurious failure at every attempt where the value matches (never twice in a row on one
//! thread, or a loop could fail forever), and `explore` proves it at 2 × 1 with them.
//!
//! **Outcomes.** N × M ACCEPTABLE; anything else FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "compare-exchange",
    summary: "compare_exchange_weak retried with the value it saw: exact, spurious failures and all",
    class: Class::Fixed,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    metric: Some("failed exchanges"),
    default_threads: 4,
    default_iters: 100_000,
};

pub fn kernel<R: Rt>(p: &Params) -> Run {
    super::cas_once::increments::<R>(p, true, true)
}
