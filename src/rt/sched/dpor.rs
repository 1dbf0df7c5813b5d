//! Exhaustive search of the scheduled world: every sequentially consistent interleaving up
//! to equivalence, by dynamic partial-order reduction with sleep sets (Flanagan & Godefroid,
//! "Dynamic Partial-Order Reduction for Model Checking Software", POPL 2005).
//!
//! Two steps are *dependent* when they touch the same object and at least one writes it
//! (two loads commute; a lock, an unlock, a send, a receive, a notify, a wait and a join
//! are writes or reads of their lock, channel, condvar or thread). Interleavings that only
//! reorder independent steps reach the same state, so one of each class (a Mazurkiewicz
//! trace) is enough. The search is stateless: each execution replays its prefix from the
//! start, then continues; after it ends, every race in its trace (two dependent steps of
//! different threads, not ordered by happens-before) adds a backtrack point where the
//! other order can be tried. Sleep sets stop re-exploring an order already covered.

use super::exec::{End, Execution};
use super::world::Access;
use std::collections::BTreeSet;

/// One decision point on the current path.
struct Frame {
    enabled: Vec<usize>,
    /// Threads still to try here.
    backtrack: BTreeSet<usize>,
    /// Threads tried here, with the accesses their step made.
    done: Vec<(usize, Vec<Access>)>,
    /// Threads asleep here (their step commutes with everything since they were tried).
    sleep: Vec<(usize, Vec<Access>)>,
    /// The thread taken on the current path, and what its step touched.
    chosen: usize,
    accesses: Vec<Access>,
}

/// What the search did.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Executions run to their end (one per equivalence class reached).
    pub executions: u64,
    /// Executions cut short because every enabled thread was asleep (already covered).
    pub redundant: u64,
    /// Whether every class was explored (no limit or stop cut the search short).
    pub complete: bool,
    /// The longest execution, in steps.
    pub max_depth: usize,
}

/// The execution a search hands to its visitor: how it ended, its result, its trace and
/// the order the threads took their steps in.
pub struct Visit<'a, T> {
    pub result: Option<T>,
    pub end: &'a End,
    pub events: Vec<crate::trace::Event>,
    /// The choices at decision points (two or more threads could go): the schedule that
    /// replays this execution with `replay`.
    pub schedule: &'a [usize],
    /// Steps the workers took.
    pub steps: usize,
}

fn conflict(a: &[Access], b: &[Access]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.conflicts(*y)))
}

/// Explores every equivalence class of executions of `kernel` (which spawns `threads`
/// workers). `visit` sees each complete execution and returns `false` to stop the search;
/// `record` keeps each execution's trace for the visitor.
pub fn explore<T: Send + 'static>(
    threads: usize,
    max_steps: u64,
    record: bool,
    kernel: impl Fn() -> T + Send + Sync + Clone + 'static,
    mut visit: impl FnMut(Visit<'_, T>) -> bool,
) -> Stats {
    let mut stats = Stats::default();
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        // One execution: replay the stack's choices, then extend it.
        let k = kernel.clone();
        let mut ex = Execution::start(threads, record, max_steps, k);
        ex.keep_history();
        let mut depth = 0;
        let mut blocked_by_sleep = false;
        loop {
            let enabled = ex.enabled();
            if enabled.is_empty() {
                break;
            }
            let t = if depth < stack.len() {
                stack[depth].chosen
            } else {
                // A new decision point: its sleep set comes from the parent's.
                let sleep: Vec<(usize, Vec<Access>)> = match depth.checked_sub(1) {
                    None => Vec::new(),
                    Some(p) => {
                        let parent = &stack[p];
                        parent
                            .sleep
                            .iter()
                            .chain(parent.done.iter())
                            .filter(|(q, acc)| {
                                *q != parent.chosen && !conflict(acc, &parent.accesses)
                            })
                            .cloned()
                            .collect()
                    }
                };
                let Some(&t) = enabled.iter().find(|t| !sleep.iter().any(|(q, _)| q == *t)) else {
                    blocked_by_sleep = true;
                    break;
                };
                stack.push(Frame {
                    enabled: enabled.clone(),
                    backtrack: BTreeSet::from([t]),
                    done: Vec::new(),
                    sleep,
                    chosen: t,
                    accesses: Vec::new(),
                });
                t
            };
            ex.step(t);
            let acc = ex
                .history
                .last()
                .map(|(_, a)| a.clone())
                .unwrap_or_default();
            stack[depth].accesses = acc;
            depth += 1;
        }
        stats.max_depth = stats.max_depth.max(depth);
        // The races of this execution add backtrack points.
        let pending: Vec<(usize, Access)> = (0..threads)
            .filter_map(|t| ex.pending(t).map(|a| (t, a)))
            .collect();
        add_backtracks(&mut stack[..depth], &pending);
        let schedule: Vec<usize> = stack[..depth]
            .iter()
            .filter(|f| f.enabled.len() > 1)
            .map(|f| f.chosen)
            .collect();
        let keep_going = if blocked_by_sleep {
            stats.redundant += 1;
            drop(ex);
            true
        } else {
            stats.executions += 1;
            let (result, events, end) = ex.finish();
            visit(Visit {
                result,
                end: &end,
                events,
                schedule: &schedule,
                steps: depth,
            })
        };
        if !keep_going {
            return stats;
        }
        // Backtrack: the deepest frame with an untried thread that is not asleep.
        stack.truncate(depth);
        loop {
            let Some(f) = stack.last_mut() else {
                stats.complete = true;
                return stats;
            };
            let chosen = f.chosen;
            let acc = std::mem::take(&mut f.accesses);
            if !f.done.iter().any(|(q, _)| *q == chosen) {
                f.done.push((chosen, acc));
            }
            let next = f.backtrack.iter().copied().find(|q| {
                !f.done.iter().any(|(d, _)| d == q) && !f.sleep.iter().any(|(s, _)| s == q)
            });
            match next {
                Some(q) => {
                    f.chosen = q;
                    break;
                }
                None => {
                    stack.pop();
                }
            }
        }
    }
}

/// Flanagan–Godefroid's backtracking over a finished path: for every step `j` of thread
/// `p` (and every thread's pending step at the end), each earlier step `i` of another
/// thread that conflicts with it and does not happen before `p`'s previous step is a race;
/// at `i`, try `p` (or, if `p` could not go there, every thread that could).
fn add_backtracks(stack: &mut [Frame], pending: &[(usize, Access)]) {
    let n = stack.len();
    let threads = stack
        .iter()
        .map(|f| f.chosen)
        .chain(pending.iter().map(|(t, _)| *t))
        .max()
        .map_or(0, |m| m + 1);
    // Vector clocks: clock[i][t] = 1 + the last step of thread t in step i's causal past.
    let mut clock: Vec<Vec<usize>> = Vec::with_capacity(n);
    let mut last_of: Vec<Option<usize>> = vec![None; threads];
    let mut races: Vec<(usize, usize)> = Vec::new(); // (frame i, thread p)
    let mut check =
        |p: usize, acc: &[Access], prev: Option<usize>, upto: usize, clock: &[Vec<usize>]| {
            let past = prev.map(|k| &clock[k]);
            let mut before_prev: Option<usize> = None;
            for i in (0..upto).rev() {
                let f = &stack[i];
                if f.chosen == p || !conflict(&f.accesses, acc) {
                    continue;
                }
                let in_past = past.is_some_and(|c| c[f.chosen] > i);
                if in_past {
                    continue;
                }
                match prev {
                    Some(k) if i < k => {
                        // Before p's previous step: only the latest such race (as at the
                        // state right after that step).
                        if before_prev.is_none() {
                            before_prev = Some(i);
                            races.push((i, p));
                        }
                    }
                    _ => races.push((i, p)),
                }
            }
        };
    for j in 0..n {
        let p = stack[j].chosen;
        check(p, &stack[j].accesses, last_of[p], j, &clock);
        let mut c = last_of[p].map_or_else(|| vec![0; threads], |k| clock[k].clone());
        for (i, ci) in clock.iter().enumerate() {
            if conflict(&stack[i].accesses, &stack[j].accesses) {
                for (a, b) in c.iter_mut().zip(ci) {
                    *a = (*a).max(*b);
                }
            }
        }
        c[p] = j + 1;
        clock.push(c);
        last_of[p] = Some(j);
    }
    for &(p, a) in pending {
        check(p, &[a], last_of[p], n, &clock);
    }
    for (i, p) in races {
        let f = &mut stack[i];
        if f.enabled.contains(&p) {
            f.backtrack.insert(p);
        } else {
            f.backtrack.extend(f.enabled.iter().copied());
        }
    }
}

/// All interleavings, with no reduction: every enabled thread at every decision point.
/// Only for checking the reduced search on small models.
pub fn explore_naive<T: Send + 'static>(
    threads: usize,
    max_steps: u64,
    kernel: impl Fn() -> T + Send + Sync + Clone + 'static,
    mut visit: impl FnMut(Option<T>, &End) -> bool,
) -> u64 {
    let mut path: Vec<(usize, Vec<usize>)> = Vec::new(); // (index into enabled, enabled)
    let mut runs = 0;
    loop {
        let mut ex = Execution::start(threads, false, max_steps, kernel.clone());
        let mut depth = 0;
        loop {
            let enabled = ex.enabled();
            if enabled.is_empty() {
                break;
            }
            if depth == path.len() {
                path.push((0, enabled.clone()));
            }
            let t = path[depth].1[path[depth].0];
            ex.step(t);
            depth += 1;
        }
        runs += 1;
        let (result, _, end) = ex.finish();
        if !visit(result, &end) {
            return runs;
        }
        path.truncate(depth);
        while let Some((i, en)) = path.last_mut() {
            if *i + 1 < en.len() {
                *i += 1;
                break;
            }
            path.pop();
        }
        if path.is_empty() {
            return runs;
        }
    }
}
