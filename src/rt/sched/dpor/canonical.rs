//! One interleaving to show for a class, whichever search found it: the parallel search
//! reaches a class by whichever of its interleavings its workers happened to take, so a
//! failing execution is shown as its class's *canonical* interleaving — the same one for
//! every `--jobs`, and as readable as the default order: the thread that just went keeps
//! going while it can, else the next thread after it.

use super::conflict;
use crate::rt::sched::drive::{drive, Chooser};
use crate::rt::sched::exec::{End, Execution};
use crate::rt::sched::world::{Access, StepRec};
use crate::trace::{Event, MAIN};
use std::collections::BTreeSet;

/// The worker steps of `history`'s class in canonical order, each with the sleeper its
/// `notify_one` woke. Main's events ride with the worker step before them (main runs as
/// soon as it can, so they follow that step in every interleaving of the class).
pub fn canonical_order(history: &[StepRec]) -> Vec<(usize, Option<usize>)> {
    // Transitions: a worker step and main's events after it.
    let mut steps: Vec<(usize, Option<usize>, Vec<Access>)> = Vec::new();
    for r in history {
        match steps.last_mut() {
            Some(last) if r.thread == MAIN => last.2.extend(r.accesses.iter().copied()),
            _ if r.thread == MAIN => steps.push((MAIN, None, r.accesses.clone())),
            _ => steps.push((r.thread, r.woke, r.accesses.clone())),
        }
    }
    let n = steps.len();
    let mut indeg = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for j in 0..n {
        for i in 0..j {
            if steps[i].0 == steps[j].0 || conflict(&steps[i].2, &steps[j].2) {
                succ[i].push(j);
                indeg[j] += 1;
            }
        }
    }
    let mut ready: BTreeSet<(usize, usize)> = (0..n)
        .filter(|&i| indeg[i] == 0)
        .map(|i| (steps[i].0, i))
        .collect();
    let mut out = Vec::with_capacity(n);
    let mut last: Option<usize> = None;
    while !ready.is_empty() {
        let pick = last
            .and_then(|l| ready.range((l, 0)..).next().copied())
            .or_else(|| ready.first().copied());
        let Some((t, i)) = pick else { break };
        ready.remove(&(t, i));
        last = Some(t);
        if t != MAIN {
            out.push((t, steps[i].1));
        }
        for &j in &succ[i] {
            indeg[j] -= 1;
            if indeg[j] == 0 {
                ready.insert((steps[j].0, j));
            }
        }
    }
    out
}

/// Follows a list of worker steps; stops the run if one is not enabled when its turn comes.
struct Follow<'a> {
    order: &'a [(usize, Option<usize>)],
    at: usize,
    diverged: bool,
    schedule: Vec<usize>,
}

impl<T: Send + 'static> Chooser<T> for Follow<'_> {
    fn thread(&mut self, _ex: &Execution<T>, enabled: &[usize]) -> Option<usize> {
        let Some(&(t, _)) = self.order.get(self.at) else {
            self.diverged = true;
            return None;
        };
        if !enabled.contains(&t) {
            self.diverged = true;
            return None;
        }
        if enabled.len() > 1 {
            self.schedule.push(t);
        }
        Some(t)
    }

    fn waiter(&mut self, _ex: &Execution<T>, _t: usize, options: &[usize]) -> Option<usize> {
        let w = self.order[self.at].1;
        if options.len() > 1 {
            self.schedule.extend(w);
        }
        w
    }

    fn stepped(&mut self, _ex: &Execution<T>, _t: usize) {
        self.at += 1;
    }
}

/// A run: the kernel's result, its events, its schedule, how it ended.
pub type Run<T> = (Option<T>, Vec<Event>, Vec<usize>, End);

/// A canonical run of `history`'s class (see the module docs): its result, events,
/// schedule and end; `None` if the replay does not follow (the caller keeps the run it has).
pub fn canonical_run<T: Send + 'static>(
    threads: usize,
    max_steps: u64,
    kernel: impl Fn() -> T + Send + Sync + Clone + 'static,
    history: &[StepRec],
) -> Option<Run<T>> {
    let order = canonical_order(history);
    let mut ex = Execution::start(threads, true, max_steps, kernel);
    let mut follow = Follow {
        order: &order,
        at: 0,
        diverged: false,
        schedule: Vec::new(),
    };
    drive(&mut ex, &mut follow);
    if follow.diverged || follow.at != order.len() {
        return None;
    }
    let schedule = follow.schedule;
    let (result, events, end) = ex.finish();
    Some((result, events, schedule, end))
}
