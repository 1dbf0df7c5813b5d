//! What an experiment is: a kernel written once over [`Rt`](crate::rt::Rt), the outcomes it declares
//! acceptable, interesting or forbidden (jcstress style), the options it takes, and what a
//! tool needs to know to run it anywhere: thread limits, names of its shared variables,
//! which worlds can show its bug, and the sizes at which it is proved and played.
//!
//! The parts: `run.rs` (what a kernel takes and gives back), `grade.rs` (how a run ended
//! and how it is graded), `declare.rs` (the [`experiment!`](crate::experiment!) macro that
//! declares one), `workers.rs` (the worker spawner kernels share), and here the
//! declaration's fields.

use serde::Serialize;

mod declare;
mod grade;
mod run;
mod workers;
pub use declare::{kebab_len, kebab_stem, repo_path, Kernels};
pub use grade::{Ending, Grade};
pub use run::{median, Outcome, Params, Run};
pub use workers::{workers, workers_counting, workers_with_owner, Counts};

/// How the lab classifies an experiment; grades and the witnesses' expected verdicts follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Unsynchronised access to plain memory: undefined behaviour (lost updates, stale reads, hangs).
    DataRace,
    /// Every access is atomic or synchronised (no UB), yet the result can be wrong: a
    /// read-then-write loses updates, a Relaxed flag publishes stale data.
    LogicRace,
    /// Correct: the count is exactly N × M in every execution.
    Fixed,
    /// Correct when it finishes, but two locks taken in opposite orders can deadlock.
    Deadlock,
}

impl Class {
    /// The class as JSON, scripts and tables spell it: `data-race`, `logic-race`, `fixed`,
    /// `deadlock`.
    pub fn name(self) -> &'static str {
        match self {
            Class::DataRace => "data-race",
            Class::LogicRace => "logic-race",
            Class::Fixed => "fixed",
            Class::Deadlock => "deadlock",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Class::DataRace => {
                "data race: plain memory shared unsynchronised, undefined behaviour whatever it shows (lost updates, a stale read, a hang)"
            }
            Class::LogicRace => {
                "race condition without a data race: a wrong result (lost updates, a stale read), no UB"
            }
            Class::Fixed => "fixed: exactly N × M, always",
            Class::Deadlock => "can deadlock",
        }
    }
    /// Every class but `Fixed`: the experiment has a bug to find.
    pub fn is_broken(self) -> bool {
        self != Class::Fixed
    }
    pub fn is_racy(self) -> bool {
        matches!(self, Class::DataRace | Class::LogicRace)
    }
}

/// A command-line option that only some experiments take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opt {
    Ordering,
    Window,
    Batch,
}

impl Opt {
    pub fn flag(self) -> &'static str {
        match self {
            Opt::Ordering => "--ordering",
            Opt::Window => "--window",
            Opt::Batch => "--batch",
        }
    }
}

/// Which worlds can show an experiment's bug.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Worlds {
    /// Real threads on this kind of hardware (x86-64: total store order).
    pub native: bool,
    /// loom's model of the C11/Rust memory model (weak memory, data races).
    pub loom: bool,
    /// Sequentially consistent schedules (`hunt`, `replay`, `explore --world scheduled`).
    pub scheduled: bool,
}

impl Worlds {
    pub const ALL: Worlds = Worlds {
        native: true,
        loom: true,
        scheduled: true,
    };
    pub const NONE: Worlds = Worlds {
        native: false,
        loom: false,
        scheduled: false,
    };
    /// A bug of the weak memory model: loom shows it, schedules cannot.
    pub const WEAK_MEMORY: Worlds = Worlds {
        native: false,
        loom: true,
        scheduled: false,
    };
}

/// How many watchdog periods a trial of an experiment whose hang spins ([`Experiment::hang_spins`])
/// may run before it is declared hung.
pub const HANG_SPINS_WATCHDOGS: u32 = 10;

/// A size (threads × iterations) at which an experiment is proved or played.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Size {
    pub threads: usize,
    pub iters: u64,
}

/// How `race-lab play` offers an experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Play {
    /// A level at the size it is proved at (the default: proof sizes are small).
    AtProofSize,
    /// A level at this size.
    At(Size),
    /// Not a level, for this reason (said when someone asks to play it).
    Not(&'static str),
}

/// How an experiment grades one outcome: `(grade, meaning)`. The failure its lesson is about
/// is INTERESTING; a broken version and its fix share one judge, and in the fix that failure
/// is FORBIDDEN ([`Experiment::grade`] reads the class).
pub type Judge = fn(&Params, &Outcome) -> (Grade, &'static str);

/// One entry of the catalogue. Write one with struct update from [`Experiment::DEFAULTS`]:
/// only what differs from a counter needs saying.
pub struct Experiment {
    pub name: &'static str,
    /// The family `race-lab list` groups it under (`counters`, `locks`, …).
    pub family: &'static str,
    /// One line for `race-lab list`.
    pub summary: &'static str,
    pub class: Class,
    /// The fewest and most worker threads the kernel takes (Peterson's lock: exactly 2).
    pub threads: (usize, usize),
    /// Names for the shared objects in the order the kernel creates them, per kind:
    /// atomics (`a0`, `a1`, …) and locks (`A`, `B`, …). Timelines use these.
    pub atomics: &'static [&'static str],
    pub locks: &'static [&'static str],
    /// Which worlds can show the bug (none, for a fix).
    pub bug_shows_in: Worlds,
    /// The size at which `explore` and the suites prove (a fix) or find (a bug) it.
    pub proof: Size,
    /// Why the rc11 world, which finds this bug at `proof` (one failing graph is all a
    /// bug needs), cannot list every graph there: the scheduled world (or loom) then
    /// decides it by default (`explore::decider`).
    pub rc11_census: Option<&'static str>,
    /// Whether Miri and ThreadSanitizer witness it although it is neither a counter nor a
    /// data race (a fix whose lesson says the checkers find it clean): see
    /// [`Experiment::witnessed_by_checkers`].
    pub witnessed: bool,
    /// A fix that loom cannot prove because loom treats SeqCst *accesses* as AcqRel: its loom
    /// exploration raises a false alarm, which `verify` reports as a known gap, not a failure.
    pub loom_false_alarm: bool,
    /// Why loom cannot decide it at its proof size, if it cannot (a spin loop that never
    /// looks stuck to loom, retry loops too many for its budget): `verify` reports loom's
    /// check as a known gap with this reason and leaves the verdict to the other worlds.
    pub loom_limit: Option<&'static str>,
    /// Its hang is a spin that burns CPU forever (not threads asleep in a lock): the native
    /// watchdog then watches the clock, and a trial still running after
    /// [`HANG_SPINS_WATCHDOGS`] watchdog periods is declared hung.
    pub hang_spins: bool,
    /// Whether and at what size `race-lab play` offers it as a level (small enough to play
    /// by hand, large enough for the bug to show in a sequentially consistent schedule).
    pub play: Play,
    /// What `play` asks of the player, in one sentence; `None`: derived from the class and
    /// family (lose an update, deadlock everyone, …).
    pub goal: Option<&'static str>,
    /// How its outcomes are graded; `None`: as a counter of its class.
    pub judge: Option<Judge>,
    /// Options this experiment takes beyond `--threads`, `--iters`, `--trials`, `--pin`.
    pub options: &'static [Opt],
    /// The name of the experiment's own metric (summed over workers), if any.
    pub metric: Option<&'static str>,
    pub default_threads: usize,
    pub default_iters: u64,
    /// The experiment's source file: its lesson (the `//!` header) and its kernel.
    pub source: &'static str,
    /// That file's path in the repository (`experiments/atomic.rs`).
    pub path: &'static str,
    pub kernels: Kernels,
}

impl Experiment {
    /// Whether ci/miri.sh and ci/tsan.sh run it (`race-lab-witness --list`): the counters,
    /// every data race (undefined behaviour, what those checkers exist to see), and the
    /// experiments that ask to be.
    pub fn witnessed_by_checkers(&self) -> bool {
        self.family == "counters" || self.class == Class::DataRace || self.witnessed
    }

    /// A lesson about weak memory: its bug needs it (loom shows it, schedules cannot), loom
    /// raises a false alarm on it, or it is about publishing data. The HTML report draws its
    /// execution graph from the rc11 world.
    pub fn weak_memory_lesson(&self) -> bool {
        (self.bug_shows_in.loom && !self.bug_shows_in.scheduled)
            || self.loom_false_alarm
            || self.family == "publication"
    }

    /// The size `race-lab play` offers it at, unless it is not a level.
    pub fn play_size(&self) -> Option<Size> {
        match self.play {
            Play::AtProofSize => Some(self.proof),
            Play::At(s) => Some(s),
            Play::Not(_) => None,
        }
    }
}

impl Experiment {
    /// The worlds in which its bug shows, as `verify` checks them: the ones it declares,
    /// less `native` (a native run is statistical, not a check). An experiment of a broken
    /// class that declares no world shows its bug where its class says: loom and schedules.
    pub fn bug_worlds(&self) -> Worlds {
        let declared = self.bug_shows_in;
        if declared.loom || declared.scheduled {
            return declared;
        }
        Worlds {
            native: false,
            loom: true,
            scheduled: true,
        }
    }

    /// Renames the worlds' default object names (`a0`, `A`) to the declared ones.
    pub fn object_name<'a>(&self, default: &'a str) -> std::borrow::Cow<'a, str> {
        let pick = |names: &[&'static str], i: Option<usize>| i.and_then(|i| names.get(i).copied());
        let renamed = match default.as_bytes() {
            [b'a', rest @ ..] if !rest.is_empty() && rest.iter().all(u8::is_ascii_digit) => {
                pick(self.atomics, default[1..].parse().ok())
            }
            [c] if c.is_ascii_uppercase() => pick(self.locks, Some((c - b'A') as usize)),
            _ => None,
        };
        match renamed {
            Some(n) => n.into(),
            None => default.into(),
        }
    }

    /// Renames the objects of a trace to the declared names.
    pub fn name_objects(&self, events: &mut [crate::trace::Event]) {
        if self.atomics.is_empty() && self.locks.is_empty() {
            return;
        }
        for e in events {
            let renamed = self.object_name(&e.object).into_owned();
            e.object = renamed;
        }
    }

    /// The `//!` header of the experiment's file: the lesson.
    pub fn lesson(&self) -> String {
        lesson_and_code(self.source).0
    }

    /// The code after the header.
    pub fn code(&self) -> String {
        lesson_and_code(self.source).1
    }

    /// Whether a native run can hang: threads asleep on each other (a deadlock lesson) or a
    /// spin that never ends ([`Experiment::hang_spins`]). Such a run is watched by the
    /// watchdog, and `compare` (which times runs) does not take it.
    pub fn can_hang(&self) -> bool {
        self.class == Class::Deadlock || self.hang_spins
    }

    /// What a native trial that never finished is called: `hung` for a spin, `deadlock`
    /// for threads asleep on each other.
    pub fn unfinished(&self) -> &'static str {
        if self.hang_spins {
            "hung"
        } else {
            "deadlock"
        }
    }

    pub fn takes(&self, o: Opt) -> bool {
        self.options.contains(&o)
    }
}

/// An experiment file split in two: its lesson (the `//!` header, each line without the
/// marker and the one space after it) and its code (what follows, blank lines skipped).
pub fn lesson_and_code(source: &str) -> (String, String) {
    let header = source.lines().take_while(|l| l.starts_with("//!"));
    let lesson: Vec<&str> = header
        .map(|l| {
            let l = l.trim_start_matches("//!");
            l.strip_prefix(' ').unwrap_or(l)
        })
        .collect();
    let code: Vec<&str> = source
        .lines()
        .skip(lesson.len())
        .skip_while(|l| l.trim().is_empty())
        .collect();
    (lesson.join("\n"), code.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::{atomic, deadlock, racy_atomic};

    #[test]
    fn racy_minimum_follows_the_theory() {
        assert_eq!(Experiment::racy_minimum(&Params::new(1, 5)), 5);
        assert_eq!(Experiment::racy_minimum(&Params::new(4, 1)), 1);
        assert_eq!(Experiment::racy_minimum(&Params::new(2, 3)), 2);
        assert_eq!(Experiment::racy_minimum(&Params::new(8, 1000)), 2);
    }

    #[test]
    fn grades() {
        let p = Params::new(2, 3);
        let g = |e: &Experiment, v: Option<u64>| e.grade(&p, v.map(Outcome::value).as_ref()).0;
        assert_eq!(g(&racy_atomic::EXPERIMENT, Some(6)), Grade::Acceptable);
        assert_eq!(g(&racy_atomic::EXPERIMENT, Some(2)), Grade::Interesting);
        assert_eq!(g(&racy_atomic::EXPERIMENT, Some(1)), Grade::Forbidden);
        assert_eq!(g(&racy_atomic::EXPERIMENT, Some(7)), Grade::Forbidden);
        assert_eq!(g(&atomic::EXPERIMENT, Some(6)), Grade::Acceptable);
        assert_eq!(g(&atomic::EXPERIMENT, Some(5)), Grade::Forbidden);
        assert_eq!(g(&atomic::EXPERIMENT, None), Grade::Forbidden);
        assert_eq!(g(&deadlock::EXPERIMENT, None), Grade::Interesting);
    }

    #[test]
    fn every_lesson_has_a_question_an_expectation_and_outcomes() {
        for e in crate::experiments::all() {
            let l = e.lesson();
            for part in ["**Question.**", "**Expect.**", "**Outcomes.**"] {
                assert!(l.contains(part), "{}: lesson lacks {part}", e.name);
            }
            assert!(e.code().contains("pub fn kernel<R: Rt>"), "{}", e.name);
            // The name experiment! derived is the file's, and the source is that file.
            assert_eq!(
                e.path,
                format!("experiments/{}.rs", e.name.replace('-', "_"))
            );
            let on_disk = std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(e.path),
            )
            .unwrap();
            assert!(
                e.source == on_disk,
                "{}: the declared source is not the file on disk",
                e.name
            );
            assert!(
                !e.name.is_empty() && e.proof.threads >= e.threads.0,
                "{}",
                e.name
            );
        }
    }
}
