//! How one check of `verify` is judged: the search at the proof size with its budget, what
//! makes a proof (complete, nothing but ACCEPTABLE) and a bug found, the schedule hunt that
//! finds most bugs at once, and each litmus test against the model.

use super::{Kind, Status};
use crate::error::Result;
use crate::experiment::{Experiment, Params};
use crate::explore::{self, ExploreConfig, ExploreReport, World};
use crate::litmus::Litmus;
use crate::machine::Cancel;
use crate::rt::MemOrder;

// No verdict of `verify` depends on the machine's speed: every search has a budget in
// executions (a search cut short by it is INCOMPLETE: a proof fails, and a bug not yet
// found is not found), and times are reported, never judged. The time cap is only a
// backstop far above any budget's cost.

/// The most executions one loom proof may take: the proof sizes are small.
const LOOM_PROOF_EXECUTIONS: u64 = 2_000_000;
/// The most executions loom may take to show a bug, or a declared false alarm: all such a
/// check needs is one failing execution (the slowest, `bounded-buffer-one-cv` at 4 × 2,
/// shows it after about 99,000).
const LOOM_FIND_EXECUTIONS: u64 = 400_000;
/// The most classes one search of the scheduled world may explore.
const SCHEDULED_EXECUTIONS: u64 = 5_000_000;
/// The backstop time cap of every search, in seconds.
const BACKSTOP_SECONDS: f64 = 3_600.0;

pub(super) fn explore_at_proof(
    exp: &'static Experiment,
    world: World,
    kind: Kind,
    isolated: bool,
    cancel: &Cancel,
) -> Result<ExploreReport> {
    let finding = kind == Kind::BugFound || (exp.loom_false_alarm && world == World::Loom);
    let size = exp.proof;
    let cfg = ExploreConfig {
        exp,
        params: Params::new(size.threads, size.iters),
        world,
        preemptions: None,
        max_seconds: BACKSTOP_SECONDS,
        max_seconds_given: false,
        max_executions: Some(match world {
            World::Loom if finding => LOOM_FIND_EXECUTIONS,
            World::Loom => LOOM_PROOF_EXECUTIONS,
            World::Scheduled | World::Rc11 => SCHEDULED_EXECUTIONS,
        }),
        // A fix must hold even when waiters wake without a notify, as std allows.
        spurious_wakeups: world != World::Loom && kind == Kind::Proved,
        first_failure: world != World::Scheduled && finding,
        show: 1,
        cancel: cancel.clone(),
        // Checks run side by side already (`verify --jobs`).
        jobs: 1,
    };
    if isolated {
        explore::child::explore_in_child(&cfg, false)
    } else {
        explore::explore(&cfg)
    }
}

/// A fix is proved when the search was complete and found nothing but ACCEPTABLE outcomes.
pub(super) fn judge_proof(exp: &Experiment, world: World, r: &ExploreReport) -> (Status, String) {
    let failed = r.forbidden
        || r.failing_executions > 0
        || r.race.is_some()
        || r.deadlock.is_some()
        || !r.complete;
    if !failed {
        return (Status::Pass, r.verdict.clone());
    }
    // The alarm is false whether or not loom finished: the scheduled world's check of the
    // same experiment is the proof.
    let alarm = r.forbidden || r.failing_executions > 0;
    if world == World::Loom && exp.loom_false_alarm && alarm {
        return (
            Status::KnownGap,
            format!(
                "loom treats SeqCst accesses as AcqRel (declared false alarm; the rc11 and scheduled worlds prove it): {}",
                r.verdict
            ),
        );
    }
    (Status::Fail, r.verdict.clone())
}

/// A bug is found when the search shows a non-ACCEPTABLE outcome, a data race or a deadlock.
pub(super) fn judge_bug(r: &ExploreReport) -> (Status, String) {
    if r.failing_executions > 0 || r.race.is_some() || r.deadlock.is_some() {
        (Status::Pass, r.verdict.clone())
    } else {
        (Status::Fail, format!("the bug did not show: {}", r.verdict))
    }
}

/// The schedules `hunt` tries when the scheduled world's search is refused as too large.
const HUNT_CASES: u32 = 2_000;

/// A bug found by hunt (proptest over schedules) at the proof size.
pub(super) fn hunt_bug(exp: &'static Experiment, cancel: &Cancel) -> Result<(Status, String)> {
    let p = Params::new(exp.proof.threads, exp.proof.iters);
    let h = crate::hunt::hunt(exp, &p, HUNT_CASES, 0, cancel)?;
    let status = if h.found { Status::Pass } else { Status::Fail };
    Ok((status, format!("(hunt) {}", h.verdict)))
}

/// Runs `test`'s loom model and compares it with the cited model, as `litmus` does
/// ([`crate::litmus::loom_vs_model`]): agreement where the test declares none passes; the
/// disagreement its `loom_limit` declares for `o` is a known gap; anything else — an
/// undeclared disagreement, or a declared one that did not show — fails.
pub(super) fn litmus_check(
    test: &'static Litmus,
    o: MemOrder,
    isolated: bool,
    cancel: &crate::machine::Cancel,
) -> Result<(Status, String)> {
    use crate::litmus::LoomVsModel;
    let seen = if isolated {
        crate::litmus::explore_in_child(test, o, cancel)?
    } else {
        crate::litmus::explore(test, o)?
    };
    let set = outcome_set(test, seen.keys());
    let v = crate::litmus::loom_vs_model(test, o, &seen);
    let why = crate::litmus::disagreement(test, v, o);
    let status = match (v, crate::litmus::as_declared(test, v, o)) {
        (LoomVsModel::Agrees, true) => Status::Pass,
        (_, true) => Status::KnownGap,
        (_, false) => Status::Fail,
    };
    Ok((status, format!("{why}; outcomes {set}")))
}

/// A litmus test's outcomes as a check's detail says them: `(r0=0, r1=1) (r0=1, r1=0)`.
fn outcome_set<'a>(
    test: &Litmus,
    outcomes: impl IntoIterator<Item = &'a crate::litmus::Outcome>,
) -> String {
    outcomes
        .into_iter()
        .map(|out| format!("({})", test.label(out)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rc11 world's outcome set for `test` under `o` against the model computed from every
/// candidate execution under the world's axioms: they must be equal, outcome for outcome.
pub(super) fn litmus_rc11(test: &'static Litmus, o: MemOrder) -> (Status, String) {
    let world = crate::litmus::rc11::run((test.rc11)(o));
    let model = crate::litmus::rc11::computed((test.rc11)(o)).world;
    let set = |s: &std::collections::BTreeSet<crate::litmus::Outcome>| outcome_set(test, s);
    if world.outcomes == model {
        (
            Status::Pass,
            format!(
                "the rc11 world's {} graphs give exactly the model's outcomes {}",
                world.graphs,
                set(&model)
            ),
        )
    } else {
        (
            Status::Fail,
            format!(
                "the rc11 world gives {} where the model computed from every candidate gives {}",
                set(&world.outcomes),
                set(&model)
            ),
        )
    }
}
