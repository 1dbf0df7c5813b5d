//! `race-lab litmus`: memory-model litmus tests, as litmus7 and jcstress run them, with a
//! three-way verdict: what the memory model allows, what this CPU does, what loom explores.
//!
//! A litmus test is two to four tiny threads (the *actors*) on fresh shared variables `x`,
//! `y`, `z`, each returning what it read into named registers (`r0`, `r1`, …); some tests
//! also read variables once every actor has finished (2+2W's and S's final values). The
//! outcome is the tuple of registers. The actors are written once over [`Rt`] and run in
//! two worlds:
//!
//! * natively, many times: N long-lived threads meet at a spinning start line before every
//!   iteration (so they really run each iteration at the same instant), each on fresh
//!   variables, and the outcomes are counted — what *this* hardware does. With more actors
//!   than cores, the actors of one iteration rarely all run at once: the run counts the
//!   iterations in which they did ([`NativeRun::overlapped`]);
//! * under loom, once per execution of the model: the set of outcomes loom's model of the
//!   C++/Rust memory model produces (with loom's limits: SeqCst accesses treated as AcqRel,
//!   no load buffering).
//!
//! The third column comes from neither: each test declares, per ordering, whether the
//! published C11 model allows its interesting outcome ([`Litmus::model`], with its source in
//! [`Litmus::citation`]). Where loom disagrees, the verdict says which way: a *false alarm*
//! (loom finds what the model forbids) or a *gap* (the model allows what loom never
//! explores).
//!
//! The observation line is litmus7's: "Observation SB Sometimes 40 999960" — the test, whether
//! the interesting outcome was seen Never / Sometimes / Always, how often, and how often not.

mod declare;
mod native;
pub mod rc11;

pub use declare::*;
pub use native::{run_native, NativeRun, NEAR_NS};

use crate::error::{LabError, Result};
use crate::experiment::Grade;
use crate::machine::Cancel;
use crate::rt::{Loom, MemOrder, Rt, RtAtomic};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

/// One execution of the loom model: the actors on fresh variables, actor 0 on loom's main
/// thread and the others spawned (at most four: loom's limit), then the final reads.
pub fn run_loom<A: Actors>(o: MemOrder) -> Outcome {
    crate::rt::loom_world::begin(); // the trace is not needed here; keep it from growing
    run_in::<Loom, A>(o)
}

/// One run of the actors in a checked world `R`: on fresh variables, actor 0 on main and the
/// others spawned, then the final reads.
pub fn run_in<R: Rt, A: Actors>(o: MemOrder) -> Outcome {
    let vars = Arc::new(Vars::<R::AtomicU64>::new());
    let handles: Vec<_> = (1..A::REGS.len())
        .map(|me| {
            let v = vars.clone();
            R::spawn(move || A::actor::<R>(me, &v, o))
        })
        .collect();
    let mut regs = vec![A::actor::<R>(0, &vars, o)];
    regs.extend(handles.into_iter().map(R::join));
    let mut out: Outcome = A::REGS
        .iter()
        .zip(&regs)
        .flat_map(|(names, r)| r[..names.len()].iter().copied())
        .collect();
    // Every actor is joined: these loads happen after every store, so they read the last.
    out.extend(
        A::FINAL
            .iter()
            .map(|&f| vars.get(f).load(Ordering::Relaxed)),
    );
    out
}

/// One outcome row.
#[derive(Clone, Debug, Serialize)]
pub struct LitmusRow {
    /// The registers' values, in the report's `registers` order.
    pub values: Vec<u64>,
    pub outcome: String,
    /// Times seen natively.
    pub native: u64,
    /// Whether loom produced it.
    pub loom: bool,
    /// Whether the rc11 world produced it.
    pub rc11: bool,
    pub grade: Grade,
    pub meaning: &'static str,
}

/// How loom's answer for the interesting outcome compares with the model's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoomVsModel {
    /// Both allow it, or both rule it out.
    Agrees,
    /// loom finds an outcome the model forbids.
    FalseAlarm,
    /// The model allows an outcome loom never explores.
    Gap,
}

impl LoomVsModel {
    pub fn as_str(self) -> &'static str {
        match self {
            LoomVsModel::Agrees => "agrees",
            LoomVsModel::FalseAlarm => "loom false alarm",
            LoomVsModel::Gap => "loom gap",
        }
    }
}

/// What `race-lab litmus` found for one test under one ordering.
#[derive(Clone, Debug, Serialize)]
pub struct LitmusReport {
    pub schema: &'static str,
    pub test: &'static str,
    pub ordering: MemOrder,
    pub actors: usize,
    /// This machine's cores: with more actors than cores, few iterations overlap.
    pub cores: usize,
    pub iterations: u64,
    /// Native iterations in which all the actors ran at once (see [`NativeRun`]).
    pub overlapped: u64,
    /// Native iterations in which all the actors started within `near_ns` of each other.
    pub near: u64,
    pub near_ns: u64,
    pub loom_executions: u64,
    /// The registers of an outcome, in order.
    pub registers: Vec<&'static str>,
    pub rows: Vec<LitmusRow>,
    /// The interesting outcome, labelled.
    pub interesting: String,
    /// Column 1: the model's answer for the interesting outcome: C++20's (Rust's), computed
    /// from every candidate execution, and the literature it agrees with.
    pub model: Model,
    /// The axiom that forbids it under C++20, if one does.
    pub forbidden_by: Option<String>,
    /// The same under RC11 as published (which also forbids load buffering).
    pub model_rc11: Model,
    pub forbidden_by_rc11: Option<String>,
    /// Candidate executions the model was computed from.
    pub candidates: usize,
    /// The rc11 world: consistent execution graphs explored, and whether one gave the
    /// interesting outcome.
    pub rc11_graphs: u64,
    pub rc11_found: bool,
    pub citation: &'static str,
    /// Column 2: times the interesting outcome was seen natively.
    pub native_seen: u64,
    /// Column 3: whether loom produced the interesting outcome.
    pub loom_found: bool,
    pub loom_vs_model: LoomVsModel,
    /// litmus7's line, for the native run.
    pub observation: String,
    pub forbidden_seen: bool,
    pub verdict: String,
}

/// Every outcome loom produces for `t` under `o`, with how many executions produced it.
pub fn explore(t: &'static Litmus, o: MemOrder) -> Result<BTreeMap<Outcome, u64>> {
    let seen = Arc::new(Mutex::new(BTreeMap::<Outcome, u64>::new()));
    let s = seen.clone();
    let model = t.loom;
    let quiet = crate::error::QuietPanics::install();
    let explored = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        loom::model::Builder::new().check(move || {
            let out = model(o);
            *s.lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(out)
                .or_insert(0) += 1;
        })
    }));
    drop(quiet);
    if let Err(p) = explored {
        return Err(LabError::failed(format!(
            "loom stopped the {} model: {}",
            t.name,
            crate::error::panic_message(p.as_ref())
        )));
    }
    let set = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    Ok(set)
}

/// [`explore`] in a child process of the lab (the hidden `__litmus-loom` command). loom maps
/// a stack for each thread of each execution and unmaps it after, and an unmapping in an
/// address space another CPU is using must reach that CPU too: beside other work in the
/// same process (`verify`'s checks, two at a time), IRIW's check took 6 s against 1.2 s
/// alone.
pub fn explore_in_child(
    t: &'static Litmus,
    o: MemOrder,
    cancel: &Cancel,
) -> Result<BTreeMap<Outcome, u64>> {
    let args = ["__litmus-loom", t.name, "--ordering", o.name()].map(String::from);
    let what = format!("loom's {} model", t.name);
    let out = crate::machine::answer_of_child(&args, cancel, false, &what)?;
    let seen: Vec<(Outcome, u64)> = serde_json::from_slice(&out)
        .map_err(|e| LabError::failed(format!("the {what} child sent malformed outcomes: {e}")))?;
    Ok(seen.into_iter().collect())
}

/// How loom's outcome set compares with the model on the interesting outcome.
pub fn loom_vs_model(t: &Litmus, o: MemOrder, loom_set: &BTreeMap<Outcome, u64>) -> LoomVsModel {
    match (loom_set.contains_key(t.interesting), (t.model)(o)) {
        (true, Model::Allowed) | (false, Model::Forbidden) => LoomVsModel::Agrees,
        (true, Model::Forbidden) => LoomVsModel::FalseAlarm,
        (false, Model::Allowed) => LoomVsModel::Gap,
    }
}

/// Whether `v` is what `t` declares for `o`: agreement where it declares no limit, and the
/// direction its declared limit explains where it declares one.
pub fn as_declared(t: &Litmus, v: LoomVsModel, o: MemOrder) -> bool {
    matches!(
        ((t.loom_limit)(o), v),
        (None, LoomVsModel::Agrees)
            | (Some(LoomLimit::SeqCstAsAcqRel), LoomVsModel::FalseAlarm)
            | (Some(LoomLimit::NoLoadBuffering), LoomVsModel::Gap)
    )
}

/// Why loom agrees or disagrees with the model on `t` under `o`: the declared limit's reason,
/// or, for what the test does not declare, the plain fact.
pub fn disagreement(t: &Litmus, v: LoomVsModel, o: MemOrder) -> &'static str {
    match (v, (t.loom_limit)(o)) {
        (LoomVsModel::Agrees, None) => "loom agrees with the model",
        (LoomVsModel::Agrees, Some(_)) => {
            "loom agrees with the model, though the test declares a loom limit here (a stale \
             declaration)"
        }
        (_, Some(limit)) if as_declared(t, v, o) => limit.reason(),
        (LoomVsModel::FalseAlarm, _) => {
            "loom false alarm, undeclared: loom finds what the model forbids"
        }
        (LoomVsModel::Gap, _) => "loom gap, undeclared: loom misses what the model allows",
    }
}

/// Runs one test natively and under loom. `iters` is from 1 to [`MAX_ITERS`]; the
/// `litmus` command refuses anything else before it gets here.
pub fn run(t: &'static Litmus, iters: u64, o: MemOrder, cancel: &Cancel) -> Result<LitmusReport> {
    let shape = (t.shape)();
    let native = (t.native)(iters, o, cancel);
    let loom_set = explore(t, o)?;
    let world = rc11::run((t.rc11)(o));
    let computed = rc11::computed((t.rc11)(o));
    let mut outcomes: Vec<&Outcome> = native
        .counts
        .keys()
        .chain(loom_set.keys())
        .chain(world.outcomes.iter())
        .collect();
    outcomes.sort_unstable();
    outcomes.dedup();
    let rows: Vec<LitmusRow> = outcomes
        .into_iter()
        .map(|out| {
            let (grade, meaning) = t.grade(o, out);
            LitmusRow {
                values: out.clone(),
                outcome: t.label(out),
                native: native.counts.get(out).copied().unwrap_or(0),
                loom: loom_set.contains_key(out),
                rc11: world.outcomes.contains(out),
                grade,
                meaning,
            }
        })
        .collect();
    let hits = native.counts.get(t.interesting).copied().unwrap_or(0);
    let word = match hits {
        0 => "Never",
        h if h == iters => "Always",
        _ => "Sometimes",
    };
    let observation = format!("Observation {} {word} {hits} {}", t.name, iters - hits);
    let forbidden_seen = rows
        .iter()
        .any(|r| r.grade == Grade::Forbidden && r.native > 0);
    let loom_found = loom_set.contains_key(t.interesting);
    let allowed = |set: &std::collections::BTreeSet<Outcome>| {
        if set.contains(t.interesting) {
            Model::Allowed
        } else {
            Model::Forbidden
        }
    };
    let model = allowed(&computed.cpp20);
    let model_rc11 = allowed(&computed.rc11);
    let forbidden_by = computed
        .why_cpp20
        .get(t.interesting)
        .map(|a| a.name().to_string());
    let forbidden_by_rc11 = computed
        .why_rc11
        .get(t.interesting)
        .map(|a| a.name().to_string());
    let rc11_found = world.outcomes.contains(t.interesting);
    let loom_vs_model = loom_vs_model(t, o, &loom_set);
    let interesting = t.label(t.interesting);
    let hardware = match (hits, model) {
        (0, _) => format!("never seen in {iters} here"),
        (h, Model::Allowed) => format!("seen {h} times in {iters} here"),
        (h, Model::Forbidden) => format!("seen {h} times in {iters} here — a BUG"),
    };
    let why = forbidden_by
        .as_deref()
        .map(|a| format!(" (by {a})"))
        .unwrap_or_default();
    let rc11_differs = match (&forbidden_by_rc11, model_rc11 == model) {
        (_, true) => String::new(),
        (Some(a), false) => format!(", forbidden by RC11 ({a})"),
        (None, false) => ", allowed by RC11".to_string(),
    };
    let verdict = format!(
        "{} --ordering {}: {interesting} is {} by C++20{why}{rc11_differs}; {hardware}; rc11 world {} in {} graphs; loom {} — {}",
        t.name,
        o.name(),
        model.as_str(),
        if rc11_found { "finds it" } else { "never produces it" },
        world.graphs,
        if loom_found {
            "finds it"
        } else {
            "never produces it"
        },
        disagreement(t, loom_vs_model, o),
    );
    Ok(LitmusReport {
        schema: "race-lab.litmus/2",
        test: t.name,
        ordering: o,
        actors: shape.actors,
        cores: crate::machine::cpus(),
        iterations: iters,
        overlapped: native.overlapped,
        near: native.near,
        near_ns: NEAR_NS,
        loom_executions: loom_set.values().sum(),
        registers: shape.registers,
        rows,
        interesting,
        model,
        forbidden_by,
        model_rc11,
        forbidden_by_rc11,
        candidates: computed.candidates,
        rc11_graphs: world.graphs,
        rc11_found,
        citation: t.citation,
        native_seen: hits,
        loom_found,
        loom_vs_model,
        observation,
        forbidden_seen,
        verdict,
    })
}
