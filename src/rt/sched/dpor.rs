//! Exhaustive search of the scheduled world: every sequentially consistent interleaving up
//! to equivalence, by source-set dynamic partial-order reduction with sleep sets (Abdulla,
//! Aronis, Jonsson, Sagonas, "Optimal Dynamic Partial Order Reduction", POPL 2014,
//! Algorithm 1).
//!
//! **Events.** An execution is a sequence of events: each step of a worker (its pending
//! operation and the local code after it, up to its next decision point), and each visible
//! operation of main (main is a thread of its own here; it runs whenever it can, so its
//! events follow the worker step that unblocked them and add no decision points).
//!
//! **The dependency relation** (`Access::conflicts`): two events are dependent when they
//! touch the same object and at least one writes it. Locking, unlocking, a `wait` (which
//! releases its mutex and joins the condvar's sleepers), a wake-up (which leaves the
//! sleepers and takes the mutex again), a `notify`, a send and a receive write their lock,
//! condvar or channel; a read-lock and a read-unlock *read* their rwlock (they commute with
//! each other, not with a writer); a failed `try_lock` reads its lock; a worker's last step
//! writes its thread, which a join reads; the step that resumes a yielder reads what the
//! yielder read (a write to it is what woke it). Two interleavings that differ only in the
//! order of independent events are one class (a Mazurkiewicz trace): the search runs one
//! execution per class, and [`trace_key`] names a class for the brute-force checks.
//!
//! **Races and reversals.** After each execution, every race `e ⋖ e'` (dependent events of
//! different threads, `e` before `e'`, and no other path of happens-before between them) is
//! reversed at the decision point before `e`: with `v` the events after `e` that do not
//! depend on it, followed by `e'`, some *initial* of `v` (a thread whose first event in `v`
//! has no predecessor in `v`) is added there unless one already is, or sleeps there. A
//! blocking acquire of a lock is not raced with the release before it (that order cannot be
//! reversed) but with the acquire the release ended; a worker still waiting for a lock when
//! the execution ends counts as an acquire at the end. A race whose earlier event is main's
//! is reversed before the worker step main's event followed.
//!
//! **Sleep sets.** A thread explored at a decision point sleeps in the subtrees of the
//! threads tried after it, until a step dependent with its own wakes it; a point where every
//! enabled thread sleeps ends the execution early (counted in [`Stats::redundant`]: the
//! class was explored already). So every explored complete execution is a different class,
//! and every class is explored (the tests count both against brute force).
//!
//! **Notify choices.** When a step is a `notify_one` with two or more sleepers, which
//! sleeper wakes is part of the decision: each choice is explored, as a variant of the step.

mod canonical;
mod parallel;

pub use canonical::{canonical_order, canonical_run};
pub use parallel::explore_parallel;

use super::drive::{drive, Chooser};
use super::exec::{End, Execution};
use super::world::{Access, ObjId, StepRec};
use crate::trace::MAIN;
use std::collections::{BTreeSet, HashMap};

/// One decision point on the current path.
///
/// Invariants: `backtrack` holds enabled threads only, `chosen` is in it; `done` ⊆
/// `backtrack`; a thread in `sleep` is never chosen here.
struct Frame {
    enabled: Vec<usize>,
    /// Threads to try here (explored, being explored, or to come).
    backtrack: BTreeSet<usize>,
    /// Threads fully explored here, with the accesses of their transition.
    done: Vec<(usize, Vec<Access>)>,
    /// Threads asleep here (their transition commutes with every step since they were
    /// explored), with the accesses of that transition.
    sleep: Vec<(usize, Vec<Access>)>,
    /// The thread taken on the current path.
    chosen: usize,
    /// If its step has choices (a `notify_one` with two or more sleepers, a weak
    /// compare-exchange that may fail spuriously): the choices, and which one this path takes.
    waiters: Vec<usize>,
    variant: usize,
    /// Whether `waiters` was computed for the current `chosen`.
    waiters_known: bool,
    /// What the chosen transition touched: the worker's step and main's events after it.
    trans: Vec<Access>,
    /// What it touched in any of its variants so far: a thread done or asleep here stands
    /// for every variant of its step, so it conflicts with what any of them touches.
    trans_all: Vec<Access>,
    /// Where the chosen step is in the execution's history.
    pos: usize,
}

/// What the search did.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Executions run to their end: one per equivalence class.
    pub executions: u64,
    /// Executions cut short because every enabled thread was asleep (their class was
    /// explored already).
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
    /// The choices at decision points (two or more threads could go, or a `notify_one`
    /// could wake two or more sleepers): the schedule that replays this execution.
    pub schedule: &'a [usize],
    /// Steps the workers took.
    pub steps: usize,
    /// The execution's events as the search saw them (for counting classes).
    pub history: &'a [StepRec],
}

fn conflict(a: &[Access], b: &[Access]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.conflicts(*y)))
}

/// The thread a new decision point tries first, of those `enabled` not in `sleep`; `None`
/// if every one sleeps (the run is redundant). Any choice is sound; the default order's (the
/// last thread keeps going unless it yielded, then the next one) makes the first executions
/// read like stories, and finds a livelock's lockstep rather than one thread spinning alone
/// while another could go.
fn first_choice<T: Send + 'static>(
    ex: &Execution<T>,
    enabled: &[usize],
    sleep: &[(usize, Vec<Access>)],
    last: Option<usize>,
) -> Option<usize> {
    let awake: Vec<usize> = enabled
        .iter()
        .copied()
        .filter(|t| !sleep.iter().any(|(q, _)| q == t))
        .collect();
    let first = *awake.first()?;
    Some(match last {
        Some(l) if awake.contains(&l) && !ex.yielded(l) => l,
        Some(l) => awake.iter().copied().find(|&t| t > l).unwrap_or(first),
        None => first,
    })
}

/// Where a race's reversal goes at a decision point: the first of its initials `init` that
/// is enabled there, unless one of them is already to be tried there or sleeps there.
fn reversal(
    init: &[usize],
    enabled: &[usize],
    backtrack: &BTreeSet<usize>,
    sleep: &[(usize, Vec<Access>)],
) -> Option<usize> {
    let covered = init
        .iter()
        .any(|q| backtrack.contains(q) || sleep.iter().any(|(s, _)| s == q));
    if covered {
        return None;
    }
    init.iter().copied().find(|q| enabled.contains(q))
}

/// The search's [`Chooser`]: replays the stack's choices, then extends the stack with new
/// decision points (their sleep sets from the parent's), stopping a run that only sleeping
/// threads could continue.
struct Frames<'s> {
    stack: &'s mut Vec<Frame>,
    /// The step reached: frames below it are this execution's.
    depth: usize,
    /// Every enabled thread sleeps here: the run is redundant.
    blocked_by_sleep: bool,
}

impl<T: Send + 'static> Chooser<T> for Frames<'_> {
    fn thread(&mut self, ex: &Execution<T>, enabled: &[usize]) -> Option<usize> {
        let (stack, depth) = (&mut *self.stack, self.depth);
        if depth == stack.len() {
            // A new decision point: its sleep set comes from the parent's.
            let sleep: Vec<(usize, Vec<Access>)> = match depth.checked_sub(1) {
                None => Vec::new(),
                Some(p) => {
                    let parent = &stack[p];
                    parent
                        .sleep
                        .iter()
                        .chain(parent.done.iter())
                        .filter(|(q, acc)| *q != parent.chosen && !conflict(acc, &parent.trans))
                        .cloned()
                        .collect()
                }
            };
            let last = depth.checked_sub(1).map(|p| stack[p].chosen);
            let Some(t) = first_choice(ex, enabled, &sleep, last) else {
                self.blocked_by_sleep = true;
                return None;
            };
            stack.push(Frame {
                enabled: enabled.to_vec(),
                backtrack: BTreeSet::from([t]),
                done: Vec::new(),
                sleep,
                chosen: t,
                waiters: Vec::new(),
                variant: 0,
                waiters_known: false,
                trans: Vec::new(),
                trans_all: Vec::new(),
                pos: 0,
            });
        }
        let f = &mut stack[depth];
        debug_assert_eq!(
            f.enabled, enabled,
            "a replayed prefix reaches the same state"
        );
        if !f.waiters_known {
            // A new choice here: its sleepers, if its step is a notify_one, come to
            // `waiter` (the driver asks for them once per step).
            f.waiters.clear();
            f.variant = 0;
            f.waiters_known = true;
        }
        f.pos = ex.history.len();
        Some(f.chosen)
    }

    fn waiter(&mut self, _ex: &Execution<T>, _t: usize, options: &[usize]) -> Option<usize> {
        let f = &mut self.stack[self.depth];
        if f.waiters.is_empty() {
            f.waiters = options.to_vec();
        }
        f.waiters.get(f.variant).copied()
    }

    fn stepped(&mut self, ex: &Execution<T>, _t: usize) {
        let f = &mut self.stack[self.depth];
        f.trans = ex.history[f.pos..]
            .iter()
            .flat_map(|r| r.accesses.iter().copied())
            .collect();
        if f.variant == 0 {
            f.trans_all.clear();
        }
        for a in &f.trans {
            if !f.trans_all.contains(a) {
                f.trans_all.push(*a);
            }
        }
        self.depth += 1;
    }
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
        let mut ex = Execution::start(threads, record, max_steps, kernel.clone());
        ex.keep_history();
        let mut frames = Frames {
            stack: &mut stack,
            depth: 0,
            blocked_by_sleep: false,
        };
        drive(&mut ex, &mut frames);
        let (depth, blocked_by_sleep) = (frames.depth, frames.blocked_by_sleep);
        stats.max_depth = stats.max_depth.max(depth);
        // The races of this execution add backtrack points.
        let blocked = ex.blocked_acquires();
        add_backtracks(&mut stack[..depth], &ex.history, &blocked);
        let schedule: Vec<usize> = stack[..depth]
            .iter()
            .flat_map(|f| {
                let t = (f.enabled.len() > 1).then_some(f.chosen);
                t.into_iter().chain(f.waiters.get(f.variant).copied())
            })
            .collect();
        let keep_going = if blocked_by_sleep {
            stats.redundant += 1;
            drop(ex);
            true
        } else {
            stats.executions += 1;
            let history = std::mem::take(&mut ex.history);
            let (result, events, end) = ex.finish();
            visit(Visit {
                result,
                end: &end,
                events,
                schedule: &schedule,
                steps: depth,
                history: &history,
            })
        };
        if !keep_going {
            return stats;
        }
        // Backtrack: the next waiter of the deepest notify, or the deepest frame with an
        // untried thread that is not asleep.
        stack.truncate(depth);
        loop {
            let Some(f) = stack.last_mut() else {
                stats.complete = true;
                return stats;
            };
            if f.variant + 1 < f.waiters.len() {
                f.variant += 1;
                break;
            }
            let chosen = f.chosen;
            f.trans.clear();
            let acc = std::mem::take(&mut f.trans_all);
            if !f.done.iter().any(|(q, _)| *q == chosen) {
                f.done.push((chosen, acc));
            }
            let next = f.backtrack.iter().copied().find(|q| {
                !f.done.iter().any(|(d, _)| d == q) && !f.sleep.iter().any(|(s, _)| s == q)
            });
            match next {
                Some(q) => {
                    f.chosen = q;
                    f.waiters_known = false;
                    break;
                }
                None => {
                    stack.pop();
                }
            }
        }
    }
}

/// Happens-before over one execution's events, by vector clocks: `clock[j][u]` is one
/// more than the position of the last event of thread `u` that happens before event `j`
/// (or is `j`); 0 if none.
struct Hb<'a> {
    history: &'a [StepRec],
    /// Threads as clock indices: workers `0..w`, main `w`.
    slots: usize,
    clock: Vec<Vec<u32>>,
}

impl Hb<'_> {
    fn slot(&self, t: usize) -> usize {
        if t == MAIN {
            self.slots - 1
        } else {
            t
        }
    }
    /// Whether event `i` happens before (or is) an event whose clock is `c`.
    fn before(&self, i: usize, c: &[u32]) -> bool {
        c[self.slot(self.history[i].thread)] as usize > i
    }
}

/// Per object: the last event that wrote it and the events that read it since.
#[derive(Default, Clone)]
struct LastAccess {
    write: Option<usize>,
    reads: Vec<usize>,
}

/// The events an event of `accesses` directly depends on (last write; for a write, also
/// the reads since), given the accesses so far.
fn direct_preds(accesses: &[Access], last: &HashMap<ObjId, LastAccess>) -> Vec<usize> {
    let mut d = Vec::new();
    for a in accesses {
        if let Some(l) = last.get(&a.obj()) {
            d.extend(l.write);
            if matches!(a, Access::Write(_)) {
                d.extend(l.reads.iter().copied());
            }
        }
    }
    d.sort_unstable();
    d.dedup();
    d
}

/// Source-DPOR's race reversal over a finished path (see the module docs), on the
/// sequential search's stack.
fn add_backtracks(stack: &mut [Frame], history: &[StepRec], blocked: &[(usize, ObjId, bool)]) {
    let points: Vec<Point> = stack
        .iter()
        .map(|f| Point {
            pos: f.pos,
            enabled: &f.enabled,
        })
        .collect();
    for (k, init) in races(&points, history, blocked) {
        let f = &mut stack[k];
        if let Some(q) = reversal(&init, &f.enabled, &f.backtrack, &f.sleep) {
            f.backtrack.insert(q);
        }
    }
}

/// A decision point of a finished path, as the race analysis sees it: where its step is in
/// the history, and which threads could go there.
struct Point<'a> {
    pos: usize,
    enabled: &'a [usize],
}

/// The races of a finished path (see the module docs), each as the decision point where it
/// is reversed and the initials of the reversal (one of them must be tried there, unless
/// one is already or sleeps there). `blocked` are the workers still waiting for a lock at
/// the end (each counts as an acquire there).
fn races(
    stack: &[Point],
    history: &[StepRec],
    blocked: &[(usize, ObjId, bool)],
) -> Vec<(usize, Vec<usize>)> {
    let n = history.len();
    let workers = history
        .iter()
        .map(|r| r.thread)
        .filter(|&t| t != MAIN)
        .chain(stack.iter().flat_map(|f| f.enabled.iter().copied()))
        .chain(blocked.iter().map(|b| b.0))
        .max()
        .map_or(0, |m| m + 1);
    let mut hb = Hb {
        history,
        slots: workers + 1,
        clock: Vec::with_capacity(n),
    };
    // The decision point of each worker step; for main's events, the worker step before.
    let mut frame_at: Vec<Option<usize>> = vec![None; n];
    for (k, f) in stack.iter().enumerate() {
        frame_at[f.pos] = Some(k);
    }
    let mut trigger: Vec<Option<usize>> = vec![None; n];
    let mut last_frame = None;
    for i in 0..n {
        if frame_at[i].is_some() {
            last_frame = Some(i);
        }
        trigger[i] = last_frame;
    }
    let mut last: HashMap<ObjId, LastAccess> = HashMap::new();
    let mut last_of: Vec<Option<usize>> = vec![None; workers + 1];
    // The last event of each thread that acquired each lock.
    let mut acquired_by: HashMap<(usize, ObjId), usize> = HashMap::new();
    let mut races: Vec<(usize, Vec<usize>)> = Vec::new(); // (frame, initials of v)
    let check = |hb: &Hb,
                 thread: usize,
                 accesses: &[Access],
                 acquires: &[(ObjId, bool)],
                 prev: Option<usize>,
                 preds: &[usize],
                 at: usize,
                 acquired_by: &HashMap<(usize, ObjId), usize>,
                 races: &mut Vec<(usize, Vec<usize>)>| {
        let _ = accesses;
        for &d in preds {
            let dr = &history[d];
            if dr.thread == thread {
                continue;
            }
            // A blocking acquire races with the acquire its lock's release ended, not with
            // the release (which it could never precede).
            let released = acquires
                .iter()
                .find(|(m, blocking)| *blocking && dr.released.contains(m));
            let mut e = match released {
                Some((m, _)) => match acquired_by.get(&(dr.thread, *m)) {
                    Some(&a) => a,
                    None => continue,
                },
                None => d,
            };
            if history[e].thread == MAIN {
                // Main's events follow the worker step that unblocked them.
                match trigger[e] {
                    Some(w) => e = w,
                    None => continue,
                }
            }
            // The past of e' without the edge from d.
            let mut past = match prev {
                Some(k) => hb.clock[k].clone(),
                None => vec![0; hb.slots],
            };
            for &d2 in preds {
                if d2 != d {
                    for (a, b) in past.iter_mut().zip(&hb.clock[d2]) {
                        *a = (*a).max(*b);
                    }
                }
            }
            if hb.before(e, &past) {
                continue; // ordered by another path: not a race
            }
            let Some(frame) = frame_at[e] else { continue };
            races.push((frame, initials(hb, e, at, thread, &past)));
        }
    };
    for (j, r) in history.iter().enumerate() {
        let preds = direct_preds(&r.accesses, &last);
        let s = hb.slot(r.thread);
        check(
            &hb,
            r.thread,
            &r.accesses,
            &r.acquired,
            last_of[s],
            &preds,
            j,
            &acquired_by,
            &mut races,
        );
        let mut c = match last_of[s] {
            Some(k) => hb.clock[k].clone(),
            None => vec![0; hb.slots],
        };
        for &d in &preds {
            for (a, b) in c.iter_mut().zip(&hb.clock[d]) {
                *a = (*a).max(*b);
            }
        }
        c[s] = j as u32 + 1;
        hb.clock.push(c);
        last_of[s] = Some(j);
        for a in &r.accesses {
            let l = last.entry(a.obj()).or_default();
            match a {
                Access::Write(_) => {
                    l.write = Some(j);
                    l.reads.clear();
                }
                Access::Read(_) => {
                    if l.reads.last() != Some(&j) && l.write != Some(j) {
                        l.reads.push(j);
                    }
                }
            }
        }
        for &(m, _) in &r.acquired {
            acquired_by.insert((r.thread, m), j);
        }
    }
    for &(t, m, shared) in blocked {
        let acc = [if shared {
            Access::Read(m)
        } else {
            Access::Write(m)
        }];
        let preds = direct_preds(&acc, &last);
        check(
            &hb,
            t,
            &acc,
            &[(m, true)],
            last_of[t],
            &preds,
            n,
            &acquired_by,
            &mut races,
        );
    }
    races
}

/// The initials of `v` = the events after `e` that do not happen after it, then `e'` (at
/// position `at`, of `thread`, with happens-before past `past`): the threads whose first
/// event in `v` has no predecessor in `v`. Main is never an initial (it is not chosen).
fn initials(hb: &Hb, e: usize, at: usize, thread: usize, past: &[u32]) -> Vec<usize> {
    let history = hb.history;
    // The first event of each thread in v.
    let mut first: Vec<Option<usize>> = vec![None; hb.slots];
    for (x, rx) in history.iter().enumerate().take(at).skip(e + 1) {
        let s = hb.slot(rx.thread);
        if first[s].is_none() && !hb.before(e, &hb.clock[x]) {
            first[s] = Some(x);
        }
    }
    let s_new = hb.slot(thread);
    let mut out = Vec::new();
    for s in 0..hb.slots {
        let (x, c): (usize, &[u32]) = match first[s] {
            Some(x) => (x, &hb.clock[x]),
            None if s == s_new => (at, past),
            None => continue,
        };
        let t = if x == at { thread } else { history[x].thread };
        if t == MAIN {
            continue;
        }
        let has_pred = (0..hb.slots)
            .filter(|&u| u != s)
            .any(|u| first[u].is_some_and(|fu| c[u] as usize > fu));
        if !has_pred {
            out.push(t);
        }
    }
    out
}

/// A cheap name for the class of an execution, in time linear in its length: per thread,
/// each step's accesses, each with how many writes to its object came before it (in every
/// interleaving of a class, dependent accesses keep their order, so these counts are the
/// class's), and the sleeper a `notify_one` woke — hashed. Orders failing classes the same
/// way whichever search, sequential or parallel, found them (two classes with one hash are
/// told apart by [`trace_key`]).
pub fn class_hash(history: &[StepRec]) -> u64 {
    fn mix(h: u64, x: u64) -> u64 {
        (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95)
    }
    let mut writes: Vec<u32> = Vec::new();
    let mut per_thread: Vec<(usize, u64)> = Vec::new();
    for r in history {
        let mut h = r.woke.map_or(1, |w| w as u64 + 2);
        for &a in &r.accesses {
            let o = a.obj();
            if o >= writes.len() {
                writes.resize(o + 1, 0);
            }
            let write = matches!(a, Access::Write(_));
            h = mix(
                h,
                ((o as u64) << 33) | ((write as u64) << 32) | writes[o] as u64,
            );
            writes[o] += write as u32;
        }
        match per_thread.iter_mut().find(|(t, _)| *t == r.thread) {
            Some((_, th)) => *th = mix(*th, h),
            None => per_thread.push((r.thread, mix(0, h))),
        }
    }
    per_thread.sort_unstable();
    per_thread
        .into_iter()
        .fold(0, |acc, (t, h)| mix(mix(acc, t as u64), h))
}

/// A class's name ([`trace_key`]).
pub type Key = Vec<(usize, Vec<Access>, Option<usize>)>;

/// A name for the class (Mazurkiewicz trace) of an execution: its events in the least
/// order (by thread, then position in the thread) that keeps every dependent pair as the
/// execution ordered it, each with what it touched. Two executions have the same key
/// exactly when they order their dependent events alike.
pub fn trace_key(history: &[StepRec]) -> Key {
    let n = history.len();
    let mut indeg = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for j in 0..n {
        for i in 0..j {
            let (a, b) = (&history[i], &history[j]);
            if a.thread == b.thread || conflict(&a.accesses, &b.accesses) {
                succ[i].push(j);
                indeg[j] += 1;
            }
        }
    }
    // Kahn's algorithm, always taking the ready event of the least thread (main last).
    let rank = |i: usize| (history[i].thread, i);
    let mut ready: BTreeSet<(usize, usize)> = (0..n).filter(|&i| indeg[i] == 0).map(rank).collect();
    let mut out = Vec::with_capacity(n);
    while let Some((_, i)) = ready.pop_first() {
        out.push((
            history[i].thread,
            history[i].accesses.clone(),
            history[i].woke,
        ));
        for &j in &succ[i] {
            indeg[j] -= 1;
            if indeg[j] == 0 {
                ready.insert(rank(j));
            }
        }
    }
    out
}

/// One choice of [`explore_naive`]: a thread, and the sleeper its `notify_one` wakes.
type Choice = (usize, Option<usize>);

/// [`explore_naive`]'s [`Chooser`]: at each step, the current one of every (thread, waiter)
/// choice there is.
struct Every<'p> {
    /// Per step: the index of the choice taken, and the choices.
    path: &'p mut Vec<(usize, Vec<Choice>)>,
    depth: usize,
}

impl<T: Send + 'static> Chooser<T> for Every<'_> {
    fn thread(&mut self, ex: &Execution<T>, enabled: &[usize]) -> Option<usize> {
        if self.depth == self.path.len() {
            let choices: Vec<Choice> = enabled
                .iter()
                .flat_map(|&t| {
                    let w = ex.notify_options(t);
                    if w.is_empty() {
                        vec![(t, None)]
                    } else {
                        w.into_iter().map(|x| (t, Some(x))).collect()
                    }
                })
                .collect();
            self.path.push((0, choices));
        }
        let (i, choices) = &self.path[self.depth];
        Some(choices[*i].0)
    }

    fn waiter(&mut self, _ex: &Execution<T>, _t: usize, _options: &[usize]) -> Option<usize> {
        let (i, choices) = &self.path[self.depth];
        choices[*i].1
    }

    fn stepped(&mut self, _ex: &Execution<T>, _t: usize) {
        self.depth += 1;
    }
}

/// All interleavings, with no reduction: every enabled thread (and every waiter a
/// `notify_one` may wake) at every decision point. Only for checking the reduced search on
/// small models; `visit` also gets each execution's events.
pub fn explore_naive<T: Send + 'static>(
    threads: usize,
    max_steps: u64,
    kernel: impl Fn() -> T + Send + Sync + Clone + 'static,
    mut visit: impl FnMut(Option<T>, &End, &[StepRec]) -> bool,
) -> u64 {
    let mut path: Vec<(usize, Vec<Choice>)> = Vec::new();
    let mut runs = 0;
    loop {
        let mut ex = Execution::start(threads, false, max_steps, kernel.clone());
        ex.keep_history();
        let mut every = Every {
            path: &mut path,
            depth: 0,
        };
        drive(&mut ex, &mut every);
        let depth = every.depth;
        runs += 1;
        let history = std::mem::take(&mut ex.history);
        let (result, _, end) = ex.finish();
        if !visit(result, &end, &history) {
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
