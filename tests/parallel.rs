//! Parallel exhaustive search says what the sequential search says: for every thread
//! experiment at 2 × 2 (fewer iterations where its proof size has fewer), in the scheduled world and in the rc11 world
//! where it covers the experiment, `explore` on one thread and on three gives the same
//! report — the same count of classes or graphs, the same outcome counts, the same failing
//! execution shown, the same verdict (only the seconds differ).

use race_lab::experiment::Params;
use race_lab::explore::{self, ExploreConfig, World};

fn report(
    exp: &'static race_lab::experiment::Experiment,
    world: World,
    jobs: usize,
) -> Option<String> {
    // 2 × 2, or less where the world proves the experiment at less (a spin loop's graphs
    // multiply with every iteration).
    let proof = exp.proof;
    let threads = exp.threads.0.max(2);
    let cfg = ExploreConfig {
        // Large enough that no search here is cut short by it (a budget's cut differs).
        max_executions: Some(5_000_000),
        show: 3,
        jobs,
        ..ExploreConfig::new(exp, Params::new(threads, proof.iters.min(2)), world)
    };
    let mut r = explore::explore(&cfg).ok()?;
    r.seconds = 0.0;
    Some(serde_json::to_string_pretty(&r).expect("serialises"))
}

#[test]
fn parallel_and_sequential_searches_agree_for_every_experiment() {
    let mut compared = 0;
    for exp in race_lab::experiments::all() {
        for world in [World::Scheduled, World::Rc11] {
            let Some(one) = report(exp, world, 1) else {
                continue; // the world does not cover it at this size
            };
            let three = report(exp, world, 3).expect("the same configuration explores");
            assert!(
                one == three,
                "{} in the {} world: one thread and three differ:\n{one}\n---\n{three}",
                exp.name,
                world.name()
            );
            compared += 1;
        }
    }
    assert!(compared >= 80, "only {compared} searches compared");
}

/// A search that stops at the first failure reports the sequential search's first failure
/// on any number of threads: for every broken experiment at the same sizes, in both worlds,
/// whether it searches in parallel and defers (below its proof size) or goes straight to
/// the sequential search (at it, where the bug is known to show).
#[test]
fn first_failure_searches_agree_on_any_number_of_threads() {
    let (mut compared, mut stopped) = (0, [0, 0]);
    for exp in race_lab::experiments::all() {
        if exp.class == race_lab::experiment::Class::Fixed {
            continue;
        }
        for world in [World::Scheduled, World::Rc11] {
            let report = |jobs: usize| {
                let proof = exp.proof;
                let cfg = ExploreConfig {
                    max_executions: Some(5_000_000),
                    first_failure: true,
                    jobs,
                    ..ExploreConfig::new(
                        exp,
                        Params::new(exp.threads.0.max(2), proof.iters.min(2)),
                        world,
                    )
                };
                let mut r = explore::explore(&cfg).ok()?;
                r.seconds = 0.0;
                let early = r
                    .stopped
                    .as_deref()
                    .is_some_and(|s| s.contains("first failing"));
                Some((serde_json::to_string_pretty(&r).expect("serialises"), early))
            };
            let Some((one, early)) = report(1) else {
                continue;
            };
            stopped[usize::from(world == World::Rc11)] += usize::from(early);
            let (three, _) = report(3).expect("the same configuration explores");
            assert!(
                one == three,
                "{} in the {} world, --first-failure: one thread and three differ:\n{one}\n---\n{three}",
                exp.name,
                world.name()
            );
            compared += 1;
        }
    }
    assert!(compared >= 60, "only {compared} searches compared");
    // Both worlds stop at a failure: these searches are not complete ones compared again.
    assert!(
        stopped.iter().all(|&n| n >= 15),
        "searches stopped at a failure (scheduled, rc11): {stopped:?}"
    );
}
