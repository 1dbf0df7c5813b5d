//! Exploring a kernel in the rc11 world: the explorer (one run per consistent graph), the
//! brute-force oracle it is checked against (every interleaving, every read's every
//! consistent source, every write's every place in `mo`, with the graphs counted once
//! each); a graph as the lab's trace is `steps.rs`'s.

use super::axioms;
use super::exec::{self, Mode, Ran, RunEnd};
use super::graph::{Ev, Graph, Kind};
use crate::Cancel;
use std::collections::BTreeMap;
use std::sync::Arc;

pub use super::steps::{steps, trace};

/// A kernel as the rc11 world runs it.
pub type Kernel<O> = Arc<dyn Fn() -> O + Send + Sync>;

/// One execution the explorer found: its graph, how it ended, the kernel's value.
pub struct Visit<'a, O> {
    pub graph: &'a Graph,
    pub end: &'a RunEnd,
    pub result: Option<&'a O>,
}

/// What an exploration did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Executions visited (finished, livelocked, cut at the event bound, panicked).
    pub executions: u64,
    /// Runs that ended with a spinner that could still read something new.
    pub blocked: u64,
    /// Runs that turned out inconsistent.
    pub dropped: u64,
    /// Whether the exploration stopped before the end (the visitor said so, or cancel).
    pub stopped: bool,
}

/// Runs one graph of a search (`reduced`: under the maximality condition, as the explorer
/// does); returns the run and the graphs it pushed for later runs.
fn run_one<O: Send + 'static>(
    g: Graph,
    reduced: bool,
    max_events: u64,
    kernel: &Kernel<O>,
) -> (Ran<O>, Vec<Graph>) {
    let mut ran = exec::run(
        g,
        Mode::Explore {
            pushed: Vec::new(),
            reduced,
        },
        axioms::WORLD,
        max_events,
        kernel.clone(),
    );
    let pushed = match &mut ran.mode {
        Mode::Explore { pushed, .. } => std::mem::take(pushed),
        _ => Vec::new(),
    };
    (ran, pushed)
}

/// Explores every consistent execution graph of `kernel`, calling `visit` on each; `visit`
/// returns false to stop. `max_events` bounds one run.
pub fn explore<O: Send + 'static>(
    kernel: Kernel<O>,
    max_events: u64,
    cancel: &Cancel,
    mut visit: impl FnMut(Visit<'_, O>) -> bool,
) -> Stats {
    let mut stats = Stats::default();
    let mut stack = vec![Graph::new()];
    while let Some(g) = stack.pop() {
        if cancel.requested() {
            stats.stopped = true;
            break;
        }
        let (ran, pushed) = run_one(g, true, max_events, &kernel);
        stack.extend(pushed);
        match &ran.end {
            RunEnd::Blocked => stats.blocked += 1,
            RunEnd::Dropped => stats.dropped += 1,
            end => {
                stats.executions += 1;
                let go = visit(Visit {
                    graph: &ran.g,
                    end,
                    result: ran.result.as_ref(),
                });
                if !go {
                    stats.stopped = true;
                    break;
                }
            }
        }
    }
    stats
}

/// The second oracle's census, for kernels too large to interleave: the same search with
/// every revisit taken (no maximality condition, nothing made unrevisitable), which reaches
/// every consistent graph, many more than once (repeated states are cut by a set of the
/// graphs already run, with their addition order); `None` past `max_runs` runs.
pub fn unreduced<O: Send + Clone + 'static>(
    kernel: Kernel<O>,
    max_events: u64,
    max_runs: u64,
) -> Option<BTreeMap<String, (RunEnd, Option<O>)>> {
    let mut seen = BTreeMap::new();
    let mut done = std::collections::HashSet::new();
    let mut stack = vec![Graph::new()];
    let mut runs = 0;
    while let Some(g) = stack.pop() {
        let state = format!("{}|{:?}", g.key(), stamps(&g));
        if !done.insert(state) {
            continue;
        }
        runs += 1;
        if runs > max_runs {
            return None;
        }
        let (ran, pushed) = run_one(g, false, max_events, &kernel);
        stack.extend(pushed);
        if !matches!(ran.end, RunEnd::Blocked | RunEnd::Dropped) {
            seen.entry(ran.g.key()).or_insert((ran.end, ran.result));
        }
    }
    Some(seen)
}

fn stamps(g: &Graph) -> Vec<Vec<u64>> {
    g.th.iter()
        .map(|v| v.iter().map(|n| n.stamp).collect())
        .collect()
}

/// The oracle's census: each distinct graph (by [`Graph::key`]) with how it ended and the
/// kernel's value; `None` if it needed more than `max_runs` runs.
pub fn brute<O: Send + Clone + 'static>(
    kernel: Kernel<O>,
    max_events: u64,
    max_runs: u64,
) -> Option<BTreeMap<String, (RunEnd, Option<O>)>> {
    let mut seen = BTreeMap::new();
    let mut script: Vec<usize> = Vec::new();
    for _ in 0..max_runs {
        let Ran {
            g,
            end,
            result,
            mode,
        } = exec::run(
            Graph::new(),
            Mode::Brute {
                script: script.clone(),
                taken: Vec::new(),
            },
            axioms::WORLD,
            max_events,
            kernel.clone(),
        );
        if !matches!(end, RunEnd::Blocked | RunEnd::Dropped) {
            seen.entry(g.key()).or_insert((end, result));
        }
        let Mode::Brute { taken, .. } = mode else {
            unreachable!("a brute-force run keeps its mode")
        };
        match taken.iter().rposition(|&(k, n)| k + 1 < n) {
            None => return Some(seen),
            Some(i) => {
                script = taken[..i].iter().map(|&(k, _)| k).collect();
                script.push(taken[i].0 + 1);
            }
        }
    }
    None
}

/// Every candidate execution of a straight-line program (a litmus test), as herd builds
/// them: each read given every value some write of its location writes, the program run
/// with those values, then each read's source chosen among the writes of that value (any
/// thread's, later ones too), and each location's writes in every order. Consistency is not
/// checked: that is the caller's, axiom by axiom. Each candidate comes with the kernel's value.
pub fn candidates<O: Send + Clone + 'static>(
    kernel: Kernel<O>,
    max_events: u64,
) -> Vec<(Graph, O)> {
    let run = |script: Vec<Vec<u64>>| {
        let ran = exec::run(
            Graph::new(),
            Mode::Values {
                script,
                read: Vec::new(),
            },
            axioms::WORLD,
            max_events,
            kernel.clone(),
        );
        let Mode::Values { read, .. } = ran.mode else {
            unreachable!("a values run keeps its mode")
        };
        (ran.g, read, ran.result)
    };
    // The values each location's writes write (with every read returning 0).
    let (g0, reads0, _) = run(Vec::new());
    let domain = |g: &Graph, loc: usize| -> Vec<u64> {
        let mut d: Vec<u64> = g.mo[loc].iter().map(|&w| g.val(w)).collect();
        d.sort_unstable();
        d.dedup();
        d
    };
    let threads = g0.th.len();
    let mut out = Vec::new();
    let doms: Vec<Vec<u64>> = reads0
        .iter()
        .map(|&(r, _)| domain(&g0, g0.loc(r).expect("a read")))
        .collect();
    for values in product(&doms) {
        let mut script = vec![Vec::new(); threads];
        for (&(r, _), v) in reads0.iter().zip(&values) {
            script[r.t].push(*v);
        }
        let (g, read, result) = run(script);
        let Some(result) = result else { continue };
        // Each read's sources: the writes of the value it returned.
        let sources: Vec<Vec<Ev>> = read
            .iter()
            .map(|&(r, v)| {
                let loc = g.loc(r).expect("a read");
                g.mo[loc]
                    .iter()
                    .copied()
                    .filter(|&w| g.val(w) == v)
                    .collect()
            })
            .collect();
        for rfs in product(&sources) {
            let mut with_rf = g.clone();
            for (&(r, _), w) in read.iter().zip(&rfs) {
                if let Kind::Read { rf, .. } = &mut with_rf.node_mut(r).kind {
                    *rf = *w;
                }
            }
            for mo in mo_orders(&with_rf) {
                let mut c = with_rf.clone();
                c.mo = mo;
                out.push((c, result.clone()));
            }
        }
    }
    out
}

/// Every choice of one element from each list.
fn product<T: Copy>(lists: &[Vec<T>]) -> Vec<Vec<T>> {
    let mut out = vec![Vec::new()];
    for l in lists {
        out = out
            .into_iter()
            .flat_map(|p| {
                l.iter().map(move |x| {
                    let mut q = p.clone();
                    q.push(*x);
                    q
                })
            })
            .collect();
    }
    out
}

/// Every modification order: each location's creation first, its other writes in every order.
fn mo_orders(g: &Graph) -> Vec<Vec<Vec<Ev>>> {
    let mut out = vec![Vec::new()];
    for m in &g.mo {
        let perms = match m.split_first() {
            None => vec![Vec::new()],
            Some((init, rest)) => permutations(rest)
                .into_iter()
                .map(|p| std::iter::once(*init).chain(p).collect())
                .collect(),
        };
        out = out
            .into_iter()
            .flat_map(|o: Vec<Vec<Ev>>| {
                perms.iter().map(move |p| {
                    let mut q = o.clone();
                    q.push(p.clone());
                    q
                })
            })
            .collect();
    }
    out
}

fn permutations(xs: &[Ev]) -> Vec<Vec<Ev>> {
    if xs.is_empty() {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for i in 0..xs.len() {
        let mut rest = xs.to_vec();
        let x = rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, x);
            out.push(p);
        }
    }
    out
}

/// [`explore`] on `jobs` threads. The graphs form a tree that does not depend on the order
/// it is walked in (a run's pushed graphs are a function of its graph), so the workers walk
/// it in any order: each keeps a stack of its own (depth-first, as the sequential search),
/// and one that runs dry steals the oldest graph of another's — the root of the largest
/// subtree still waiting. Every graph is run once: the counts are the sequential search's.
/// `visit` is called from every worker. Returns the stats and the runs each worker made
/// (the load balance).
pub fn explore_parallel<O: Send + 'static>(
    kernel: Kernel<O>,
    max_events: u64,
    cancel: &Cancel,
    jobs: usize,
    visit: &(dyn Fn(Visit<'_, O>) -> bool + Sync),
) -> (Stats, Vec<u64>) {
    use crossbeam_deque::{Steal, Stealer, Worker};
    use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
    let jobs = jobs.max(1);
    let locals: Vec<Worker<Graph>> = (0..jobs).map(|_| Worker::new_lifo()).collect();
    let stealers: Vec<Stealer<Graph>> = locals.iter().map(|w| w.stealer()).collect();
    locals[0].push(Graph::new());
    // Graphs pushed and not yet run, with their pushes made: 0 means the tree is walked.
    let pending = AtomicUsize::new(1);
    let stop = AtomicBool::new(false);
    let (executions, blocked, dropped) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    let runs: Vec<AtomicU64> = (0..jobs).map(|_| AtomicU64::new(0)).collect();
    let spurious = crate::rt::sched::spurious_wakeups();
    std::thread::scope(|s| {
        for (w, local) in locals.into_iter().enumerate() {
            let (stealers, pending, stop, kernel) = (&stealers, &pending, &stop, kernel.clone());
            let (executions, blocked, dropped, runs) = (&executions, &blocked, &dropped, &runs);
            std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(s, move || {
                    // Waiting for work: spin briefly, then sleep in short naps (the
                    // search's tail, when one worker has the last subtree).
                    let backoff = crossbeam_utils::Backoff::new();
                    crate::rt::sched::with_spurious_wakeups(spurious, || loop {
                        if stop.load(Ordering::SeqCst) {
                            return;
                        }
                        if cancel.requested() {
                            stop.store(true, Ordering::SeqCst);
                            return;
                        }
                        let g = local.pop().or_else(|| {
                            (1..jobs).find_map(|k| loop {
                                match stealers[(w + k) % jobs].steal() {
                                    Steal::Success(g) => break Some(g),
                                    Steal::Empty => break None,
                                    Steal::Retry => continue,
                                }
                            })
                        });
                        let Some(g) = g else {
                            if pending.load(Ordering::SeqCst) == 0 {
                                return;
                            }
                            if backoff.is_completed() {
                                std::thread::sleep(std::time::Duration::from_micros(200));
                            } else {
                                backoff.snooze();
                            }
                            continue;
                        };
                        backoff.reset();
                        runs[w].fetch_add(1, Ordering::Relaxed);
                        let (ran, pushed) = run_one(g, true, max_events, &kernel);
                        pending.fetch_add(pushed.len(), Ordering::SeqCst);
                        for g in pushed {
                            local.push(g);
                        }
                        let go = match &ran.end {
                            RunEnd::Blocked => {
                                blocked.fetch_add(1, Ordering::Relaxed);
                                true
                            }
                            RunEnd::Dropped => {
                                dropped.fetch_add(1, Ordering::Relaxed);
                                true
                            }
                            end => {
                                executions.fetch_add(1, Ordering::Relaxed);
                                visit(Visit {
                                    graph: &ran.g,
                                    end,
                                    result: ran.result.as_ref(),
                                })
                            }
                        };
                        pending.fetch_sub(1, Ordering::SeqCst);
                        if !go {
                            stop.store(true, Ordering::SeqCst);
                            return;
                        }
                    })
                })
                .expect("a search thread starts");
        }
    });
    let stats = Stats {
        executions: executions.into_inner(),
        blocked: blocked.into_inner(),
        dropped: dropped.into_inner(),
        stopped: stop.into_inner(),
    };
    (
        stats,
        runs.iter().map(|r| r.load(Ordering::SeqCst)).collect(),
    )
}
