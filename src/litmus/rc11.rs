//! Litmus tests in the rc11 world, and their model computed rather than looked up: every
//! candidate execution (herd-style: each read's every source, each location's every order)
//! checked against RC11's axioms one by one, so that a forbidden outcome comes with the
//! axiom that forbids it.

use super::{Actors, Outcome};
use crate::rt::rc11::axioms::{self, Axiom};
use crate::rt::rc11::explore::{self as engine, Kernel};
use crate::rt::{MemOrder, Rc11};
use crate::Cancel;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A test's actors as one kernel: actor 0 on main, the others spawned, then the final values.
pub fn kernel<A: Actors>(o: MemOrder) -> Kernel<Outcome> {
    Arc::new(move || super::run_in::<Rc11, A>(o))
}

/// What the rc11 world's explorer found for a test.
#[derive(Clone, Debug, Default)]
pub struct Rc11Litmus {
    pub outcomes: BTreeSet<Outcome>,
    pub graphs: u64,
}

/// Explores a test (its [`kernel`]) in the rc11 world.
pub fn run(k: Kernel<Outcome>) -> Rc11Litmus {
    let mut r = Rc11Litmus::default();
    engine::explore(k, 10_000, &Cancel::new(), |v| {
        r.graphs += 1;
        if let Some(out) = v.result {
            r.outcomes.insert(out.clone());
        }
        true
    });
    r
}

/// A test's model, computed from every candidate execution.
#[derive(Clone, Debug, Default)]
pub struct Computed {
    /// Outcomes of the candidates consistent under RC11 as published (PLDI 2017).
    pub rc11: BTreeSet<Outcome>,
    /// Outcomes of the candidates consistent under C++20 (release sequences of RMWs only, no
    /// rule against load buffering): Rust's model.
    pub cpp20: BTreeSet<Outcome>,
    /// Outcomes of the candidates consistent under the rc11 world's model.
    pub world: BTreeSet<Outcome>,
    /// For each outcome some candidate has and the model forbids: the axiom that forbids it
    /// (the first, in the order coherence, atomicity, no-thin-air, SC, that every candidate
    /// the earlier ones leave violates).
    pub why_rc11: BTreeMap<Outcome, Axiom>,
    pub why_cpp20: BTreeMap<Outcome, Axiom>,
    pub candidates: usize,
}

/// Computes a test's model from its [`kernel`].
pub fn computed(k: Kernel<Outcome>) -> Computed {
    let cands = engine::candidates(k, 10_000);
    let mut c = Computed {
        candidates: cands.len(),
        ..Computed::default()
    };
    let mut broken: [BTreeMap<Outcome, Vec<Vec<Axiom>>>; 2] = Default::default();
    for (g, out) in &cands {
        for (m, set, b) in [
            (axioms::RC11, &mut c.rc11, 0),
            (axioms::CPP20, &mut c.cpp20, 1),
        ] {
            let v = axioms::violations(g, m);
            if v.is_empty() {
                set.insert(out.clone());
            } else {
                broken[b].entry(out.clone()).or_default().push(v);
            }
        }
        if axioms::consistent(g, axioms::WORLD) {
            c.world.insert(out.clone());
        }
    }
    let [b_rc11, b_cpp20] = broken;
    c.why_rc11 = name(b_rc11, &c.rc11);
    c.why_cpp20 = name(b_cpp20, &c.cpp20);
    c
}

fn name(
    broken: BTreeMap<Outcome, Vec<Vec<Axiom>>>,
    allowed: &BTreeSet<Outcome>,
) -> BTreeMap<Outcome, Axiom> {
    let mut out = BTreeMap::new();
    for (o, sets) in broken {
        if allowed.contains(&o) {
            continue;
        }
        let mut left: Vec<&Vec<Axiom>> = sets.iter().collect();
        for ax in [
            Axiom::Coherence,
            Axiom::Atomicity,
            Axiom::NoThinAir,
            Axiom::Sc,
        ] {
            if !left.is_empty() && left.iter().all(|s| s.contains(&ax)) {
                out.insert(o, ax);
                break;
            }
            left.retain(|s| !s.contains(&ax));
        }
    }
    out
}
