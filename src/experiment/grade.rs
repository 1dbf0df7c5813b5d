//! How a run ended and how an experiment grades it, jcstress style: every ending of every
//! world — an outcome, a deadlock, a livelock, a panic, a run cut short — is an [`Ending`],
//! and [`Experiment::grade_ending`] is the one function that grades it.

use super::{Class, Experiment, Outcome, Params};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// jcstress's grades.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Grade {
    Acceptable,
    Interesting,
    Forbidden,
}

impl Grade {
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Acceptable => "ACCEPTABLE",
            Grade::Interesting => "INTERESTING",
            Grade::Forbidden => "FORBIDDEN",
        }
    }

    /// The most serious failure among graded tallies `(meaning, grade, count)`, as a
    /// headline names it: the worst grade first (FORBIDDEN before INTERESTING), then the
    /// meaning seen most often (the tallies of one meaning summed). ACCEPTABLE ones are no
    /// failure. Its meaning and how often it was seen.
    pub fn worst<'a>(
        tallies: impl IntoIterator<Item = (&'a str, Grade, u64)>,
    ) -> Option<(&'a str, u64)> {
        let mut seen: Vec<(&str, Grade, u64)> = Vec::new();
        for (meaning, grade, n) in tallies {
            if grade == Grade::Acceptable {
                continue;
            }
            match seen.iter_mut().find(|(m, _, _)| *m == meaning) {
                Some((_, g, k)) => (*g, *k) = ((*g).max(grade), *k + n),
                None => seen.push((meaning, grade, n)),
            }
        }
        seen.into_iter()
            .max_by_key(|&(_, g, n)| (g, n))
            .map(|(m, _, n)| (m, n))
    }
}

/// How one run of a kernel ended, in any world.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ending {
    /// The kernel returned this outcome.
    Finished(Outcome),
    /// Every live thread waits for another (a lock, a wake-up, a join).
    Deadlock,
    /// Live threads kept stepping past the step bound without the kernel ending.
    Livelock,
    /// A thread panicked (a bug in the kernel or the lab).
    Panicked,
    /// The run was stopped before it ended, for no fault of its own.
    CutShort,
}

impl Ending {
    /// The outcome, if the kernel finished.
    pub fn outcome(&self) -> Option<&Outcome> {
        match self {
            Ending::Finished(o) => Some(o),
            _ => None,
        }
    }

    /// Its name in reports: `finished`, `deadlock`, `livelock`, `panicked`, `step-limit`.
    pub fn name(&self) -> &'static str {
        match self {
            Ending::Finished(_) => "finished",
            Ending::Deadlock => "deadlock",
            Ending::Livelock => "livelock",
            Ending::Panicked => "panicked",
            Ending::CutShort => "step-limit",
        }
    }

    /// The record a printer shows for it: the outcome itself, or one field naming how the
    /// run ended (`deadlock=1`, `livelock=1`, `panicked=1`, `step_limit=1`).
    pub fn record(&self) -> Outcome {
        let named = |n: &str| Outcome::of(&[(n, 1)]);
        match self {
            Ending::Finished(o) => o.clone(),
            Ending::Deadlock => named("deadlock"),
            Ending::Livelock => named("livelock"),
            Ending::Panicked => named("panicked"),
            Ending::CutShort => named("step_limit"),
        }
    }
}

/// Endings sort as their records do (the order tables list them in).
impl Ord for Ending {
    fn cmp(&self, other: &Self) -> Ordering {
        self.record().cmp(&other.record())
    }
}

impl PartialOrd for Ending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Experiment {
    /// The fewest updates a racy counter can end with: N × M with one thread; with several,
    /// 1 if each does one increment (all read 0, all write 1), otherwise 2 (a thread reads 0,
    /// stalls while the others finish, writes 1; another reads that 1, stalls while the first
    /// finishes, writes 2).
    pub fn racy_minimum(p: &Params) -> u64 {
        match (p.threads, p.iters) {
            (_, 0) => 0,
            (1, m) => m,
            (_, 1) => 1,
            _ => 2,
        }
    }

    /// Grades a counter's final value (`None` = deadlocked).
    pub fn grade_value(&self, p: &Params, value: Option<u64>) -> (Grade, &'static str) {
        self.grade(p, value.map(Outcome::value).as_ref())
    }

    /// Grades a LIVELOCK (live threads kept stepping past the step bound without the
    /// kernel ending): the failure a deadlock experiment teaches, a bug anywhere else.
    pub fn grade_livelock(&self) -> (Grade, &'static str) {
        match self.class {
            Class::Deadlock => (
                Grade::Interesting,
                "livelocked: the threads keep running (retrying) and nobody finishes",
            ),
            _ => (
                Grade::Forbidden,
                "livelocked: the threads kept running past the step bound without finishing",
            ),
        }
    }

    /// Grades one outcome (`None` = did not finish: deadlocked), as jcstress does.
    ///
    /// A judge grades the failure its lesson is about INTERESTING, and a broken version and
    /// its fix share the judge: in a fix (`Class::Fixed`) that failure is FORBIDDEN, with the
    /// same words. The class is said once, in the declaration.
    pub fn grade(&self, p: &Params, outcome: Option<&Outcome>) -> (Grade, &'static str) {
        if let (Some(judge), Some(o)) = (self.judge, outcome) {
            return match judge(p, o) {
                (Grade::Interesting, meaning) if self.class == Class::Fixed => {
                    (Grade::Forbidden, meaning)
                }
                graded => graded,
            };
        }
        let expected = p.expected();
        match (self.class, outcome.map(Outcome::primary)) {
            (_, None) if self.hang_spins => (
                Grade::Interesting,
                "hung: a thread spins on a value nobody will change (or no longer reads it)",
            ),
            (Class::Deadlock, None) => (
                Grade::Interesting,
                "deadlocked: every thread waits for another (for a lock it holds, or a wake-up that never comes)",
            ),
            (_, None) => (
                Grade::Forbidden,
                "deadlocked, though this experiment takes at most one lock at a time",
            ),
            (_, Some(v)) if v == expected => match self.class {
                Class::Fixed => (Grade::Acceptable, "exact: no update lost"),
                Class::Deadlock => (
                    Grade::Acceptable,
                    "finished: the lock orders did not collide this time",
                ),
                _ => (Grade::Acceptable, "no update lost this time"),
            },
            (c, Some(v)) if c.is_racy() && v >= Self::racy_minimum(p) && v < expected => (
                Grade::Interesting,
                "lost updates: increments overwrote each other",
            ),
            (c, Some(_)) if c.is_racy() => (
                Grade::Forbidden,
                "impossible even for a racy counter: a bug in the lab",
            ),
            _ => (
                Grade::Forbidden,
                "a fixed version lost or invented updates: a bug",
            ),
        }
    }

    /// Grades any ending: an outcome by the experiment's rules; a deadlock as the
    /// experiment says; a livelock as [`Experiment::grade_livelock`]; a panic or a run cut
    /// short as a failure.
    pub fn grade_ending(&self, p: &Params, ending: &Ending) -> (Grade, &'static str) {
        match ending {
            Ending::Finished(o) => self.grade(p, Some(o)),
            Ending::Deadlock => self.grade(p, None),
            Ending::Livelock => self.grade_livelock(),
            Ending::Panicked => (Grade::Forbidden, "a thread panicked"),
            Ending::CutShort => (Grade::Forbidden, "the run was cut short before it ended"),
        }
    }
}

#[cfg(test)]
mod worst_tests {
    use super::Grade::{self, *};

    #[test]
    fn the_worst_failure_is_the_worst_grade_then_the_most_seen_meaning() {
        let t = [
            ("exact", Acceptable, 900),
            ("lost", Interesting, 30),
            ("inside", Interesting, 20),
            ("inside", Interesting, 15),
        ];
        // Tallies of one meaning add up: 35 inside beat 30 lost; 900 exact are no failure.
        assert_eq!(Grade::worst(t), Some(("inside", 35)));
        let with_forbidden = [("lost", Interesting, 30), ("bad", Forbidden, 1)];
        assert_eq!(Grade::worst(with_forbidden), Some(("bad", 1)));
        assert_eq!(Grade::worst([("exact", Acceptable, 4)]), None);
    }
}

#[cfg(test)]
mod shared_judge_tests {
    use crate::experiment::{Grade, Outcome, Params};

    fn grade(name: &str, o: &Outcome) -> Grade {
        let exp = crate::experiments::find(name).expect("in the catalogue");
        exp.grade(&Params::new(2, 1), Some(o)).0
    }

    /// One judge, one failure: the lesson's INTERESTING outcome, a bug in its fix.
    #[test]
    fn a_shared_judge_grades_the_failure_by_the_experiments_class() {
        let torn = Outcome::of(&[("ops", 2), ("torn", 1)]);
        assert_eq!(grade("seqlock-nofence", &torn), Grade::Interesting);
        assert_eq!(grade("seqlock", &torn), Grade::Forbidden);
        let twice = Outcome::of(&[("uses", 2), ("inits", 2)]);
        assert_eq!(grade("lazy-init", &twice), Grade::Interesting);
        assert_eq!(grade("lazy-init-once", &twice), Grade::Forbidden);
        let inside = Outcome::of(&[("count", 2), ("in_cs", 2)]);
        assert_eq!(grade("flag-lock", &inside), Grade::Interesting);
        assert_eq!(grade("spin-lock", &inside), Grade::Forbidden);
        let clean = Outcome::of(&[("ops", 2), ("torn", 0)]);
        assert_eq!(grade("seqlock", &clean), Grade::Acceptable);
    }

    /// A lesson whose failure is a hang shares its fix's judge: an early pass is a bug in
    /// both.
    #[test]
    fn a_failure_that_is_no_lesson_is_forbidden_everywhere() {
        let early = Outcome::of(&[("passes", 2), ("early", 1)]);
        assert_eq!(grade("latch-notify-one", &early), Grade::Forbidden);
        assert_eq!(grade("latch", &early), Grade::Forbidden);
    }
}
