//! `race-lab litmus`: memory-model litmus tests, as litmus7 and jcstress run them.
//!
//! A litmus test is two tiny threads (the *actors*) on fresh shared variables, each
//! returning what it read; the outcome is the pair of values read. The actors are written
//! once over [`Rt`] and run in two worlds:
//!
//! * natively, many times: two long-lived threads meet at a spinning start line before every
//!   iteration (so they really run each iteration at the same instant), each on a fresh pair
//!   of variables, and the outcomes are counted — what *this* hardware does;
//! * under loom, once per execution of the model: the set of outcomes loom's model of the
//!   C++/Rust memory model allows (with loom's limits: SeqCst treated as AcqRel, no load
//!   buffering).
//!
//! The verdict line is litmus7's: "Observation SB Sometimes 40 999960" — the test, whether the
//! interesting outcome was seen Never / Sometimes / Always, how often, and how often not.

use crate::error::{LabError, Result};
use crate::experiment::Grade;
use crate::rt::{Loom, MemOrder, Native, Rt, RtAtomic};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The most iterations of one litmus run (160 MB of variables and results).
pub const MAX_ITERS: u64 = 5_000_000;

/// The two actors of a litmus test, over the shared variables `x` and `y`.
pub trait Actors: 'static {
    fn t0<R: Rt>(x: &R::AtomicU64, y: &R::AtomicU64, o: MemOrder) -> u64;
    fn t1<R: Rt>(x: &R::AtomicU64, y: &R::AtomicU64, o: MemOrder) -> u64;
}

/// One litmus test of the catalogue.
pub struct Litmus {
    pub name: &'static str,
    pub summary: &'static str,
    /// The experiment file: its lesson and its actors.
    pub source: &'static str,
    /// The outcome (r0, r1) this test is about.
    pub interesting: (u64, u64),
    /// How an outcome reads ("r0=0, r1=0").
    pub label: fn((u64, u64)) -> String,
    /// Grades an outcome under an ordering (what the memory model allows).
    pub grade: fn(MemOrder, (u64, u64)) -> (Grade, &'static str),
    pub native: fn(u64, MemOrder) -> BTreeMap<(u64, u64), u64>,
    pub loom: fn(MemOrder) -> (u64, u64),
}

/// Runs `iters` iterations natively and counts the outcomes.
pub fn run_native<A: Actors>(iters: u64, o: MemOrder) -> BTreeMap<(u64, u64), u64> {
    let vars: Arc<Vec<[AtomicU64; 2]>> = Arc::new(
        (0..iters)
            .map(|_| [AtomicU64::new(0), AtomicU64::new(0)])
            .collect(),
    );
    // Each actor announces the iteration it reached; neither starts iteration i before the
    // other has reached it.
    let reached: Arc<[crossbeam_utils::CachePadded<AtomicU64>; 2]> = Arc::new(Default::default());
    let actor = |me: usize| {
        let (vars, reached) = (vars.clone(), reached.clone());
        std::thread::spawn(move || {
            let mut seen = Vec::with_capacity(iters as usize);
            for (i, v) in vars.iter().enumerate() {
                reached[me].store(i as u64 + 1, Ordering::Release);
                while reached[1 - me].load(Ordering::Acquire) < i as u64 + 1 {
                    std::hint::spin_loop();
                }
                let (x, y) = (&v[0], &v[1]);
                seen.push(if me == 0 {
                    A::t0::<Native>(x, y, o)
                } else {
                    A::t1::<Native>(x, y, o)
                });
            }
            seen
        })
    };
    let (h0, h1) = (actor(0), actor(1));
    let (r0, r1) = (h0.join().unwrap_or_default(), h1.join().unwrap_or_default());
    let mut hist = BTreeMap::new();
    for pair in r0.into_iter().zip(r1) {
        *hist.entry(pair).or_insert(0) += 1;
    }
    hist
}

/// One execution of the loom model: both actors on fresh variables.
pub fn run_loom<A: Actors>(o: MemOrder) -> (u64, u64) {
    crate::rt::loom_world::begin(); // the trace is not needed here; keep it from growing
    let vars = Arc::new([
        <Loom as Rt>::AtomicU64::new(0),
        <Loom as Rt>::AtomicU64::new(0),
    ]);
    let v = vars.clone();
    let h = Loom::spawn(move || A::t1::<Loom>(&v[0], &v[1], o));
    let r0 = A::t0::<Loom>(&vars[0], &vars[1], o);
    let r1 = Loom::join(h);
    (r0, r1)
}

/// One outcome row.
#[derive(Clone, Debug, Serialize)]
pub struct LitmusRow {
    pub r0: u64,
    pub r1: u64,
    pub outcome: String,
    /// Times seen natively.
    pub native: u64,
    /// Whether loom's model allows it.
    pub loom: bool,
    pub grade: Grade,
    pub meaning: &'static str,
}

/// What `race-lab litmus` found for one test.
#[derive(Clone, Debug, Serialize)]
pub struct LitmusReport {
    pub schema: &'static str,
    pub test: &'static str,
    pub ordering: MemOrder,
    pub iterations: u64,
    pub loom_executions: u64,
    pub rows: Vec<LitmusRow>,
    /// litmus7's line, for the native run.
    pub observation: String,
    pub forbidden_seen: bool,
    pub verdict: String,
}

/// Runs one test natively and under loom. `iters` is from 1 to [`MAX_ITERS`]; the
/// `litmus` command refuses anything else before it gets here.
pub fn run(t: &'static Litmus, iters: u64, o: MemOrder) -> Result<LitmusReport> {
    let native = (t.native)(iters, o);
    let seen = Arc::new(Mutex::new(BTreeMap::<(u64, u64), u64>::new()));
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
    let loom_set = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut outcomes: Vec<(u64, u64)> = native.keys().chain(loom_set.keys()).copied().collect();
    outcomes.sort_unstable();
    outcomes.dedup();
    let rows: Vec<LitmusRow> = outcomes
        .into_iter()
        .map(|(r0, r1)| {
            let (grade, meaning) = (t.grade)(o, (r0, r1));
            LitmusRow {
                r0,
                r1,
                outcome: (t.label)((r0, r1)),
                native: native.get(&(r0, r1)).copied().unwrap_or(0),
                loom: loom_set.contains_key(&(r0, r1)),
                grade,
                meaning,
            }
        })
        .collect();
    let hits = native.get(&t.interesting).copied().unwrap_or(0);
    let word = match hits {
        0 => "Never",
        h if h == iters => "Always",
        _ => "Sometimes",
    };
    let observation = format!("Observation {} {word} {hits} {}", t.name, iters - hits);
    let forbidden_seen = rows
        .iter()
        .any(|r| r.grade == Grade::Forbidden && r.native > 0);
    let in_loom = loom_set.contains_key(&t.interesting);
    let allowed = (t.grade)(o, t.interesting).0 != Grade::Forbidden;
    let verdict = format!(
        "{} --ordering {}: {} is {} by the memory model; seen {hits} times in {iters} here; loom {}",
        t.name,
        o.name(),
        (t.label)(t.interesting),
        if allowed { "allowed" } else { "forbidden" },
        match (in_loom, allowed) {
            (true, true) => "finds it",
            (true, false) => "finds it — a false positive: loom treats SeqCst as AcqRel",
            (false, true) => "does not produce it",
            (false, false) => "does not produce it either",
        }
    );
    Ok(LitmusReport {
        schema: "race-lab.litmus/1",
        test: t.name,
        ordering: o,
        iterations: iters,
        loom_executions: loom_set.values().sum(),
        rows,
        observation,
        forbidden_seen,
        verdict,
    })
}
