//! The same search on several threads ([`explore_parallel`]): the tree of decision points is
//! shared, and a thread that runs out of work takes an untried branch of someone else's.
//!
//! **Units.** A unit is one branch of a decision point: a thread to take there (and, for a
//! `notify_one` with two or more sleepers, which sleeper wakes). A worker that claims a unit
//! replays the path to its decision point, takes the branch, and goes on depth-first as the
//! sequential search does, claiming the first branch of each new decision point itself. A
//! decision point counts its *open* units (claimed, their subtree not finished); a unit is
//! finished when its execution ended there or the decision point below it has no open unit
//! and nothing left to try. Whoever finishes the last open unit of a decision point finishes
//! the unit above it too — so a branch that a race in a stolen subtree adds to a decision
//! point far above is never lost: that point is still open while the subtree runs.
//!
//! **Sleep sets.** The branches of a decision point are ordered by when they were claimed,
//! not by when they finished: a branch's subtree starts with every branch claimed before it
//! asleep (unless dependent with it), as the sequential search starts it with every branch
//! tried before it. A branch claimed but not yet stepped has no known transition; the
//! worker that needs it waits the few steps until its claimer has taken it. So every class
//! is explored once, in whatever order the workers go: the count of complete executions is
//! the sequential search's; only the runs cut short by sleep sets (`Stats::redundant`) vary.
//!
//! **Stealing.** A worker that runs out of work looks along the other workers' paths (they
//! publish them while someone is idle) for the shallowest decision point with an untried
//! branch — the largest subtree — and claims it; every such point lies on a running
//! worker's path, since it has an open unit. The worker already below a point takes its
//! deepest untried branches first, as it backtracks.

use super::{conflict, first_choice, races, reversal, Point, Stats, Visit};
use crate::rt::sched::drive::{drive, Chooser};
use crate::rt::sched::exec::Execution;
use crate::rt::sched::world::Access;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// A thread claimed at a decision point.
struct Claim {
    thread: usize,
    /// What its transition touched, once a run has taken it.
    trans: Option<Vec<Access>>,
    /// How many sleepers its `notify_one` may wake (1 if it is not one), once known.
    variants: Option<usize>,
    /// The next variant nobody has claimed.
    next_variant: usize,
}

#[derive(Default)]
struct PointState {
    /// Threads to try here (claimed or to come).
    backtrack: BTreeSet<usize>,
    /// In claim order.
    claims: Vec<Claim>,
    /// Units claimed here whose subtree is not finished.
    open: usize,
}

/// A decision point of the shared tree.
struct Node {
    enabled: Vec<usize>,
    /// Threads asleep here, with their transitions (fixed when the point is made).
    sleep: Vec<(usize, Vec<Access>)>,
    /// The point above and the branch (claim, thread, variant) that leads here.
    from: Option<(Arc<Node>, usize, usize, usize)>,
    st: Mutex<PointState>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Node {
    /// The next untried unit here, claimed: a further sleeper of a claimed `notify_one`, else
    /// a thread to try that is not claimed and not asleep. Returns (claim, thread, variant).
    fn claim_next(&self, st: &mut PointState) -> Option<(usize, usize, usize)> {
        for (i, c) in st.claims.iter_mut().enumerate() {
            if c.variants.is_some_and(|k| c.next_variant < k) {
                c.next_variant += 1;
                st.open += 1;
                return Some((i, c.thread, c.next_variant - 1));
            }
        }
        let q = st.backtrack.iter().copied().find(|q| {
            !st.claims.iter().any(|c| c.thread == *q) && !self.sleep.iter().any(|(s, _)| s == q)
        })?;
        st.claims.push(Claim {
            thread: q,
            trans: None,
            variants: None,
            next_variant: 1,
        });
        st.open += 1;
        Some((st.claims.len() - 1, q, 0))
    }
}

/// One step of a worker's path: the decision point, the branch taken, and what the current
/// run saw there.
struct Step {
    node: Arc<Node>,
    claim: usize,
    thread: usize,
    variant: usize,
    pos: usize,
    trans: Vec<Access>,
    waiters: Vec<usize>,
}

impl Step {
    fn new(node: Arc<Node>, claim: usize, thread: usize, variant: usize) -> Step {
        Step {
            node,
            claim,
            thread,
            variant,
            pos: 0,
            trans: Vec::new(),
            waiters: Vec::new(),
        }
    }
}

/// What the workers share.
struct Shared {
    pool: Mutex<Pool>,
    wake: Condvar,
    /// Workers waiting for work: a worker that adds a branch wakes one.
    idle: AtomicUsize,
    /// Each worker's current path (its decision points), where idle workers look for work:
    /// every point with an untried branch has an open unit, so lies on a running worker's
    /// path.
    paths: Vec<Mutex<Vec<Arc<Node>>>>,
    stop: AtomicBool,
    executions: AtomicU64,
    redundant: AtomicU64,
    max_depth: AtomicUsize,
    /// Units run per worker (for the load balance).
    runs: Vec<AtomicU64>,
}

#[derive(Default)]
struct Pool {
    /// Workers holding a unit.
    active: usize,
    done: bool,
}

impl Shared {
    /// A decision point gained a branch to try: wake an idle worker, if one waits.
    fn offer(&self) {
        if self.idle.load(Ordering::SeqCst) > 0 {
            self.wake.notify_one();
        }
    }

    /// An idle worker's next unit: the untried branch of the shallowest point on another
    /// worker's path, as a path from the root; `None` when the search is over (or stopped).
    /// `held`: whether this worker held a unit until now.
    fn steal(&self, w: usize, held: bool) -> Option<Vec<Step>> {
        lock(&self.paths[w]).clear();
        let mut pool = lock(&self.pool);
        if held {
            pool.active -= 1;
        }
        self.idle.fetch_add(1, Ordering::SeqCst);
        let found = loop {
            if pool.done || self.stop.load(Ordering::SeqCst) {
                pool.done = true;
                self.wake.notify_all();
                break None;
            }
            let paths: Vec<Vec<Arc<Node>>> = self.paths.iter().map(|p| lock(p).clone()).collect();
            let deepest = paths.iter().map(Vec::len).max().unwrap_or(0);
            let unit = (0..deepest).find_map(|d| {
                paths.iter().filter_map(|p| p.get(d)).find_map(|node| {
                    let mut st = lock(&node.st);
                    node.claim_next(&mut st).map(|u| (node.clone(), u))
                })
            });
            if let Some((node, (claim, thread, variant))) = unit {
                pool.active += 1;
                break Some(path_to(node, claim, thread, variant));
            }
            if pool.active == 0 {
                pool.done = true;
                self.wake.notify_all();
                break None;
            }
            pool = self
                .wake
                .wait_timeout(pool, Duration::from_millis(2))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        };
        self.idle.fetch_sub(1, Ordering::SeqCst);
        found
    }
}

/// The path from the root to `node`, then the branch claimed there.
fn path_to(node: Arc<Node>, claim: usize, thread: usize, variant: usize) -> Vec<Step> {
    let mut path = vec![Step::new(node, claim, thread, variant)];
    while let Some((up, c, t, v)) = path.last().and_then(|s| s.node.from.clone()) {
        path.push(Step::new(up, c, t, v));
    }
    path.reverse();
    path
}

/// The parallel search's [`Chooser`]: replays the path, then makes new decision points
/// (claiming their first branch) as the sequential search does.
struct Walk<'a> {
    path: &'a mut Vec<Step>,
    depth: usize,
    shared: &'a Shared,
    blocked_by_sleep: bool,
    /// The first level whose claim this run may be the first to step (above it, every
    /// claim's transition is recorded already).
    fresh_from: usize,
    /// The run was abandoned (the search stopped while it waited for a sibling).
    abandoned: bool,
}

/// The sleep set of a new decision point below `parent`: the parent's sleepers and the
/// branches claimed there before this one, unless dependent with the step taken (`trans`).
/// `None` if the search stopped while a sibling claimed before had not yet taken its step.
fn sleep_below(shared: &Shared, parent: &Step) -> Option<Vec<(usize, Vec<Access>)>> {
    loop {
        {
            let st = lock(&parent.node.st);
            let before = &st.claims[..parent.claim];
            if before.iter().all(|c| c.trans.is_some()) {
                return Some(
                    parent
                        .node
                        .sleep
                        .iter()
                        .cloned()
                        .chain(
                            before
                                .iter()
                                .map(|c| (c.thread, c.trans.clone().unwrap_or_default())),
                        )
                        .filter(|(q, acc)| *q != parent.thread && !conflict(acc, &parent.trans))
                        .collect(),
                );
            }
        }
        // A sibling claimed before this branch has not taken its step yet: it will, within
        // the few steps of its replay.
        if shared.stop.load(Ordering::SeqCst) {
            return None;
        }
        std::thread::yield_now();
    }
}

impl<T: Send + 'static> Chooser<T> for Walk<'_> {
    fn thread(&mut self, ex: &Execution<T>, enabled: &[usize]) -> Option<usize> {
        let depth = self.depth;
        if depth == self.path.len() {
            let (sleep, from, last) = match depth.checked_sub(1) {
                None => (Vec::new(), None, None),
                Some(p) => {
                    let parent = &self.path[p];
                    let Some(sleep) = sleep_below(self.shared, parent) else {
                        self.abandoned = true;
                        return None;
                    };
                    let from = (
                        parent.node.clone(),
                        parent.claim,
                        parent.thread,
                        parent.variant,
                    );
                    (sleep, Some(from), Some(parent.thread))
                }
            };
            let Some(t) = first_choice(ex, enabled, &sleep, last) else {
                self.blocked_by_sleep = true;
                return None;
            };
            let node = Arc::new(Node {
                enabled: enabled.to_vec(),
                sleep,
                from,
                st: Mutex::new(PointState {
                    backtrack: BTreeSet::from([t]),
                    claims: vec![Claim {
                        thread: t,
                        trans: None,
                        variants: None,
                        next_variant: 1,
                    }],
                    open: 1,
                }),
            });
            self.path.push(Step::new(node, 0, t, 0));
        }
        let s = &mut self.path[depth];
        debug_assert_eq!(
            s.node.enabled, enabled,
            "a replayed prefix reaches the same state"
        );
        s.pos = ex.history.len();
        s.waiters.clear();
        Some(s.thread)
    }

    fn waiter(&mut self, _ex: &Execution<T>, _t: usize, options: &[usize]) -> Option<usize> {
        let s = &mut self.path[self.depth];
        s.waiters = options.to_vec();
        options.get(s.variant).copied()
    }

    fn stepped(&mut self, ex: &Execution<T>, _t: usize) {
        let s = &mut self.path[self.depth];
        s.trans = ex.history[s.pos..]
            .iter()
            .flat_map(|r| r.accesses.iter().copied())
            .collect();
        let more = self.depth >= self.fresh_from && {
            let mut st = lock(&s.node.st);
            let c = &mut st.claims[s.claim];
            c.trans.is_none() && {
                c.trans = Some(s.trans.clone());
                c.variants = Some(s.waiters.len().max(1));
                s.waiters.len() > 1
            }
        };
        if more {
            self.shared.offer();
        }
        self.depth += 1;
    }
}

/// [`super::explore`] on `jobs` threads: the same classes, each explored once (see the
/// module docs); `visit` is called from every worker. Returns the stats and the runs each
/// worker made (the load balance).
pub fn explore_parallel<T: Send + 'static>(
    jobs: usize,
    threads: usize,
    max_steps: u64,
    record: bool,
    kernel: impl Fn() -> T + Send + Sync + Clone + 'static,
    visit: &(dyn Fn(Visit<'_, T>) -> bool + Sync),
) -> (Stats, Vec<u64>) {
    let jobs = jobs.max(1);
    let shared = Shared {
        pool: Mutex::new(Pool {
            active: 1,
            ..Pool::default()
        }),
        wake: Condvar::new(),
        idle: AtomicUsize::new(0),
        paths: (0..jobs).map(|_| Mutex::new(Vec::new())).collect(),
        stop: AtomicBool::new(false),
        executions: AtomicU64::new(0),
        redundant: AtomicU64::new(0),
        max_depth: AtomicUsize::new(0),
        runs: (0..jobs).map(|_| AtomicU64::new(0)).collect(),
    };
    // The settings of the world are per thread: every worker takes the caller's.
    let spurious = crate::rt::sched::spurious_wakeups();
    let fifo = crate::rt::sched::fifo_notify();
    std::thread::scope(|s| {
        for w in 0..jobs {
            let (shared, kernel) = (&shared, kernel.clone());
            std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(s, move || {
                    crate::rt::sched::with_spurious_wakeups(spurious, || {
                        crate::rt::sched::with_fifo_notify(fifo, || {
                            // Worker 0 starts at the root; the others wait for work.
                            let first = (w == 0).then(Vec::new);
                            work(w, first, shared, threads, max_steps, record, &kernel, visit)
                        })
                    })
                })
                .expect("a search thread starts");
        }
    });
    let stopped = shared.stop.load(Ordering::SeqCst);
    let stats = Stats {
        executions: shared.executions.load(Ordering::SeqCst),
        redundant: shared.redundant.load(Ordering::SeqCst),
        complete: !stopped,
        max_depth: shared.max_depth.load(Ordering::SeqCst),
    };
    let runs = shared
        .runs
        .iter()
        .map(|r| r.load(Ordering::SeqCst))
        .collect();
    (stats, runs)
}

/// One worker: runs its unit's executions, backtracking as the sequential search does,
/// until nothing is left above it to do; then steals.
#[allow(clippy::too_many_arguments)]
fn work<T: Send + 'static>(
    w: usize,
    first: Option<Vec<Step>>,
    shared: &Shared,
    threads: usize,
    max_steps: u64,
    record: bool,
    kernel: &(impl Fn() -> T + Send + Sync + Clone + 'static),
    visit: &(dyn Fn(Visit<'_, T>) -> bool + Sync),
) {
    let mut held = first.is_some();
    let mut next = first;
    loop {
        let mut path = match next.take() {
            Some(p) => p,
            None => match shared.steal(w, std::mem::replace(&mut held, true)) {
                Some(p) => p,
                None => return,
            },
        };
        // Run executions until this worker's part of the tree is finished.
        loop {
            if shared.stop.load(Ordering::SeqCst) {
                break;
            }
            shared.runs[w].fetch_add(1, Ordering::Relaxed);
            let mut ex = Execution::start(threads, record, max_steps, kernel.clone());
            ex.keep_history();
            let fresh_from = path.len().saturating_sub(1);
            let mut walk = Walk {
                path: &mut path,
                depth: 0,
                fresh_from,
                shared,
                blocked_by_sleep: false,
                abandoned: false,
            };
            drive(&mut ex, &mut walk);
            let (depth, blocked_by_sleep, abandoned) =
                (walk.depth, walk.blocked_by_sleep, walk.abandoned);
            if abandoned {
                break;
            }
            shared.max_depth.fetch_max(depth, Ordering::Relaxed);
            path.truncate(depth);
            if shared.idle.load(Ordering::Relaxed) > 0 {
                // Idle workers look for work on this path.
                *lock(&shared.paths[w]) = path.iter().map(|s| s.node.clone()).collect();
            }
            // The races of this execution add branches, to points anywhere on the path.
            let blocked = ex.blocked_acquires();
            let points: Vec<Point> = path
                .iter()
                .map(|s| Point {
                    pos: s.pos,
                    enabled: &s.node.enabled,
                })
                .collect();
            for (k, init) in races(&points, &ex.history, &blocked) {
                let node = &path[k].node;
                let mut st = lock(&node.st);
                if let Some(q) = reversal(&init, &node.enabled, &st.backtrack, &node.sleep) {
                    st.backtrack.insert(q);
                    drop(st);
                    shared.offer();
                }
            }
            if blocked_by_sleep {
                shared.redundant.fetch_add(1, Ordering::Relaxed);
            } else {
                shared.executions.fetch_add(1, Ordering::Relaxed);
                let schedule: Vec<usize> = path
                    .iter()
                    .flat_map(|s| {
                        let t = (s.node.enabled.len() > 1).then_some(s.thread);
                        t.into_iter().chain(s.waiters.get(s.variant).copied())
                    })
                    .collect();
                let history = std::mem::take(&mut ex.history);
                let (result, events, end) = ex.finish();
                let go = visit(Visit {
                    result,
                    end: &end,
                    events,
                    schedule: &schedule,
                    steps: depth,
                    history: &history,
                });
                if !go {
                    shared.stop.store(true, Ordering::SeqCst);
                    shared.wake.notify_all();
                    break;
                }
            }
            // Backtrack: finish units from the deepest up, until one has a branch to try
            // (take it) or one still has open units elsewhere (leave it to them).
            let mut d = path.len();
            let taken = loop {
                let Some(k) = d.checked_sub(1) else {
                    // The root is finished: the whole search is.
                    let mut pool = lock(&shared.pool);
                    pool.done = true;
                    shared.wake.notify_all();
                    break None;
                };
                d = k;
                let node = path[d].node.clone();
                let mut st = lock(&node.st);
                st.open -= 1;
                if let Some(unit) = node.claim_next(&mut st) {
                    break Some((node.clone(), unit));
                }
                if st.open > 0 {
                    break None;
                }
            };
            match taken {
                Some((node, (claim, thread, variant))) => {
                    path.truncate(d);
                    path.push(Step::new(node, claim, thread, variant));
                }
                None => break,
            }
        }
    }
}
