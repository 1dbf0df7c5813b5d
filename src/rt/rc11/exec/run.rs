//! One run, start to end: main and the workers as coroutines, who runs next, the tear-down,
//! and how the run ended (finished, blocked, a livelock, a data race).

use super::*;

/// The result of one run: the graph as it ended, how it ended, the kernel's value.
pub(crate) struct Ran<O> {
    pub g: Graph,
    pub end: RunEnd,
    pub result: Option<O>,
    pub mode: Mode,
}

/// Runs `kernel` once over graph `g`.
pub(crate) fn run<O: Send + 'static>(
    g: Graph,
    mode: Mode,
    model: Model,
    max_events: u64,
    kernel: Arc<dyn Fn() -> O + Send + Sync>,
) -> Ran<O> {
    EXEC.with(|x| *x.borrow_mut() = Some(Exec::new(g, mode, model, max_events)));
    JOBS.with(|j| j.borrow_mut().clear());
    let slot: Arc<parking_lot::Mutex<Option<std::thread::Result<O>>>> =
        Arc::new(parking_lot::Mutex::new(None));
    let out = slot.clone();
    let main: Job = Box::new(move || {
        let r = std::panic::catch_unwind(AssertUnwindSafe(|| kernel()));
        *out.lock() = Some(r);
        ops::finished();
    });
    let mut coros: Vec<Option<Coroutine>> = vec![Some(coroutine())];
    if let Some(c) = coros[0].as_mut() {
        c.start(main);
    }
    loop {
        if with(|x| x.dropped || x.looped) {
            break;
        }
        let pick = with(|x| {
            let runnable: Vec<usize> = (0..x.status.len())
                .filter(|&t| match x.status[t] {
                    Status::NotStarted | Status::Ready => true,
                    Status::Replay => x.may_go(t),
                    Status::Repeating(at) => x.added > at,
                    Status::Join(c) => x.status[c] == Status::Finished,
                    Status::Spinning | Status::Finished => false,
                })
                .collect();
            if runnable.is_empty() {
                return None;
            }
            let k = match x.mode {
                Mode::Explore { .. } | Mode::Values { .. } => 0,
                Mode::Brute { .. } => x.decide(runnable.len()),
            };
            let t = runnable[k];
            x.running = t;
            Some((t, x.status[t]))
        });
        let Some((t, st)) = pick else { break };
        if coros.len() <= t {
            coros.resize_with(t + 1, || None);
        }
        if st == Status::NotStarted {
            let job = JOBS
                .with(|j| j.borrow_mut()[t].take())
                .expect("a spawned job");
            with(|x| x.status[t] = Status::Ready);
            let mut c = coroutine();
            c.start(job);
            coros[t] = Some(c);
        } else if let Some(c) = coros[t].as_mut() {
            c.resume();
        }
    }
    // A race among events the run replayed (an alternative pushed with its racy access
    // already in place) shows in the whole graph.
    with(|x| {
        if x.race.is_none() {
            x.race = race_in(&x.g, x.model);
        }
    });
    // How it ended, before the tear-down marks every thread finished.
    let stuck = with(|x| (x.status[0] != Status::Finished).then(|| ended(x)));
    // Tear down whatever is still live.
    with(|x| x.aborting = true);
    for (t, c) in coros.iter_mut().enumerate() {
        let live = with(|x| !matches!(x.status[t], Status::Finished | Status::NotStarted));
        if live {
            if let Some(c) = c.as_mut() {
                with(|x| x.running = t);
                c.resume();
            }
        }
    }
    for c in coros.into_iter().flatten() {
        recycle(c);
    }
    JOBS.with(|j| j.borrow_mut().clear());
    let x = EXEC
        .with(|x| x.borrow_mut().take())
        .expect("the run's state");
    let result = slot.lock().take();
    let (end, value) = match result {
        Some(Ok(v)) => (RunEnd::Finished, Some(v)),
        Some(Err(p)) => {
            if p.is::<Aborted>() {
                (stuck.unwrap_or(RunEnd::Dropped), None)
            } else {
                (
                    RunEnd::Panicked(crate::error::panic_message(p.as_ref())),
                    None,
                )
            }
        }
        None => (stuck.unwrap_or(RunEnd::Dropped), None),
    };
    let end = if let Some((a, b)) = x.race {
        RunEnd::DataRace(a, b)
    } else if x.dropped && x.added > x.max_events {
        RunEnd::StepLimit
    } else if x.dropped {
        RunEnd::Dropped
    } else {
        end
    };
    Ran {
        g: x.g,
        end,
        result: value,
        mode: x.mode,
    }
}

/// Two accesses of `g` that race: one plain, one a write, no happens-before either way.
fn race_in(g: &Graph, model: Model) -> Option<(Ev, Ev)> {
    let plain: Vec<Ev> = g.events().filter(|&e| g.is_na(e)).collect();
    if plain.is_empty() {
        return None;
    }
    let hb = fast::happens_before(g, model)?;
    for &b in &plain {
        let loc = g.loc(b);
        for a in g.events().filter(|&a| a != b && g.loc(a) == loc) {
            let conflict = g.is_write(a) || g.is_write(b);
            if conflict && !hb(a, b) && !hb(b, a) {
                let (x, y) = if g.node(a).stamp < g.node(b).stamp {
                    (a, b)
                } else {
                    (b, a)
                };
                return Some((x, y));
            }
        }
    }
    None
}

/// How a run that did not finish ended: blocked (a waiting thread could still read
/// something that lets it go on: another graph has that), a livelock (a spinner is stuck),
/// or a deadlock (every thread left sleeps in a lock, a condvar, a channel or a join).
fn ended(x: &Exec) -> RunEnd {
    if x.dropped {
        return RunEnd::Dropped;
    }
    let g = &x.g;
    let mut waits = Vec::new();
    let mut spinning = false;
    for t in 0..x.status.len() {
        let it = &x.iter[t];
        let stuck = matches!(x.status[t], Status::Spinning | Status::Repeating(_));
        if stuck && it.blocked_reads.iter().any(|&(r, u)| u.could_go(g, r)) {
            return RunEnd::Blocked;
        }
        let what = match (x.status[t], &it.waiting) {
            (Status::Spinning, Some(what)) => what.clone(),
            (Status::Spinning, None) => {
                spinning = true;
                let on = it
                    .blocked_reads
                    .iter()
                    .map(|&(r, _)| format!("{} = {}", g.obj_name(g.loc(r).unwrap_or(0)), g.val(r)))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("spinning on {on}")
            }
            (Status::Repeating(_), _) => {
                spinning = true;
                "the others forever, repeating one iteration that undoes itself".to_string()
            }
            (Status::Join(c), _) => format!("joining T{}", c - 1),
            _ => continue,
        };
        waits.push((super::super::graph::trace_thread(t), what));
    }
    // Main's own wait says nothing the workers' do not.
    if waits.iter().any(|(t, _)| *t != usize::MAX) {
        waits.retain(|(t, _)| *t != usize::MAX);
    }
    if spinning {
        RunEnd::Livelock(waits)
    } else {
        RunEnd::Deadlock(waits)
    }
}
