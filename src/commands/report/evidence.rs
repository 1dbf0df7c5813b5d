//! What the report measures: each lesson's native run (alone), its searches (the proof
//! size's exploration, its graph in the rc11 world for a weak-memory lesson, a failing
//! schedule found by hunt, or an ordinary one replayed), and the compare plot.

use super::gather::{not_written, Ask, Gather};
use super::Source;
use crate::commands::{compare, explore, hunt, replay, run, Common};
use crate::error::Result;
use crate::experiment::{Class, Experiment};
use crate::report::html::Section;
use serde_json::Value;

/// The watchdog (seconds) of the report's runs of lessons that can hang. A deadlocked trial
/// is idle time: its threads sleep, and the watchdog only waits to be sure. Working threads
/// use CPU every scheduler tick (10 ms here), so a tenth of a second of none is a deadlock;
/// a spinning hang is called after ten of these (1 s). `run`'s own default is 2 s.
const REPORT_WATCHDOG: f64 = 0.1;

/// The report's native run of each lesson: trials and increments per thread. Short, because
/// the runs go one at a time with nothing beside them (a search would skew them); `run`
/// takes the time to show more.
const REPORT_TRIALS: usize = 3;
const REPORT_ITERS: u64 = 20_000;

/// One experiment's run on real threads: measured alone.
pub(super) fn measured(g: &Gather, exp: &'static Experiment) -> Result<Option<Value>> {
    let n = exp.name;
    let run = run::RunArgs {
        common: Common {
            iters: Some(REPORT_ITERS),
            json: true,
            ..Common::of(n)
        },
        trials: Some(REPORT_TRIALS),
        // Only an experiment that can hang takes the watchdog (`run` refuses it elsewhere).
        watchdog: exp.can_hang().then_some(REPORT_WATCHDOG),
        ..run::RunArgs::default()
    };
    // A spin that never ends keeps its thread until the process ends: such a run gets a
    // process of its own.
    let ask = if exp.hang_spins {
        Ask::RunInChild(run)
    } else {
        Ask::Run(run)
    };
    let run = g.get(&format!("run-{n}.json"), ask)?;
    g.bar.inc(1);
    Ok(run)
}

/// One experiment's evidence: its run (measured before), then its searches — explorations,
/// hunt, replay — which time nothing and may run beside others.
pub(super) fn section(g: &Gather, exp: &'static Experiment, run: Option<Value>) -> Result<Section> {
    let n = exp.name;
    // Every search at the lesson's proof size.
    let proof = || Common {
        threads: Some(exp.proof.threads),
        iters: Some(exp.proof.iters),
        json: true,
        ..Common::of(n)
    };
    // Each search may use `--jobs` threads too, beside the other sections: nearly all are
    // over in milliseconds, and the longest (bounded-buffer-one-cv's proof, 400,000 classes)
    // would otherwise run alone on one core at the end. The search's report is the same for
    // every number of threads.
    let search = || explore::ExploreArgs {
        jobs: Some(g.cfg.jobs),
        ..explore::ExploreArgs::of(proof())
    };
    let explore = g.get(&format!("explore-{n}.json"), Ask::Explore(search()))?;
    g.bar.inc(1);
    // A weak-memory lesson: its execution graph in the rc11 world (the failing one, or for
    // a fix one execution).
    let weak = if exp.weak_memory_lesson() {
        let rc11 = explore::ExploreArgs {
            world: Some(crate::explore::World::Rc11),
            first_failure: exp.class != Class::Fixed,
            ..search()
        };
        g.get(&format!("explore-rc11-{n}.json"), Ask::Explore(rc11))?
    } else {
        None
    };
    // A failing interleaving, shrunk by hunt; a fix has none, so show an ordinary one.
    let mut replay = None;
    let mut note = String::new();
    if exp.class != Class::Fixed {
        if let Some(h) = g.get(
            &format!("hunt-{n}.json"),
            Ask::Hunt(hunt::HuntArgs::of(proof())),
        )? {
            if h["found"].as_bool() == Some(true) {
                replay = Some(h["replay"].clone());
                note = format!(
                    "A failing interleaving found by hunt and shrunk to {}.",
                    h["minimal"].as_str().unwrap_or("?")
                );
            } else {
                note = format!(
                    "hunt found no failing schedule: {}",
                    h["verdict"].as_str().unwrap_or("")
                );
            }
        }
    }
    if replay.is_none() {
        let schedule = (0..exp.proof.threads)
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let ordinary = replay::ReplayArgs {
            common: proof(),
            schedule,
            step: false,
            full: false,
        };
        if let Some(mut r) = g.get(&format!("replay-{n}.json"), Ask::Replay(ordinary))? {
            // The envelope keeps the grade and meaning in its one outcome row.
            let row = r["outcomes"][0].clone();
            if let Some(m) = r.as_object_mut() {
                m.entry("grade").or_insert(row["grade"].clone());
                m.entry("meaning").or_insert(row["meaning"].clone());
            }
            replay = Some(r);
            if note.is_empty() {
                note = if exp.class == Class::Fixed {
                    "A fix has no failing interleaving (explore proves it above); here is an ordinary one.".into()
                } else {
                    "An ordinary interleaving.".into()
                };
            }
        }
    }
    if replay.is_none() && note.is_empty() {
        note = "not measured".into();
    }
    g.bar.inc(1);
    let witnesses = crate::witnesses::row(n)
        .map(|r| [r.loom.to_string(), r.miri.to_string(), r.tsan.to_string()]);
    Ok(Section {
        name: n.into(),
        family: exp.family.into(),
        class: exp.class.name().into(),
        summary: exp.summary.into(),
        lesson: exp.lesson(),
        source: exp.code(),
        run,
        explore,
        weak,
        replay,
        replay_note: note,
        witnesses,
    })
}

/// The compare plot: from `compare.svg` in `--from DIR`, or a short compare run.
pub(super) fn plot(g: &Gather) -> Result<std::result::Result<String, String>> {
    if g.cancel.requested() {
        return Err(not_written());
    }
    match &g.cfg.source {
        Source::Saved(dir) => Ok(std::fs::read_to_string(dir.join("compare.svg"))
            .map_err(|_| format!("no compare.svg in {}", dir.display()))),
        Source::Measure { save } => {
            let names: Vec<&str> = g
                .cfg
                .experiments
                .iter()
                // What each fix of the lost update costs, as `compare` with no names.
                .filter(|e| e.family == "counters")
                .map(|e| e.name)
                .collect();
            if names.is_empty() {
                return Ok(Err("no counter among the experiments chosen".into()));
            }
            let compare = compare::CompareArgs {
                experiments: names.iter().map(|s| s.to_string()).collect(),
                threads: Some("1,2".into()),
                iters: 100_000,
                trials: 3,
                ..compare::CompareArgs::default()
            };
            g.bar.set_message("race-lab compare");
            let svg = crate::machine::embedded(|| compare::plot(&compare));
            if g.cancel.requested() {
                return Err(not_written());
            }
            match svg {
                Err(e) => Ok(Err(format!("compare failed: {}", e.message))),
                Ok(svg) => {
                    if let Some(dir) = save {
                        let _ = std::fs::write(dir.join("compare.svg"), &svg);
                    }
                    Ok(Ok(svg))
                }
            }
        }
    }
}
