//! The searches behind the game: the exhaustive proof at the play size (every class of
//! interleavings by DPOR, with the shortest failing run among them), and the hint — a
//! breadth-first search over the player's own moves from the current position, which
//! replays each position from the start (executions are deterministic) and merges positions
//! that are the same state: the same shared state and, for every thread, the same history
//! of operations and values read (a thread's private state is a function of what it read).

use super::game::{self, Hint};
use crate::experiment::{Experiment, Grade, Params};
use crate::hunt;
use crate::rt::sched::{self, dpor};
use std::collections::{HashSet, VecDeque};

/// The most classes of interleavings the proof explores.
const MAX_CLASSES: u64 = 200_000;
/// The most positions the hint replays.
const MAX_POSITIONS: u64 = 50_000;

/// What the exhaustive search at the play size found.
#[derive(Clone, Debug)]
pub struct Proof {
    /// Classes of interleavings explored (one execution each).
    pub classes: u64,
    /// How many of them end in anything but ACCEPTABLE.
    pub failing: u64,
    /// Whether every class was explored.
    pub complete: bool,
    /// The fewest steps of a failing run, and its schedule.
    pub shortest: Option<(u64, Vec<usize>)>,
}

/// Explores every class of interleavings of `exp` at `p`.
pub fn prove(exp: &Experiment, p: &Params) -> Proof {
    let (kernel, params) = (exp.kernels.sched, p.clone());
    let limit = sched::step_limit(p.threads, p.iters);
    let mut failing = Vec::new();
    let mut classes = 0;
    let stats = dpor::explore(
        p.threads,
        limit,
        false,
        move || kernel(&params).outcome,
        |v| {
            classes += 1;
            if game::grade(exp, p, v.end, v.result).0 != Grade::Acceptable {
                failing.push(v.schedule.to_vec());
            }
            classes < MAX_CLASSES
        },
    );
    // Equivalent interleavings take the same steps, so the shortest over the classes is
    // the shortest of all.
    let shortest = failing
        .iter()
        .map(|s| (hunt::run_scheduled(exp, p, s, false).steps, s.clone()))
        .min_by_key(|(steps, _)| *steps);
    Proof {
        classes,
        failing: failing.len() as u64,
        complete: stats.complete,
        shortest,
    }
}

/// One position reached by replaying moves: who can go, whether the run ended and how it
/// is graded, and a key equal for equal states.
struct Position {
    enabled: Vec<usize>,
    ended: Option<Grade>,
    key: String,
}

fn position(exp: &Experiment, p: &Params, moves: &[usize]) -> Option<Position> {
    let mut ex = game::start(exp, p, true);
    for &t in moves {
        if !ex.enabled().contains(&t) {
            drop(ex.finish());
            return None;
        }
        ex.step(t);
    }
    let enabled = ex.enabled();
    let events = ex.events();
    let snapshot = ex.snapshot();
    let mut threads: Vec<usize> = events.iter().map(|e| e.thread).collect();
    threads.sort_unstable();
    threads.dedup();
    let mut key = format!("{snapshot:?}|{enabled:?}");
    for t in threads {
        key.push('|');
        for e in events.iter().filter(|e| e.thread == t) {
            key.push_str(&format!("{:?} {} {} {:?};", e.op, e.object, e.value, e.written));
        }
    }
    let end = ex.end().cloned();
    let (result, _, _) = ex.finish();
    let ended = end.map(|e| game::grade(exp, p, &e, result).0);
    Some(Position {
        enabled,
        ended,
        key,
    })
}

/// A shortest sequence of steps from after `moves` to the goal, breadth first.
pub fn hint(exp: &Experiment, p: &Params, moves: &[usize]) -> Hint {
    let Some(root) = position(exp, p, moves) else {
        return Hint::NoneFromHere;
    };
    if root.ended.is_some() {
        return Hint::NoneFromHere;
    }
    let mut seen = HashSet::from([root.key]);
    let mut queue = VecDeque::from([(Vec::<usize>::new(), root.enabled)]);
    let mut replayed = 0;
    let mut all = moves.to_vec();
    while let Some((path, enabled)) = queue.pop_front() {
        for t in enabled {
            replayed += 1;
            if replayed > MAX_POSITIONS {
                return Hint::TooLarge(replayed - 1);
            }
            let mut next = path.clone();
            next.push(t);
            all.truncate(moves.len());
            all.extend_from_slice(&next);
            let Some(pos) = position(exp, p, &all) else {
                continue;
            };
            match pos.ended {
                Some(g) if g != Grade::Acceptable => {
                    return Hint::Step {
                        thread: next[0],
                        path: next,
                    }
                }
                Some(_) => {}
                None => {
                    if seen.insert(pos.key) {
                        queue.push_back((next, pos.enabled));
                    }
                }
            }
        }
    }
    Hint::NoneFromHere
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::find;

    #[test]
    fn the_hint_from_the_start_is_as_short_as_the_proofs_shortest() {
        for name in ["racy-atomic", "deadlock"] {
            let exp = find(name).unwrap();
            let p = Params::new(2, 2);
            let proof = prove(exp, &p);
            assert!(proof.complete && proof.failing > 0, "{name}");
            let (steps, _) = proof.shortest.clone().unwrap();
            match hint(exp, &p, &[]) {
                Hint::Step { path, .. } => assert_eq!(path.len() as u64, steps, "{name}"),
                h => panic!("{name}: {h:?}"),
            }
        }
        let proof = prove(find("mutex").unwrap(), &Params::new(2, 2));
        assert!(proof.complete && proof.failing == 0 && proof.classes > 1);
    }
}
