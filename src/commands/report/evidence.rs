//! What the report measures: each lesson's native run (alone), its searches (the proof
//! size's exploration, its graph in the rc11 world for a weak-memory lesson, a failing
//! schedule found by hunt, or an ordinary one replayed), and the compare plot.

use super::gather::{lab_json, not_written, strings, Gather};
use super::Source;
use crate::error::Result;
use crate::experiment::{Class, Experiment};
use crate::report::html::Section;
use serde_json::Value;

/// The watchdog (seconds) of the report's runs of lessons that can hang. A deadlocked trial
/// is idle time: its threads sleep, and the watchdog only waits to be sure. Working threads
/// use CPU every scheduler tick (10 ms here), so a tenth of a second of none is a deadlock;
/// a spinning hang is called after ten of these (1 s). `run`'s own default is 2 s.
const REPORT_WATCHDOG: &str = "0.1";

/// The report's native run of each lesson: trials and increments per thread. Short, because
/// the runs go one at a time with nothing beside them (a search would skew them); `run`
/// takes the time to show more.
const REPORT_TRIALS: &str = "3";
const REPORT_ITERS: &str = "20000";

/// One experiment's run on real threads: measured alone.
pub(super) fn measured(g: &Gather, exp: &'static Experiment) -> Result<Option<Value>> {
    let n = exp.name;
    let mut run_args = strings(&[
        "run",
        n,
        "--trials",
        REPORT_TRIALS,
        "--iters",
        REPORT_ITERS,
        "--json",
    ]);
    if exp.can_hang() {
        // Only an experiment that can hang takes the watchdog (`run` refuses it elsewhere).
        run_args.extend(strings(&["--watchdog", REPORT_WATCHDOG]));
    }
    // A spin that never ends keeps its thread until the process ends: such a run gets a
    // process of its own, so that the report's later work keeps every CPU.
    let run = g.fetch(&format!("run-{n}.json"), &run_args, exp.hang_spins)?;
    g.bar.inc(1);
    Ok(run)
}

/// One experiment's evidence: its run (measured before), then its searches — explorations,
/// hunt, replay — which time nothing and may run beside others.
pub(super) fn section(g: &Gather, exp: &'static Experiment, run: Option<Value>) -> Result<Section> {
    let n = exp.name;
    let (t, i) = (exp.proof.threads.to_string(), exp.proof.iters.to_string());
    // Each search may use `--jobs` threads too, beside the other sections: nearly all are
    // over in milliseconds, and the longest (bounded-buffer-one-cv's proof, 400,000 classes)
    // would otherwise run alone on one core at the end. The search's report is the same for
    // every number of threads.
    let jobs = g.cfg.jobs.to_string();
    let explore = g.get(
        &format!("explore-{n}.json"),
        &strings(&[
            "explore",
            n,
            "--threads",
            &t,
            "--iters",
            &i,
            "--jobs",
            &jobs,
            "--json",
        ]),
    )?;
    g.bar.inc(1);
    // A weak-memory lesson: its execution graph in the rc11 world (the failing one, or for
    // a fix one execution).
    let weak = if exp.weak_memory_lesson() {
        let size = exp.proof;
        let (t, i) = (size.threads.to_string(), size.iters.to_string());
        let mut args = strings(&[
            "explore",
            n,
            "--threads",
            &t,
            "--iters",
            &i,
            "--world",
            "rc11",
            "--jobs",
            &jobs,
            "--json",
        ]);
        if exp.class != Class::Fixed {
            args.push("--first-failure".into());
        }
        g.get(&format!("explore-rc11-{n}.json"), &args)?
    } else {
        None
    };
    // A failing interleaving, shrunk by hunt; a fix has none, so show an ordinary one.
    let mut replay = None;
    let mut note = String::new();
    if exp.class != Class::Fixed {
        if let Some(h) = g.get(
            &format!("hunt-{n}.json"),
            &strings(&["hunt", n, "--threads", &t, "--iters", &i, "--json"]),
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
        if let Some(mut r) = g.get(
            &format!("replay-{n}.json"),
            &strings(&[
                "replay",
                n,
                "--threads",
                &t,
                "--iters",
                &i,
                "--schedule",
                &schedule,
                "--json",
            ]),
        )? {
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
            // Removed, with the plot in it, when dropped.
            let tmp = match tempfile::Builder::new().prefix("race-lab-plot-").tempdir() {
                Ok(d) => d,
                Err(e) => return Ok(Err(format!("no temporary folder for the plot: {e}"))),
            };
            let svg_path = tmp.path().join("compare.svg");
            let mut args = strings(&["compare"]);
            args.extend(names.iter().map(|s| s.to_string()));
            args.extend(strings(&[
                "--threads",
                "1,2",
                "--iters",
                "100000",
                "--trials",
                "3",
                "--json",
                "--plot",
            ]));
            args.push(svg_path.to_string_lossy().into_owned());
            g.bar.set_message("race-lab compare");
            let measured = lab_json(&args);
            let svg = std::fs::read_to_string(&svg_path);
            drop(tmp);
            match (measured, svg) {
                (Err(e), _) if e.is_interrupted() => Err(e),
                (Err(e), _) => Ok(Err(format!("compare failed: {}", e.message))),
                (Ok(_), Err(e)) => Ok(Err(format!("compare wrote no plot: {e}"))),
                (Ok(_), Ok(svg)) => {
                    if let Some(dir) = save {
                        let _ = std::fs::write(dir.join("compare.svg"), &svg);
                    }
                    Ok(Ok(svg))
                }
            }
        }
    }
}
