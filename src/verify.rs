//! `race-lab verify`: the catalogue's promises, checked one by one — the entry point for CI.
//!
//! The checks are read from the catalogue, so a new experiment is verified the day it lands:
//! every fix is proved at its declared proof size in the loom world (where loom can: at most
//! four workers), in the scheduled world and in the rc11 world; every broken experiment's bug
//! is found in each world its `bug_shows_in` declares, and in the rc11 world (which has every
//! execution the other two have); every litmus test's loom outcome set and the rc11 world's
//! are compared with the memory model computed from its candidate executions. A difference
//! declared where it shows — an experiment's `loom_false_alarm`, a litmus test's
//! `loom_limit` (loom treats SeqCst accesses as AcqRel, loom does not explore load
//! buffering) — is a KNOWN GAP, named, never a pass and never a failure; an undeclared
//! difference fails. [`plan`] lists the checks; [`run`] runs one.

use crate::error::Result;
use crate::experiment::{Class, Experiment, Worlds};
use crate::explore::{self, World};
use crate::litmus::Litmus;
use crate::machine::Cancel;
use crate::rt::MemOrder;
use serde::Serialize;

mod judge;
use judge::{explore_at_proof, hunt_bug, judge_bug, judge_proof, litmus_check, litmus_rc11};

use std::time::Instant;

/// How one check ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    Fail,
    /// A declared, documented limit of a checker: reported, not failed, not passed.
    KnownGap,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::KnownGap => "KNOWN GAP",
        }
    }
}

/// What a check asserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A fix is exact in every execution of a world, at its proof size.
    Proved,
    /// A broken experiment's bug shows in a world it declares.
    BugFound,
    /// A bug declared to need weak memory does not show under sequential consistency: the
    /// scheduled world proves the kernel.
    NeedsWeakMemory,
    /// A litmus test's loom outcome set agrees with the cited memory model.
    Litmus,
}

impl Kind {
    /// The JUnit suite a check belongs to.
    pub fn suite(self) -> &'static str {
        match self {
            Kind::Proved => "fixes proved",
            Kind::BugFound => "bugs found",
            Kind::NeedsWeakMemory => "weak-memory bugs absent under sequential consistency",
            Kind::Litmus => "litmus against the model",
        }
    }
}

/// One check to run.
#[derive(Clone)]
pub enum Planned {
    Experiment {
        exp: &'static Experiment,
        world: World,
        kind: Kind,
    },
    Litmus {
        test: &'static Litmus,
        ordering: MemOrder,
        world: World,
    },
}

impl Planned {
    /// A guess at how long the check takes, to start the long ones first: loom is the slowest
    /// world, and a model grows with its threads and iterations.
    pub fn cost(&self) -> u64 {
        match self {
            Planned::Experiment { exp, world, .. } => {
                let size = exp.proof;
                // loom is the slowest world; an rc11 search whose lock model leaves most
                // runs blocked (it declares `rc11_census`) comes close.
                let slow =
                    *world == World::Loom || (*world == World::Rc11 && exp.rc11_census.is_some());
                let weight = if slow { 16 } else { 1 };
                weight * size.threads as u64 * size.iters
            }
            // A litmus test's loom model grows with its actors (IRIW's four: about a second);
            // the rc11 world's, a few graphs, is instant.
            Planned::Litmus { test, world, .. } => match world {
                World::Loom => 16 * (test.shape)().actors as u64,
                _ => 1,
            },
        }
    }

    /// `atomic [loom 2x2]`, `SB --ordering relaxed [loom]`.
    pub fn name(&self) -> String {
        match self {
            Planned::Experiment { exp, world, .. } => {
                let size = exp.proof;
                format!(
                    "{} [{} {}x{}]",
                    exp.name,
                    world.name(),
                    size.threads,
                    size.iters
                )
            }
            Planned::Litmus {
                test,
                ordering,
                world,
            } => {
                format!(
                    "{} --ordering {} [{}]",
                    test.name,
                    ordering.name(),
                    world.name()
                )
            }
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Planned::Experiment { kind, .. } => *kind,
            Planned::Litmus { .. } => Kind::Litmus,
        }
    }
}

/// One check's result.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// `atomic [loom 2x2]`.
    pub name: String,
    pub kind: Kind,
    /// The experiment or litmus test checked.
    pub subject: String,
    /// `loom` or `scheduled`.
    pub world: String,
    pub status: Status,
    /// One line: what was found.
    pub detail: String,
    pub seconds: f64,
}

/// Every check for these experiments and litmus tests, in catalogue order.
pub fn plan(exps: &[&'static Experiment], litmus: &[&'static Litmus]) -> Vec<Planned> {
    let mut out = Vec::new();
    for &exp in exps {
        let (kind, worlds) = if exp.class == Class::Fixed {
            let w = Worlds {
                native: false,
                loom: exp.proof.threads <= explore::LOOM_MAX_WORKERS,
                scheduled: true,
            };
            (Kind::Proved, w)
        } else {
            (Kind::BugFound, exp.bug_worlds())
        };
        // A bug declared to need weak memory: the scheduled world (sequentially consistent)
        // must prove the kernel, or the declaration is wrong.
        if kind == Kind::BugFound && worlds.loom && !worlds.scheduled {
            out.push(Planned::Experiment {
                exp,
                world: World::Scheduled,
                kind: Kind::NeedsWeakMemory,
            });
        }
        // The rc11 world has every execution the other two have: it proves every fix and
        // finds every bug.
        // A declared loom limit is listed (as a known gap) even where loom is not a world
        // the bug shows in.
        for (on, world) in [
            (worlds.loom || exp.loom_limit.is_some(), World::Loom),
            (worlds.scheduled, World::Scheduled),
            (true, World::Rc11),
        ] {
            if on {
                out.push(Planned::Experiment { exp, world, kind });
            }
        }
    }
    for &test in litmus {
        for ordering in [MemOrder::Relaxed, MemOrder::Acqrel, MemOrder::Seqcst] {
            for world in [World::Loom, World::Rc11] {
                out.push(Planned::Litmus {
                    test,
                    ordering,
                    world,
                });
            }
        }
    }
    out
}

/// Runs one check. `isolated`: explore loom in a child process of the lab (the CLI); else in
/// this process (a program that added its own experiments through the library API).
pub fn run(p: &Planned, isolated: bool, cancel: &Cancel) -> Result<Check> {
    let started = Instant::now();
    let (subject, world, status, detail) = match p {
        Planned::Experiment { exp, world, kind } => {
            let explored = || explore_at_proof(exp, *world, *kind, isolated, cancel);
            let (status, detail) = match (kind, world) {
                (_, World::Loom) if exp.loom_limit.is_some() => (
                    Status::KnownGap,
                    format!(
                        "not explored under loom (declared): {}",
                        exp.loom_limit.unwrap_or_default()
                    ),
                ),
                (Kind::Proved, _) => judge_proof(exp, *world, &explored()?),
                (Kind::NeedsWeakMemory, _) => match judge_proof(exp, *world, &explored()?) {
                    (Status::Pass, verdict) => (Status::Pass, verdict),
                    (_, verdict) => (
                        Status::Fail,
                        format!("declared to need weak memory, yet: {verdict}"),
                    ),
                },
                // A bug under schedules: hunt finds most at once; only if it does not is the
                // exhaustive search run, and where the model is too large to search, the
                // hunt's answer stands.
                (_, World::Scheduled) => match hunt_bug(exp, cancel)? {
                    hunted @ (Status::Pass, _) => hunted,
                    hunted => match explored() {
                        Ok(r) => judge_bug(&r),
                        Err(e) if e.kind == crate::error::ErrorKind::TooLarge => hunted,
                        Err(e) => return Err(e),
                    },
                },
                // A model too large for the rc11 world: a schedule hunt finds is one of its
                // executions too (every sequentially consistent execution is RC11-consistent).
                (_, World::Rc11) => match explored() {
                    Ok(r) => judge_bug(&r),
                    Err(e) if e.kind == crate::error::ErrorKind::TooLarge => {
                        let (status, found) = hunt_bug(exp, cancel)?;
                        (
                            status,
                            format!("{found}; too large to explore in rc11: {}", e.message),
                        )
                    }
                    Err(e) => return Err(e),
                },
                _ => judge_bug(&explored()?),
            };
            (exp.name.to_string(), world.name(), status, detail)
        }
        Planned::Litmus {
            test,
            ordering,
            world: World::Rc11,
        } => {
            let (status, detail) = litmus_rc11(test, *ordering);
            (
                test.name.to_string(),
                explore::rc11::WORLD_RC11,
                status,
                detail,
            )
        }
        Planned::Litmus { test, ordering, .. } => {
            let (status, detail) = litmus_check(test, *ordering, isolated, cancel)?;
            (test.name.to_string(), explore::WORLD_LOOM, status, detail)
        }
    };
    Ok(Check {
        name: p.name(),
        kind: p.kind(),
        subject,
        world: world.into(),
        status,
        detail,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The counts of a finished (or interrupted) run.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Summary {
    pub checks: usize,
    pub passed: usize,
    pub failed: usize,
    pub known_gaps: usize,
}

impl Summary {
    pub fn of(checks: &[Check]) -> Summary {
        let n = |s: Status| checks.iter().filter(|c| c.status == s).count();
        Summary {
            checks: checks.len(),
            passed: n(Status::Pass),
            failed: n(Status::Fail),
            known_gaps: n(Status::KnownGap),
        }
    }
}
