//! Litmus tests in the rc11 world, and their model computed rather than looked up: every
//! candidate execution (herd-style: each read's every source, each location's every order)
//! checked against RC11's axioms one by one, so that a forbidden outcome comes with the
//! axiom that forbids it.

use super::{Actors, Outcome, Vars};
use crate::rt::rc11::axioms::{self, Axiom};
use crate::rt::rc11::explore::{self as engine, Kernel};
use crate::rt::{MemOrder, Rc11, Rt, RtAtomic};
use crate::Cancel;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// A test's actors as one kernel: actor 0 on main, the others spawned, then the final values.
pub fn kernel<A: Actors>(o: MemOrder) -> Kernel<Outcome> {
    Arc::new(move || {
        let vars = Arc::new(Vars::<<Rc11 as Rt>::AtomicU64>::new());
        let handles: Vec<_> = (1..A::REGS.len())
            .map(|me| {
                let v = vars.clone();
                Rc11::spawn(move || A::actor::<Rc11>(me, &v, o))
            })
            .collect();
        let mut regs = vec![A::actor::<Rc11>(0, &vars, o)];
        regs.extend(handles.into_iter().map(Rc11::join));
        let mut out: Outcome = A::REGS
            .iter()
            .zip(&regs)
            .flat_map(|(names, r)| r[..names.len()].iter().copied())
            .collect();
        out.extend(
            A::FINAL
                .iter()
                .map(|&f| vars.get(f).load(Ordering::Relaxed)),
        );
        out
    })
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
    /// Outcomes of the candidates consistent under RC11 as published.
    pub rc11: BTreeSet<Outcome>,
    /// Outcomes of the candidates consistent under C++20 (release sequences of RMWs only, no
    /// rule against load buffering).
    pub cpp20: BTreeSet<Outcome>,
    /// For each outcome some candidate has and RC11 forbids: the axiom that forbids it (the
    /// first, in the order coherence, atomicity, no-thin-air, SC, that every candidate the
    /// earlier ones leave violates).
    pub forbidden_by: BTreeMap<Outcome, Vec<Axiom>>,
    pub candidates: usize,
}

impl Computed {
    /// Why RC11 forbids `out`, in words ("SC (psc acyclic)"), if it does.
    pub fn why_forbidden(&self, out: &Outcome) -> Option<String> {
        let ax = self.forbidden_by.get(out)?;
        Some(
            ax.iter()
                .map(|a| a.name())
                .collect::<Vec<_>>()
                .join(" or "),
        )
    }
}

/// Computes a test's model from its [`kernel`].
pub fn computed(k: Kernel<Outcome>) -> Computed {
    let cands = engine::candidates(k, 10_000);
    let mut c = Computed {
        candidates: cands.len(),
        ..Computed::default()
    };
    let mut violated: BTreeMap<Outcome, Vec<Vec<Axiom>>> = BTreeMap::new();
    for (g, out) in &cands {
        let v = axioms::violations(g, axioms::RC11);
        if v.is_empty() {
            c.rc11.insert(out.clone());
        } else {
            violated.entry(out.clone()).or_default().push(v);
        }
        if axioms::consistent(g, axioms::CPP20) {
            c.cpp20.insert(out.clone());
        }
    }
    for (out, sets) in violated {
        if c.rc11.contains(&out) {
            continue;
        }
        // The axioms in the order the paper builds them up: the first that rules out every
        // candidate the earlier ones leave is the one that forbids the outcome.
        let mut named = Vec::new();
        let mut left: Vec<&Vec<Axiom>> = sets.iter().collect();
        for ax in [Axiom::Coherence, Axiom::Atomicity, Axiom::NoThinAir, Axiom::Sc] {
            if !left.is_empty() && left.iter().all(|s| s.contains(&ax)) {
                named.push(ax);
                break;
            }
            left.retain(|s| !s.contains(&ax));
        }
        c.forbidden_by.insert(out, named);
    }
    c
}
