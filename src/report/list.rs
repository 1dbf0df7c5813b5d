//! `race-lab list`: the thread experiments, the lessons the compiler refuses to compile, the
//! process experiments and the litmus tests, as tables or as one JSON document (schema
//! `race-lab.list/2`).

use super::envelope::Envelope;
use super::{flags, table};
use crate::experiment::Experiment;
use crate::litmus::Litmus;
use crate::procs::ProcExperiment;
use crate::refused::Refused;
use std::io::{self, Write};

/// The catalogue as tables.
pub fn text(
    w: &mut dyn Write,
    threads: &[&Experiment],
    refused: &[Refused],
    processes: &[&ProcExperiment],
    litmus: &[&Litmus],
) -> io::Result<()> {
    thread_table(w, threads)?;
    refused_table(w, refused)?;
    process_table(w, processes)?;
    let names: Vec<&str> = litmus.iter().map(|t| t.name).collect();
    writeln!(
        w,
        "litmus tests ({}): race-lab litmus [TEST…] [--ordering O]",
        names.join(", ")
    )
}

/// The catalogue as JSON (schema `race-lab.list/2`): the envelope, then `experiments[]`
/// (thread and process experiments, each with its kind, class, family, summary and
/// options, then the lessons the compiler refuses, kind `refused`, with their error code)
/// and `litmus[]`. Nothing is measured: `outcomes` is empty.
pub fn json(
    w: &mut dyn Write,
    threads: &[&Experiment],
    refused: &[Refused],
    processes: &[&ProcExperiment],
    litmus: &[&Litmus],
) -> io::Result<()> {
    let mut list: Vec<_> = threads
        .iter()
        .map(|e| {
            serde_json::json!({
                "name": e.name, "kind": "thread", "class": e.class, "family": e.family,
                "summary": e.summary,
                "options": e.options.iter().map(|o| o.flag()).collect::<Vec<_>>(),
                "defaults": {"threads": e.default_threads, "iters": e.default_iters},
            })
        })
        .collect();
    list.extend(processes.iter().map(|e| {
        serde_json::json!({
            "name": e.name, "kind": "process", "class": "process", "family": "processes",
            "summary": e.summary, "claims": e.claims,
            "options": e.options.iter().map(|o| o.flag()).collect::<Vec<_>>(),
        })
    }));
    list.extend(refused.iter().map(|r| {
        serde_json::json!({
            "name": r.name, "kind": "refused", "class": "refused", "family": "refused",
            "summary": r.summary, "error_code": r.error_code, "options": [],
        })
    }));
    let tests: Vec<_> = litmus
        .iter()
        .map(|t| serde_json::json!({"name": t.name, "summary": t.summary}))
        .collect();
    Envelope::new("list")
        .verdict(format!(
            "{} thread experiments, {} process experiments, {} litmus tests, {} refused by the compiler",
            threads.len(),
            processes.len(),
            litmus.len(),
            refused.len()
        ))
        .field("experiments", list)
        .field("litmus", tests)
        .write(w)
}

/// The thread experiments, grouped by family (families in order of first appearance).
fn thread_table(w: &mut dyn Write, all: &[&Experiment]) -> io::Result<()> {
    let mut families: Vec<&str> = Vec::new();
    for e in all {
        if !families.contains(&e.family) {
            families.push(e.family);
        }
    }
    let mut t = table(&["family", "experiment", "class", "options", "what it does"]);
    for (f, e) in families.iter().flat_map(|f| {
        all.iter()
            .filter(move |e| e.family == *f)
            .map(move |e| (f, e))
    }) {
        let first = all.iter().find(|x| x.family == *f).map(|x| x.name) == Some(e.name);
        t.add_row(vec![
            if first { f.to_string() } else { String::new() },
            e.name.to_string(),
            e.class.name().to_string(),
            flags(e.options.iter().map(|o| o.flag())),
            e.summary.to_string(),
        ]);
    }
    writeln!(w, "{t}")?;
    writeln!(
        w,
        "run one: race-lab run <experiment>   read its lesson: race-lab explain <experiment>"
    )
}

/// The lessons the compiler refuses to compile: name, error code, summary.
fn refused_table(w: &mut dyn Write, all: &[Refused]) -> io::Result<()> {
    if all.is_empty() {
        return Ok(());
    }
    let mut t = table(&["refused by the compiler", "error", "what it does"]);
    for r in all {
        t.add_row(vec![
            r.name.to_string(),
            r.error_code.to_string(),
            r.summary.to_string(),
        ]);
    }
    writeln!(w, "{t}")?;
    writeln!(
        w,
        "the lesson, rustc's error and the safe rewrite: race-lab explain <name>"
    )
}

/// The process experiments.
fn process_table(w: &mut dyn Write, all: &[&ProcExperiment]) -> io::Result<()> {
    let mut t = table(&["process experiment", "claims", "options", "what it does"]);
    for e in all {
        t.add_row(vec![
            e.name.to_string(),
            e.claims.join(" "),
            flags(e.options.iter().map(|o| o.flag())),
            e.summary.to_string(),
        ]);
    }
    writeln!(w, "{t}")?;
    writeln!(
        w,
        "measure the study notes' claims: race-lab claims [C1 … C23] [--lang zh]"
    )
}
