//! `race-lab play`: you are the scheduler. A level is an experiment's kernel in the
//! scheduled world (sequentially consistent) at its play size; the player steps one worker
//! at a time, one visible operation per step, and wins by driving the run into the bug —
//! a lost update, a deadlock, any outcome the experiment does not grade ACCEPTABLE.
//!
//! [`game`] is the engine (moves, undo, the view of an execution, the goal), [`search`]
//! the hint and the exhaustive proof, [`screen`] what a screen shows, [`campaign`] the
//! levels' progress on disk, [`ui`] the full-screen terminal interface.

pub mod campaign;
pub mod game;
pub mod screen;
pub mod search;
pub mod ui;

use crate::experiment::{Class, Experiment, Params};

/// Whether a level is a bug to trigger or a fix to try to break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Bug,
    Fix,
}

impl Kind {
    pub fn of(exp: &Experiment) -> Kind {
        if exp.class == Class::Fixed {
            Kind::Fix
        } else {
            Kind::Bug
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Kind::Bug => "bug",
            Kind::Fix => "fix",
        }
    }
}

/// The families in teaching order; families not named here come after, in catalogue order.
const TEACHING_ORDER: &[&str] = &[
    "flags", "counters", "locks", "deadlock", "condvars", "channels",
];

/// The family an experiment is taught in: its declared one, but a deadlock is its own
/// (except in the boss levels, which come last whatever their class).
fn teaching_family(exp: &Experiment) -> &'static str {
    if exp.class == Class::Deadlock && exp.family != "boss" {
        "deadlock"
    } else {
        exp.family
    }
}

/// Why an experiment is not a level, if it is not: it says so (a livelock never ends, so no
/// game reaches it), or its bug needs a memory model weaker than sequential consistency, so
/// no schedule of the scheduled world shows it.
pub fn not_a_level(exp: &Experiment) -> Option<String> {
    if let crate::experiment::Play::Not(why) = exp.play {
        return Some(format!("{} is not a level: {why}", exp.name));
    }
    let w = exp.bug_shows_in;
    (exp.class != Class::Fixed && w.loom && !w.scheduled).then(|| {
        format!(
            "{} is not a level: its bug needs a weaker memory model than play's sequential consistency (try `race-lab explore {}`)",
            exp.name, exp.name
        )
    })
}

/// Every level, in teaching order: family by family, the bugs first, then their fixes
/// ("try to break it").
pub fn levels() -> Vec<&'static Experiment> {
    let all: Vec<&'static Experiment> = crate::experiments::all()
        .filter(|e| not_a_level(e).is_none())
        .collect();
    let rank = |e: &Experiment| {
        let f = teaching_family(e);
        match TEACHING_ORDER.iter().position(|x| *x == f) {
            Some(i) => i,
            None if f == "boss" => TEACHING_ORDER.len() + 1, // the end of the campaign
            None => TEACHING_ORDER.len(),
        }
    };
    let mut order: Vec<(usize, usize, usize, &'static Experiment)> = all
        .iter()
        .enumerate()
        .map(|(i, e)| (rank(e), (Kind::of(e) == Kind::Fix) as usize, i, *e))
        .collect();
    order.sort_by_key(|(r, k, i, _)| (*r, *k, *i));
    order.into_iter().map(|(_, _, _, e)| e).collect()
}

/// What the player must do, in one sentence.
pub fn goal(exp: &Experiment, p: &Params) -> String {
    if let Some(g) = exp.goal {
        return g.to_string();
    }
    match (exp.class, exp.family) {
        (Class::Deadlock, "condvars") => {
            "Lose a wake-up: leave a thread asleep on the condvar with nobody left to wake it."
                .into()
        }
        (Class::Deadlock, _) => {
            "Deadlock everyone: leave every thread waiting for a lock another one holds.".into()
        }
        (Class::Fixed, _) => {
            "Try to break it: end the run with any outcome but ACCEPTABLE (a lost update, a deadlock, …).".into()
        }
        (_, "locks") => "Get two threads into the critical section at once.".into(),
        (c, _) if c.is_racy() => format!(
            "Lose an update: make the counter end below {} ({} threads × {} increments).",
            p.expected(),
            p.threads,
            p.iters
        ),
        _ => "Reach an outcome graded FORBIDDEN or INTERESTING.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_start_with_the_counters_and_hold_every_scheduled_bug_and_fix() {
        let l = levels();
        assert_eq!(l[0].name, "unsynced");
        let pos = |n: &str| l.iter().position(|e| e.name == n).unwrap();
        assert!(pos("racy-atomic") < pos("atomic"));
        assert!(pos("atomic") < pos("deadlock"));
        let playable = crate::experiments::all().filter(|e| not_a_level(e).is_none());
        assert_eq!(l.len(), playable.count());
        // Weak-memory bugs are not levels: a sequentially consistent schedule cannot show them.
        assert!(l.iter().all(|e| e.name != "publish-relaxed"));
        assert!(l.iter().any(|e| e.name == "flag-lock"));
    }

    #[test]
    fn a_bug_of_weak_memory_only_is_not_a_level() {
        use crate::experiment::Worlds;
        static WEAK: Experiment = Experiment {
            name: "weak",
            class: Class::LogicRace,
            bug_shows_in: Worlds::WEAK_MEMORY,
            ..Experiment::DEFAULTS
        };
        let why = not_a_level(&WEAK).expect("refused");
        assert!(
            why.contains("race-lab explore weak") && !why.contains('\n'),
            "{why}"
        );
        static SC: Experiment = Experiment {
            bug_shows_in: Worlds::ALL,
            ..WEAK
        };
        assert!(not_a_level(&SC).is_none());
    }

    #[test]
    fn the_boss_levels_close_the_campaign_and_every_family_has_levels() {
        let levels = levels();
        let n = levels.len();
        assert!(levels[n - 3..].iter().all(|e| e.family == "boss"));
        assert!(levels[..n - 3].iter().all(|e| e.family != "boss"));
        for e in crate::experiments::all() {
            let listed = levels.iter().any(|l| l.name == e.name);
            assert_eq!(listed, not_a_level(e).is_none(), "{}", e.name);
        }
    }
}
