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
    let vars = Arc::new(Vars::<<Loom as Rt>::AtomicU64>::new());
    let handles: Vec<_> = (1..A::REGS.len())
        .map(|me| {
            let v = vars.clone();
            Loom::spawn(move || A::actor::<Loom>(me, &v, o))
        })
        .collect();
    let mut regs = vec![A::actor::<Loom>(0, &vars, o)];
    regs.extend(handles.into_iter().map(Loom::join));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::LITMUS;
    use Model::{Allowed, Forbidden};

    /// The literature's answer for each test's interesting outcome, under (relaxed, acqrel,
    /// seqcst), written here from the sources and not from the declarations, so that a
    /// mistake in a declaration shows as a mismatch. The lab's model is the C11 model as
    /// herd7's `rc11.cat` (Lahav et al., PLDI 2017) states it, without its no-thin-air axiom
    /// (C++20 and the C11 of Batty et al., POPL 2011, do not have it): only LB's relaxed
    /// answer depends on that choice.
    const LITERATURE: &[(&str, [Model; 3], &str)] = &[
        (
            "SB",
            [Allowed, Allowed, Forbidden],
            "Batty et al. POPL 2011; rc11.cat: acyclic psc",
        ),
        (
            "MP",
            [Allowed, Forbidden, Forbidden],
            "Batty et al. POPL 2011; rc11.cat: irreflexive hb; eco?",
        ),
        (
            "LB",
            [Allowed, Forbidden, Forbidden],
            "Batty et al. POPL 2011 and C++20 allow it relaxed; RC11's acyclic (sb | rf) would not",
        ),
        (
            "IRIW",
            [Allowed, Allowed, Forbidden],
            "Batty et al. POPL 2011; rc11.cat: acyclic psc",
        ),
        (
            "2+2W",
            [Allowed, Allowed, Forbidden],
            "Lahav et al. POPL 2016 (C11 RA allows it); rc11.cat: acyclic psc",
        ),
        (
            "WRC",
            [Allowed, Forbidden, Forbidden],
            "Batty et al. POPL 2011; rc11.cat: irreflexive hb; eco?",
        ),
        (
            "CoRR",
            [Forbidden, Forbidden, Forbidden],
            "Batty et al. POPL 2011 CoRR; rc11.cat: irreflexive hb; eco?",
        ),
        (
            "S",
            [Allowed, Forbidden, Forbidden],
            "Linux LKMM S+poonceonces; rc11.cat: irreflexive hb; eco?",
        ),
    ];

    const ORDERS: [MemOrder; 3] = [MemOrder::Relaxed, MemOrder::Acqrel, MemOrder::Seqcst];

    /// The computed model against the literature, test by test and ordering by ordering:
    /// C++20's answer is the table's; RC11's differs only where it forbids load buffering;
    /// the rc11 world produces exactly the outcomes its model allows; and the SeqCst tests the
    /// SC axiom exists for are forbidden by that axiom.
    #[test]
    fn the_computed_model_matches_the_literature_and_the_rc11_world() {
        use crate::rt::rc11::axioms::Axiom;
        for (name, answers, source) in LITERATURE {
            let t = LITMUS.iter().find(|t| t.name == *name).expect("a test");
            for (o, want) in ORDERS.iter().zip(answers) {
                let c = rc11::computed((t.rc11)(*o));
                let has = |s: &std::collections::BTreeSet<Outcome>| {
                    if s.contains(t.interesting) {
                        Allowed
                    } else {
                        Forbidden
                    }
                };
                assert_eq!(has(&c.cpp20), *want, "{name} {o:?} C++20 ({source})");
                let rc11_want = if *name == "LB" { Forbidden } else { *want };
                assert_eq!(has(&c.rc11), rc11_want, "{name} {o:?} RC11");
                if *name == "LB" && *o == MemOrder::Relaxed {
                    assert_eq!(c.why_rc11.get(t.interesting), Some(&Axiom::NoThinAir));
                }
                let world = rc11::run((t.rc11)(*o));
                assert_eq!(world.outcomes, c.world, "{name} {o:?}: the rc11 world");
                // Graph for graph: the explorer visits exactly the consistent candidates.
                let mut visited = Vec::new();
                crate::rt::rc11::explore::explore((t.rc11)(*o), 10_000, &Cancel::new(), |v| {
                    visited.push(v.graph.key());
                    true
                });
                let consistent: std::collections::BTreeSet<String> =
                    crate::rt::rc11::explore::candidates((t.rc11)(*o), 10_000)
                        .into_iter()
                        .filter(|(g, _)| {
                            crate::rt::rc11::axioms::consistent(g, crate::rt::rc11::axioms::WORLD)
                        })
                        .map(|(g, _)| g.key())
                        .collect();
                let distinct: std::collections::BTreeSet<String> =
                    visited.iter().cloned().collect();
                assert_eq!(visited.len(), distinct.len(), "{name} {o:?}: a graph twice");
                assert_eq!(distinct, consistent, "{name} {o:?}: graphs");
                if ["SB", "IRIW", "2+2W"].contains(name) && *o == MemOrder::Seqcst {
                    assert_eq!(c.why_cpp20.get(t.interesting), Some(&Axiom::Sc), "{name}");
                    assert_eq!(c.why_rc11.get(t.interesting), Some(&Axiom::Sc), "{name}");
                }
            }
        }
    }

    #[test]
    fn only_a_declared_disagreement_is_as_declared() {
        use crate::experiments::{litmus_lb, litmus_mp, litmus_sb};
        let (sb, lb, mp) = (&litmus_sb::TEST, &litmus_lb::TEST, &litmus_mp::TEST);
        assert!(as_declared(sb, LoomVsModel::FalseAlarm, MemOrder::Seqcst));
        assert!(as_declared(sb, LoomVsModel::Agrees, MemOrder::Relaxed));
        // A declared limit that does not show is a stale declaration, not a pass…
        assert!(!as_declared(sb, LoomVsModel::Agrees, MemOrder::Seqcst));
        // …a disagreement in the other direction is not the declared one…
        assert!(!as_declared(sb, LoomVsModel::Gap, MemOrder::Seqcst));
        assert!(as_declared(lb, LoomVsModel::Gap, MemOrder::Relaxed));
        assert!(!as_declared(lb, LoomVsModel::FalseAlarm, MemOrder::Relaxed));
        // …and an undeclared one fails, whichever ordering.
        assert!(!as_declared(mp, LoomVsModel::FalseAlarm, MemOrder::Seqcst));
        assert!(disagreement(mp, LoomVsModel::Gap, MemOrder::Relaxed).contains("undeclared"));
    }

    #[test]
    fn every_model_column_matches_the_literature() {
        assert_eq!(
            LITMUS.len(),
            LITERATURE.len(),
            "a test without a literature row"
        );
        for (name, answers, source) in LITERATURE {
            let t = crate::experiments::find_litmus(name).expect("the literature's test exists");
            assert_eq!(t.name, *name);
            for (o, want) in ORDERS.iter().zip(answers) {
                assert_eq!(
                    (t.model)(*o),
                    *want,
                    "{name} under {}: the literature ({source}) says {}",
                    o.name(),
                    want.as_str()
                );
            }
        }
    }

    #[test]
    fn every_test_is_well_formed() {
        for t in LITMUS {
            let s = (t.shape)();
            assert!((2..=MAX_ACTORS).contains(&s.actors), "{}", t.name);
            assert_eq!(t.interesting.len(), s.registers.len(), "{}", t.name);
            let mut names = s.registers.clone();
            names.sort_unstable();
            names.dedup();
            assert_eq!(
                names.len(),
                s.registers.len(),
                "{}: a register twice",
                t.name
            );
            assert!(t.source.starts_with("//! # "), "{}: a lesson first", t.name);
            assert!(t.citation.contains("PLDI 2017"), "{}: cites RC11", t.name);
            // Any other outcome is an interleaving, under every ordering.
            let mut other = t.interesting.to_vec();
            other[0] += 1;
            for o in ORDERS {
                assert_eq!(
                    t.grade(o, &other),
                    (Grade::Acceptable, t.meanings.other),
                    "{} {}",
                    t.name,
                    o.name()
                );
            }
        }
        assert_eq!(
            crate::experiments::find_litmus("2+2w").map(|t| t.name),
            Some("2+2W")
        );
    }

    #[test]
    fn the_native_counter_counts_every_iteration_and_names_the_registers() {
        let t = crate::experiments::find_litmus("IRIW").expect("IRIW");
        let run = (t.native)(200, MemOrder::Relaxed, &Cancel::new());
        assert_eq!(run.counts.values().sum::<u64>(), 200);
        assert!(run.overlapped <= 200);
        assert!(run.counts.keys().all(|k| k.len() == 4));
        assert_eq!(t.label(&[1, 0, 1, 0]), "r0=1, r1=0, r2=1, r3=0");
        let s = crate::experiments::find_litmus("S").expect("S");
        let run = (s.native)(200, MemOrder::Acqrel, &Cancel::new());
        // The final value of x is 1 or 2, never the initial 0: both stores ran.
        assert!(run.counts.keys().all(|k| k.len() == 2 && k[1] > 0));
        assert_eq!(s.label(&[1, 2]), "r0=1, x=2");
    }

    /// The clock-based check against the axioms on graphs that break them too: every candidate
    /// execution of every litmus test, under every ordering, under each model.
    #[test]
    fn fast_check_agrees_with_the_axioms_on_litmus_candidates() {
        use crate::rt::rc11::axioms::{CPP20, RC11, WORLD};
        use crate::rt::rc11::fast;
        let mut n = 0;
        let mut inconsistent = 0;
        for t in LITMUS {
            for o in [
                crate::rt::MemOrder::Relaxed,
                crate::rt::MemOrder::Acqrel,
                crate::rt::MemOrder::Seqcst,
            ] {
                for (g, _) in crate::rt::rc11::explore::candidates((t.rc11)(o), 10_000) {
                    for m in [RC11, CPP20, WORLD] {
                        let want = crate::rt::rc11::axioms::consistent(&g, m);
                        assert_eq!(
                            fast::consistent(&g, m),
                            want,
                            "{} {o:?} {m:?}: {g:#?}",
                            t.name
                        );
                        inconsistent += usize::from(!want);
                        n += 1;
                    }
                }
            }
        }
        assert!(
            n > 500 && inconsistent > 100,
            "{n} checks, {inconsistent} inconsistent"
        );
    }
}
