//! What the kernel's operations call: each runs on the thread's coroutine, waits for its
//! turn (brute force), then replays or adds its event.

use super::*;

pub fn create(v: u64, mask: u64, obj: Obj) -> Loc {
    let t = point();
    with(|x| x.create(t, v, mask, obj))
}

/// A load (`na`: a plain read of the racy cell).
pub fn load(loc: Loc, ord: Ordering, na: bool) -> u64 {
    let t = point();
    let v = with(|x| x.read(t, loc, ord, None, na).0);
    check_dropped();
    v
}

/// A store (`na`: a plain write of the racy cell).
pub fn store(loc: Loc, v: u64, ord: Ordering, na: bool) {
    let t = point();
    with(|x| {
        x.iter[t].changed = true;
        x.iter[t].values.push((loc, v, true));
        x.write(t, loc, write_part(ord), v, false, na)
    });
    check_dropped();
}

/// A read-modify-write; returns the value read and whether it wrote.
pub fn rmw(loc: Loc, op: Rmw) -> (u64, bool) {
    let t = point();
    let (old, wrote) = with(|x| x.read(t, loc, op.ord, Some(op), false));
    check_dropped();
    if wrote {
        let w = write_part(op.ord);
        with(|x| {
            let mask = x.g.mask[loc];
            let new = op.as_written().apply(old, mask).expect("it writes");
            if new != old {
                x.iter[t].changed = true;
                x.iter[t].values.push((loc, new, true));
            }
            x.write(t, loc, w, new, true, false)
        });
        check_dropped();
    }
    (old, wrote)
}

pub fn fence(ord: Ordering) {
    let t = point();
    with(|x| x.fence(t, ord));
}

/// The end of a spin-loop iteration.
///
/// Two rules keep a spin loop finite. An iteration that changed nothing and read the same
/// writes as the last one blocks its thread for the rest of the run (it would repeat
/// forever until someone writes what it reads: that is another graph, reached by
/// revisiting its reads). An iteration that wrote, and read and wrote the same values as
/// the last one (a lock put down and picked up again), lets the other threads move first:
/// if none can, every thread left is repeating itself, and the run is a LIVELOCK.
pub fn spin() {
    let t = point();
    let (block, repeat) = with(|x| {
        let it = &mut x.iter[t];
        let seen = std::mem::take(&mut it.seen);
        let reads = std::mem::take(&mut it.reads);
        let values = std::mem::take(&mut it.values);
        let changed = std::mem::replace(&mut it.changed, false);
        if !changed && !seen.is_empty() && it.prev.as_ref() == Some(&seen) {
            it.blocked_reads = reads.into_iter().map(|r| (r, Until::Differs)).collect();
            x.status[t] = Status::Spinning;
            return (true, false);
        }
        it.prev = (!changed).then_some(seen);
        let repeat = changed && it.prev_values.as_ref() == Some(&values);
        it.prev_values = changed.then_some(values);
        // Only where the graph ends: a replayed iteration goes on replaying.
        let at_end = x.pos[t] >= x.g.th[t].len();
        it.repeating = repeat;
        if repeat && at_end {
            it.blocked_reads = reads.into_iter().map(|r| (r, Until::Latest)).collect();
            x.status[t] = Status::Repeating(x.added);
            // Every other thread repeats itself too, or waits: they would take turns
            // forever. The run ends here (a livelock, unless a read could see newer).
            let all = (0..x.status.len()).filter(|&u| u != t).all(|u| {
                matches!(
                    x.status[u],
                    Status::Finished | Status::Join(_) | Status::Spinning
                ) || x.iter[u].repeating
            });
            if all {
                x.looped = true;
            }
        }
        (false, repeat && at_end)
    });
    if block {
        park();
        unreachable!("a spinning thread is only resumed to be torn down");
    }
    if repeat {
        park();
        with(|x| x.status[t] = Status::Ready);
    }
}

/// Blocks the running thread for the rest of the run on its last read, which did not let it
/// go on (a lock held, no wake-up token, no message): another graph has that read reading
/// a write that does, reached by revisiting it. `what` says what it waits for.
pub fn block(loc: Loc, until: Until, what: &'static str) -> ! {
    with(|x| {
        let waiting = format!("{what} {}", x.g.obj_name(loc));
        let t = x.running;
        let r = x.last_event(t);
        let it = &mut x.iter[t];
        it.blocked_reads = vec![(r, until)];
        it.waiting = Some(waiting);
        x.status[t] = Status::Spinning;
    });
    park();
    unreachable!("a blocked thread is only resumed to be torn down");
}

/// Whether this thread's next condvar wake-up may be spurious (spurious wake-ups on, not
/// main, and its last wait did not end in one), and notes how this one ends.
pub fn may_wake_spuriously() -> bool {
    with(|x| {
        let t = x.running;
        x.spurious && t != 0 && !x.iter[t].woke_spuriously
    })
}

/// Whether this thread's next `compare_exchange_weak` may fail spuriously: a worker (main
/// makes no choices, as in the scheduled world) whose last one did not (so a retry loop
/// cannot fail forever).
pub fn may_fail_spuriously() -> bool {
    with(|x| x.running != 0 && !x.iter[x.running].failed_spuriously)
}

/// Notes whether the running thread's last `compare_exchange_weak` failed spuriously.
pub fn failed_spuriously(spuriously: bool) {
    with(|x| {
        let t = x.running;
        x.iter[t].failed_spuriously = spuriously;
    })
}

/// Notes whether the running thread's last condvar wait ended in a spurious wake-up.
pub fn woke(spuriously: bool) {
    with(|x| {
        let t = x.running;
        x.iter[t].woke_spuriously = spuriously;
    })
}

/// The value of the `n`-th write (0: the creation) in `loc`'s modification order: a
/// channel's `n`-th message.
pub fn nth_write(loc: Loc, n: usize) -> u64 {
    with(|x| x.g.val(x.g.mo[loc][n]))
}

/// The position in `mo` of what the running thread's last read read from.
pub fn last_read_pos() -> usize {
    with(|x| {
        let r = x.last_event(x.running);
        x.g.mo_pos(x.g.rf(r).expect("the last event is a read"))
    })
}

/// Whether the run is being torn down (a guard dropped then releases nothing).
pub fn aborting() -> bool {
    EXEC.with(|x| x.borrow().as_ref().is_none_or(|x| x.aborting))
}

/// Starts a worker: returns its graph thread.
pub fn spawn(job: Job) -> usize {
    let t = point();
    let c = with(|x| {
        x.spawned += 1;
        let c = x.spawned;
        if let Some(e) = x.replayed(t) {
            if !matches!(x.g.kind(e), Kind::Spawn(k) if *k == c) {
                diverged(e, &x.g.kind(e).clone(), "a spawn");
            }
        } else {
            let e = x.push_node(t, Kind::Spawn(c), true);
            while x.g.th.len() <= c {
                x.g.th.push(Vec::new());
                x.g.parent.push(None);
            }
            x.g.parent[c] = Some(e);
        }
        while x.status.len() <= c {
            x.status.push(Status::NotStarted);
            x.pos.push(0);
            x.iter.push(Iteration::default());
        }
        c
    });
    JOBS.with(|j| {
        let mut j = j.borrow_mut();
        if j.len() <= c {
            j.resize_with(c + 1, || None);
        }
        j[c] = Some(job);
    });
    c
}

/// Waits for worker thread `c` to finish.
pub fn join(c: usize) {
    let t = point();
    loop {
        let done = with(|x| {
            if x.status[c] == Status::Finished {
                true
            } else {
                x.status[t] = Status::Join(c);
                false
            }
        });
        if done {
            break;
        }
        park();
    }
    with(|x| {
        if let Some(e) = x.replayed(t) {
            if !matches!(x.g.kind(e), Kind::Join(k) if *k == c) {
                diverged(e, &x.g.kind(e).clone(), "a join");
            }
        } else {
            x.push_node(t, Kind::Join(c), true);
        }
    });
}

fn check_dropped() {
    if with(|x| x.dropped) {
        with(|x| {
            let t = x.running;
            x.status[t] = Status::Spinning;
        });
        park();
        unreachable!("a dropped run's threads are only resumed to be torn down");
    }
}

/// Marks the running thread finished (its job ended).
pub fn finished() {
    EXEC.with(|x| {
        if let Some(x) = x.borrow_mut().as_mut() {
            let t = x.running;
            x.status[t] = Status::Finished;
        }
    });
}
