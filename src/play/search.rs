//! The searches behind the game: the exhaustive proof at the play size (the scheduled
//! world's DPOR search: one interleaving per class of equivalent ones, with the shortest
//! failing run), and the hint — a breadth-first search over the player's own moves from the
//! current position, which replays each position from the start (executions are
//! deterministic) and merges positions that are the same state: the same shared state, the
//! same order of threads on every shared object, and for every thread the same history of
//! operations and values read. (Values a lock protects appear in no snapshot; the order in
//! which threads held the lock determines them.)

use super::game::{self, Hint};
use crate::experiment::{Experiment, Grade, Params};

use crate::machine::Cancel;
use std::collections::{HashSet, VecDeque};

/// The most steps the proof's interleavings may take in all: about two seconds' work on a
/// 2-core machine (racy-atomic 2 × 2 needs 34 classes of 13 steps; bounded-buffer-one-cv
/// 3 × 2 and racy-atomic 6 × 20 reach the bound).
const PROOF_STEPS: u64 = 5_000_000;
/// The hint's budget, in steps: each position it replays from the start costs its steps
/// and a fixed `REPLAY_COST` (starting the run: about 30 µs, a hundred steps' worth).
/// About two seconds' work on a 2-core machine: 50,000 short positions.
const HINT_STEPS: u64 = 5_000_000;
const REPLAY_COST: u64 = 100;

/// What the exhaustive searches at the play size found.
#[derive(Clone, Debug)]
pub struct Proof {
    /// Classes of interleavings (Mazurkiewicz traces: interleavings that differ only in the
    /// order of independent steps are one class) among the interleavings run.
    pub classes: u64,
    /// How many of them end in anything but ACCEPTABLE.
    pub failing: u64,
    /// Whether every interleaving was run (else the enumeration stopped at its bound).
    pub complete: bool,
    /// The fewest steps of a failing interleaving among those run, and its schedule.
    pub shortest_run: Option<(u64, Vec<usize>)>,
    /// The fewest steps to the goal, by the breadth-first search over states (the hint's
    /// search from the start): exact, and affordable where the interleavings are too many.
    pub shortest: Option<u64>,
    /// Whether that search saw every reachable state (so `shortest: None` means none fails).
    pub states_exhausted: bool,
}

impl Proof {
    /// Whether the level cannot be broken at this size: no interleaving fails, by either
    /// search run to its end.
    pub fn unbreakable(&self) -> bool {
        self.failing == 0 && (self.complete || (self.states_exhausted && self.shortest.is_none()))
    }
}

/// Explores every class of interleavings of `exp` at `p` (up to `PROOF_STEPS` steps in
/// all, or until `cancel`) with the scheduled world's DPOR search, and runs the hint's
/// search from the start.
pub fn prove(exp: &Experiment, p: &Params, cancel: &Cancel) -> Proof {
    // The scheduled world's exhaustive search (DPOR): one execution per class.
    let (kernel, q) = (exp.kernels.sched, p.clone());
    let limit = crate::rt::sched::step_limit(p.threads, p.iters);
    let (mut classes, mut failing, mut steps_run) = (0u64, 0u64, 0u64);
    let mut shortest: Option<(u64, Vec<usize>)> = None;
    // The game's rule: a move chooses a thread, and `notify_one` wakes the longest sleeper
    // (explore tries every waiter).
    let stats = crate::rt::sched::with_fifo_notify(true, || {
        crate::rt::sched::dpor::explore(
            p.threads,
            limit,
            false,
            move || kernel(&q).outcome,
            |v| {
                classes += 1;
                steps_run += v.steps as u64;
                let failed = game::grade(exp, p, v.end, v.result).0 != Grade::Acceptable;
                if failed {
                    failing += 1;
                    let steps = v.steps as u64;
                    if shortest.as_ref().is_none_or(|(s, _)| steps < *s) {
                        shortest = Some((steps, v.schedule.to_vec()));
                    }
                }
                steps_run < PROOF_STEPS && !cancel.requested()
            },
        )
    });
    let complete = stats.complete;
    let (shortest_bfs, states_exhausted) = match hint(exp, p, &[], cancel) {
        Hint::Step { path, .. } => (Some(path.len() as u64), true),
        Hint::NoneFromHere => (None, true),
        Hint::TooLarge(_) | Hint::Stopped(_) => (None, false),
    };
    Proof {
        classes,
        failing,
        complete,
        shortest_run: shortest,
        shortest: shortest_bfs,
        states_exhausted,
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
    if game::Moves::play(&mut ex, moves, p.threads)
        .illegal
        .is_some()
    {
        drop(ex.finish());
        return None;
    }
    let enabled = ex.enabled();
    let events = ex.events();
    let snapshot = ex.snapshot();
    let mut threads: Vec<usize> = events.iter().map(|e| e.thread).collect();
    threads.sort_unstable();
    threads.dedup();
    let mut key = format!("{snapshot:?}|{enabled:?}");
    // Which thread touched each object, in order: data a lock protects (a queue's length
    // behind a mutex) is in no snapshot, but the order of the lock's holders fixes it.
    let mut objects: Vec<&str> = events.iter().map(|e| e.object.as_str()).collect();
    objects.sort_unstable();
    objects.dedup();
    for o in objects {
        key.push('|');
        key.push_str(o);
        for e in events.iter().filter(|e| e.object == o) {
            key.push_str(&format!(" {}", e.thread));
        }
    }
    for t in threads {
        key.push('|');
        for e in events.iter().filter(|e| e.thread == t) {
            key.push_str(&format!(
                "{:?} {} {} {:?};",
                e.op, e.object, e.value, e.written
            ));
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

/// A shortest sequence of steps from after `moves` to the goal, breadth first, within
/// `HINT_STEPS` replayed steps, or until `cancel`.
pub fn hint(exp: &Experiment, p: &Params, moves: &[usize], cancel: &Cancel) -> Hint {
    let Some(root) = position(exp, p, moves) else {
        return Hint::NoneFromHere;
    };
    if root.ended.is_some() {
        return Hint::NoneFromHere;
    }
    let mut seen = HashSet::from([root.key]);
    let mut queue = VecDeque::from([(Vec::<usize>::new(), root.enabled)]);
    let (mut replayed, mut steps) = (0u64, 0u64);
    let mut all = moves.to_vec();
    while let Some((path, enabled)) = queue.pop_front() {
        for t in enabled {
            steps += REPLAY_COST + (moves.len() + path.len() + 1) as u64;
            if steps > HINT_STEPS {
                return Hint::TooLarge(replayed);
            }
            if cancel.requested() {
                return Hint::Stopped(replayed);
            }
            replayed += 1;
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
            let proof = prove(exp, &p, &Cancel::new());
            assert!(proof.complete && proof.failing > 0, "{name}");
            let (steps, _) = proof.shortest_run.clone().unwrap();
            assert_eq!(
                proof.shortest,
                Some(steps),
                "{name}: the BFS and the enumeration"
            );
            match hint(exp, &p, &[], &Cancel::new()) {
                Hint::Step { path, .. } => assert_eq!(path.len() as u64, steps, "{name}"),
                h => panic!("{name}: {h:?}"),
            }
        }
        let proof = prove(find("mutex").unwrap(), &Params::new(2, 2), &Cancel::new());
        assert!(proof.complete && proof.failing == 0 && proof.classes > 1);
        assert!(proof.unbreakable() && proof.states_exhausted && proof.shortest.is_none());
        // Independent workers (only main's final reads order them): nothing fails.
        let proof = prove(find("sharded").unwrap(), &Params::new(2, 2), &Cancel::new());
        assert!(proof.complete && proof.failing == 0 && proof.classes <= 2);
    }

    #[test]
    fn classes_agree_with_the_scheduled_worlds_dpor_where_it_runs() {
        // DPOR with sleep sets runs at least one execution per class; for these kernels
        // it runs exactly one.
        for name in ["racy-atomic", "mutex", "deadlock"] {
            let (exp, p) = (find(name).unwrap(), Params::new(2, 2));
            let (kernel, params) = (exp.kernels.sched, p.clone());
            let stats = crate::rt::sched::dpor::explore(
                2,
                crate::rt::sched::step_limit(2, 2),
                false,
                move || kernel(&params).outcome,
                |_| true,
            );
            assert_eq!(
                prove(exp, &p, &Cancel::new()).classes,
                stats.executions,
                "{name}"
            );
        }
    }
}
