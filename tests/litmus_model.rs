//! The litmus tests against the literature, the computed model and the rc11 world (an
//! integration test: the catalogue is a floor above `litmus`).

use race_lab::experiment::Grade;
use race_lab::experiments::LITMUS;
use race_lab::litmus::*;
use race_lab::rt::MemOrder;
use race_lab::Cancel;
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
    use race_lab::rt::rc11::axioms::Axiom;
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
            // No read-modify-writes here: the world's release sequences change nothing, so
            // its outcome set is RC11's as published.
            assert_eq!(
                c.world, c.rc11,
                "{name} {o:?}: the world's model against RC11"
            );
            // Graph for graph: the explorer visits exactly the consistent candidates.
            let mut visited = Vec::new();
            race_lab::rt::rc11::explore::explore((t.rc11)(*o), 10_000, &Cancel::new(), |v| {
                visited.push(v.graph.key());
                true
            });
            let consistent: std::collections::BTreeSet<String> =
                race_lab::rt::rc11::explore::candidates((t.rc11)(*o), 10_000)
                    .into_iter()
                    .filter(|(g, _)| {
                        race_lab::rt::rc11::axioms::consistent(g, race_lab::rt::rc11::axioms::WORLD)
                    })
                    .map(|(g, _)| g.key())
                    .collect();
            let distinct: std::collections::BTreeSet<String> = visited.iter().cloned().collect();
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
    use race_lab::experiments::{litmus_lb, litmus_mp, litmus_sb};
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
        let t = race_lab::experiments::find_litmus(name).expect("the literature's test exists");
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
        race_lab::experiments::find_litmus("2+2w").map(|t| t.name),
        Some("2+2W")
    );
}

#[test]
fn the_native_counter_counts_every_iteration_and_names_the_registers() {
    let t = race_lab::experiments::find_litmus("IRIW").expect("IRIW");
    let run = (t.native)(200, MemOrder::Relaxed, &Cancel::new());
    assert_eq!(run.counts.values().sum::<u64>(), 200);
    assert!(run.overlapped <= 200);
    assert!(run.counts.keys().all(|k| k.len() == 4));
    assert_eq!(t.label(&[1, 0, 1, 0]), "r0=1, r1=0, r2=1, r3=0");
    let s = race_lab::experiments::find_litmus("S").expect("S");
    let run = (s.native)(200, MemOrder::Acqrel, &Cancel::new());
    // The final value of x is 1 or 2, never the initial 0: both stores ran.
    assert!(run.counts.keys().all(|k| k.len() == 2 && k[1] > 0));
    assert_eq!(s.label(&[1, 2]), "r0=1, x=2");
}

/// The clock-based check against the axioms on graphs that break them too: every candidate
/// execution of every litmus test, under every ordering, under each model.
#[test]
fn fast_check_agrees_with_the_axioms_on_litmus_candidates() {
    use race_lab::rt::rc11::axioms::{CPP20, RC11, WORLD};
    use race_lab::rt::rc11::fast;
    let mut n = 0;
    let mut inconsistent = 0;
    for t in LITMUS {
        for o in [
            race_lab::rt::MemOrder::Relaxed,
            race_lab::rt::MemOrder::Acqrel,
            race_lab::rt::MemOrder::Seqcst,
        ] {
            for (g, _) in race_lab::rt::rc11::explore::candidates((t.rc11)(o), 10_000) {
                for m in [RC11, CPP20, WORLD] {
                    let want = race_lab::rt::rc11::axioms::consistent(&g, m);
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
