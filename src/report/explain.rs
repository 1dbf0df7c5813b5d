//! `race-lab explain`: an experiment's lesson (its `//!` header) and its source.

use super::envelope::Envelope;
use crate::experiment::{Experiment, Opt};
use crate::litmus::Litmus;
use crate::procs::ProcExperiment;
use crate::refused::Refused;
use serde_json::json;
use std::io::{self, Write};

use crate::experiment::lesson_and_code as split;

/// An explanation as JSON (schema `race-lab.explain/2`); `fields` are the kind's own.
fn envelope(name: &str, verdict: String, fields: serde_json::Value) -> Envelope {
    Envelope::new("explain")
        .params(json!({ "experiment": name }))
        .verdict(verdict)
        .body(&fields, &[])
}

/// `race-lab explain --json` of a thread experiment: the lesson, the kernel, the class,
/// family, options, defaults and the witnesses' row (`null`, with `witnessed: false`, for
/// an experiment not yet witnessed).
pub fn thread_json(w: &mut dyn Write, e: &Experiment) -> io::Result<()> {
    let row = crate::witnesses::row(e.name);
    let witnesses = row.map(|r| {
        json!({
            "produced": crate::witnesses::produced(crate::witnesses::TABLE),
            "lab": r.lab, "loom": r.loom, "miri": r.miri, "tsan": r.tsan,
        })
    });
    envelope(
        e.name,
        format!("{}: {}", e.name, e.class.describe()),
        json!({
            "name": e.name,
            "kind": "thread",
            "path": e.path,
            "lesson": e.lesson(),
            "code": e.code(),
            "class": e.class,
            "family": e.family,
            "summary": e.summary,
            "options": e.options.iter().map(|o| o.flag()).collect::<Vec<_>>(),
            "defaults": {"threads": e.default_threads, "iters": e.default_iters},
            "thread_limits": {
                "min": e.threads.0,
                "max": (e.threads.1 != usize::MAX).then_some(e.threads.1),
            },
            "bug_shows_in": e.bug_shows_in,
            "witnessed": row.is_some(),
            "witnesses": witnesses,
            "witness_summary": crate::witnesses::summary(e.name),
        }),
    )
    .write(w)
}

/// `race-lab explain --json` of a process experiment.
pub fn process_json(w: &mut dyn Write, e: &ProcExperiment) -> io::Result<()> {
    let (lesson, code) = split(e.source);
    envelope(
        e.name,
        format!(
            "{}: a process experiment measuring {}",
            e.name,
            e.claims.join(", ")
        ),
        json!({
            "name": e.name,
            "kind": "process",
            "path": format!("experiments/{}.rs", e.name.replace('-', "_")),
            "lesson": lesson,
            "code": code,
            "class": "process",
            "family": "processes",
            "summary": e.summary,
            "options": e.options.iter().map(|o| o.flag()).collect::<Vec<_>>(),
            "claims": e.claims,
        }),
    )
    .write(w)
}

/// `race-lab explain --json` of a litmus test.
pub fn litmus_json(w: &mut dyn Write, t: &Litmus) -> io::Result<()> {
    let (lesson, code) = split(t.source);
    envelope(
        t.name,
        format!("{}: a memory-model litmus test ({})", t.name, t.summary),
        json!({
            "name": t.name,
            "kind": "litmus",
            "path": format!("experiments/litmus_{}.rs", t.name.to_lowercase()),
            "lesson": lesson,
            "code": code,
            "class": "litmus",
            "family": "litmus",
            "summary": t.summary,
            "options": ["--ordering", "--iters"],
        }),
    )
    .write(w)
}

/// `race-lab explain --json` of a lesson the compiler refuses: the lesson and the code that
/// does not compile, the compiler's error (`compiler_error`: its code and rustc's output)
/// and the safe rewrite (`fixed`: its path and code).
pub fn refused_json(w: &mut dyn Write, r: &Refused) -> io::Result<()> {
    envelope(
        r.name,
        format!("{}: refused by the compiler ({})", r.name, r.error_code),
        json!({
            "name": r.name,
            "kind": "refused",
            "path": r.path,
            "lesson": r.lesson(),
            "code": r.code(),
            "class": "refused",
            "family": "refused",
            "summary": r.summary,
            "options": [],
            "compiler_error": {"code": r.error_code, "stderr": r.stderr},
            "fixed": {"path": r.fixed_path(), "code": r.fixed_code()},
        }),
    )
    .write(w)
}

/// A thread experiment: its lesson, class, defaults, witnesses, and kernel.
pub fn thread(w: &mut dyn Write, e: &Experiment, witnesses: Option<&str>) -> io::Result<()> {
    writeln!(w, "{}\n", e.lesson())?;
    let opts: Vec<&str> = e.options.iter().map(|o: &Opt| o.flag()).collect();
    writeln!(w, "class: {}", e.class.describe())?;
    writeln!(
        w,
        "defaults: --threads {} --iters {}{}",
        e.default_threads,
        e.default_iters,
        if opts.is_empty() {
            String::new()
        } else {
            format!("; also takes {}", opts.join(" "))
        }
    )?;
    if let Some(wit) = witnesses {
        writeln!(w, "{wit}")?;
    }
    writeln!(w, "\nthe kernel ({}):\n", e.path)?;
    writeln!(w, "{}", e.code())
}

/// `race-lab explain` of a process experiment.
pub fn process(w: &mut dyn Write, e: &ProcExperiment) -> io::Result<()> {
    writeln!(w, "claims: {}\n", e.claims.join(", "))?;
    source(
        w,
        e.source,
        &format!("experiments/{}.rs", e.name.replace('-', "_")),
    )
}

/// `race-lab explain` of a lesson the compiler refuses: the lesson, the code that does not
/// compile, what the compiler says about it, and the safe rewrite.
pub fn refused(w: &mut dyn Write, r: &Refused) -> io::Result<()> {
    writeln!(w, "{}", r.lesson())?;
    writeln!(w, "\nthe program, which does not compile ({}):\n", r.path)?;
    writeln!(w, "{}", r.code())?;
    writeln!(w, "\nWhat the compiler says:\n")?;
    writeln!(w, "{}", r.stderr.trim_end())?;
    writeln!(w, "\nThe safe rewrite ({}):\n", r.fixed_path())?;
    writeln!(w, "{}", r.fixed_code())
}

/// The lesson (the `//!` header) and then the code of an experiment's source file.
pub fn source(w: &mut dyn Write, source: &str, path: &str) -> io::Result<()> {
    let (lesson, code) = split(source);
    writeln!(w, "{lesson}")?;
    writeln!(w, "\nthe experiment ({path}):\n")?;
    writeln!(w, "{code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_experiment_newer_than_the_witness_table_is_not_yet_witnessed() {
        static NEW: Experiment = Experiment {
            name: "brand-new",
            summary: "added after the witness table was produced",
            source: "//! # brand-new\n\npub fn kernel() {}\n",
            ..Experiment::DEFAULTS
        };
        let mut out = Vec::new();
        thread_json(&mut out, &NEW).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["witnessed"], false);
        assert!(v["witnesses"].is_null());
        let line = v["witness_summary"].as_str().unwrap();
        assert!(line.contains(crate::witnesses::NOT_YET_WITNESSED), "{line}");
        // A witnessed one carries its row.
        let mut out = Vec::new();
        thread_json(&mut out, crate::experiments::find("unsynced").unwrap()).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["witnessed"], true);
        assert_eq!(v["witnesses"]["miri"], "data race");
    }
}
