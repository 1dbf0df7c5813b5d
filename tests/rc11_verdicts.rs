//! The rc11 world's verdicts on the weak-memory lessons, at their proof sizes: the broken
//! ones fail with the failing execution shown, the fixes are proved (no false alarm), the
//! racy ones are DATA RACEs; and every thread experiment is decided there.

use race_lab::experiment::Params;
use race_lab::explore::{explore, ExploreConfig, ExploreReport, World};

fn rc11(name: &str) -> race_lab::error::Result<ExploreReport> {
    let exp = race_lab::experiments::find(name).expect("a catalogue experiment");
    rc11_at(exp, exp.proof, false, false)
}

/// Explores `exp` in the rc11 world at `size`.
fn rc11_at(
    exp: &'static race_lab::experiment::Experiment,
    size: race_lab::experiment::Size,
    spurious_wakeups: bool,
    first_failure: bool,
) -> race_lab::error::Result<ExploreReport> {
    explore(&ExploreConfig {
        params: Params::new(size.threads, size.iters),
        spurious_wakeups,
        first_failure,
        ..config(exp)
    })
}

#[test]
fn broken_lessons_fail_with_the_execution_shown() {
    for name in [
        "peterson",
        "peterson-fence",
        "flag-lock",
        "publish-relaxed",
        "racy-atomic",
    ] {
        let r = rc11(name).expect("explores");
        assert!(r.complete, "{name}: {:?}", r.stopped);
        assert!(r.failing_executions > 0, "{name}: {}", r.verdict);
        let shown = &r.failing[0];
        assert!(
            !shown.events.is_empty() && shown.timeline.contains("T1"),
            "{name}"
        );
        assert!(
            r.verdict.contains("RC11-consistent execution graphs"),
            "{}",
            r.verdict
        );
    }
}

#[test]
fn fixes_are_proved() {
    for name in [
        "peterson-seqcst",
        "peterson-swap",
        "publish-release",
        "spin-lock",
        "ticket-lock",
        "atomic",
        "lazy-init-cas",
    ] {
        let r = rc11(name).expect("explores");
        assert!(r.complete, "{name}: {:?}", r.stopped);
        assert_eq!(r.failing_executions, 0, "{name}: {}", r.verdict);
        assert!(
            r.verdict.contains("proved for this size under RC11"),
            "{}",
            r.verdict
        );
    }
}

#[test]
fn plain_accesses_without_happens_before_are_data_races() {
    for name in ["unsynced", "spin-relaxed"] {
        let r = rc11(name).expect("explores");
        let race = r.race.expect("a data race");
        assert!(race.summary.contains("data race"), "{}", race.summary);
        assert!(r.verdict.contains("DATA RACE"), "{}", r.verdict);
    }
}

/// Every thread experiment, at the size the rc11 world checks it: every fix proved (with
/// spurious wake-ups on, as std allows them), every broken one failing — a failing execution
/// with its timeline, a data race or a deadlock — and each with its execution graph drawn.
#[test]
fn every_thread_experiment_is_decided_in_rc11_with_its_graph() {
    use race_lab::experiment::Class;
    let mut decided = 0;
    for exp in race_lab::experiments::all() {
        let size = exp.proof;
        let fix = exp.class == Class::Fixed;
        let r = rc11_at(exp, size, fix, !fix).expect("explores");
        let name = exp.name;
        let graph = r.graph.as_ref().expect("a graph");
        assert!(graph.svg.starts_with("<svg") && graph.dot.starts_with("digraph"));
        if fix {
            assert!(r.complete, "{name}: {:?}", r.stopped);
            assert!(
                r.failing_executions == 0 && r.race.is_none() && r.deadlock.is_none(),
                "{name}: {}",
                r.verdict
            );
        } else if let Some(f) = r.failing.first() {
            // Every worker's column (the last one's name says there are that many).
            let last = format!("T{}", size.threads - 1);
            assert!(f.timeline.contains(&last), "{name}: {}", f.timeline);
            assert!(graph.of.contains("failing"), "{name}: {}", graph.of);
        } else {
            assert!(
                r.race.is_some() || r.deadlock.is_some(),
                "{name}: the bug did not show: {}",
                r.verdict
            );
        }
        decided += 1;
    }
    assert!(decided >= 42, "{decided}");
}

/// A read names the write it read from: the step it names is a write of the same object
/// with the value read (or `init`), and "stale by mo" names a newer write of that object.
#[test]
fn reads_name_their_source_and_staleness_by_mo() {
    for name in ["peterson-fence", "publish-relaxed", "flag-lock"] {
        let r = rc11(name).expect("explores");
        let shown = &r.failing[0];
        let mut stale = 0;
        for e in &shown.events {
            let Some(src) = &e.source else { continue };
            if let Some(n) = src.strip_prefix("step ") {
                let w = &shown.events[n.parse::<usize>().expect("a step") - 1];
                assert_eq!(w.object, e.object, "{name}: {} ⟵ {}", e.text, w.text);
                let wrote = if w.op == "store" { Some(w.value) } else { None };
                let rmw = w.text.contains('→') || w.text.contains("was");
                assert!(
                    wrote == Some(e.value) || rmw,
                    "{name}: {} reads from {}",
                    e.text,
                    w.text
                );
            } else {
                assert_eq!(src, "init");
            }
            if e.newer_in_mo.is_some() {
                stale += 1;
            }
        }
        assert!(
            stale > 0,
            "{name}: the failing execution reads a stale value"
        );
        assert!(shown.timeline.contains("stale by mo"), "{}", shown.timeline);
    }
}

/// A spurious wake-up is a possibility, not a promise: with them on, a wait that nobody
/// notifies may still sleep forever (`lost-wakeup` deadlocks), and a fix still holds.
#[test]
fn spurious_wake_ups_are_explored_both_ways() {
    for (name, fix) in [("lost-wakeup", false), ("wait-while", true)] {
        let exp = race_lab::experiments::find(name).expect("a catalogue experiment");
        let r = rc11_at(exp, exp.proof, true, false).expect("explores");
        assert!(r.complete, "{name}: {:?}", r.stopped);
        if fix {
            assert!(r.verdict.contains("proved"), "{}", r.verdict);
        } else {
            assert!(r.deadlock.is_some(), "{name}: {}", r.verdict);
        }
    }
}

/// A hand-made `Arc` whose Relaxed decrement lets the free overtake a use: the rc11 world
/// names it a USE AFTER FREE (not a wrong count and not a plain data race), loom too, and the
/// scheduled world proves the kernel and says the bug needs weak memory. The correct `Arc`
/// and a one-shot channel's plain data race are not called use after free.
#[test]
fn a_free_that_overtakes_a_use_is_a_use_after_free_in_the_weak_worlds_only() {
    let r = rc11("arc-relaxed").expect("explores");
    let race = r.race.expect("the race with the free");
    assert!(race.use_after_free, "{}", race.summary);
    assert!(r.verdict.contains("USE AFTER FREE"), "{}", r.verdict);
    assert!(race.accesses.iter().any(|a| a.contains("frees the cell")));
    let oneshot = rc11("oneshot-relaxed").expect("explores");
    let race = oneshot.race.expect("a data race");
    assert!(!race.use_after_free && oneshot.verdict.contains("DATA RACE"));
    let fixed = rc11("arc").expect("explores");
    assert!(fixed.race.is_none() && fixed.complete && fixed.failing_executions == 0);

    let exp = race_lab::experiments::find("arc-relaxed").unwrap();
    let loom = explore(&ExploreConfig {
        world: World::Loom,
        first_failure: true,
        max_executions: Some(10_000),
        ..config(exp)
    })
    .expect("loom explores");
    let race = loom.race.expect("loom stops at the use after free");
    assert!(race.use_after_free, "{}", race.summary);
    assert!(loom.verdict.contains("USE AFTER FREE"), "{}", loom.verdict);
    let sc = explore(&ExploreConfig {
        world: World::Scheduled,
        ..config(exp)
    })
    .expect("the scheduled world explores");
    assert!(sc.complete && sc.race.is_none() && sc.failing_executions == 0);
    assert!(
        sc.verdict.contains("the bug needs weak memory"),
        "{}",
        sc.verdict
    );
}

/// Exploring `exp` at its proof size in the rc11 world, sequentially, with a work budget.
fn config(exp: &'static race_lab::experiment::Experiment) -> ExploreConfig {
    let p = Params::new(exp.proof.threads, exp.proof.iters);
    ExploreConfig {
        max_executions: Some(5_000_000),
        ..ExploreConfig::new(exp, p, World::Rc11)
    }
}
