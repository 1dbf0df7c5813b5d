//! What the kernel's operations call: each runs on the thread's coroutine, waits for its
//! turn (brute force), then replays or adds its event.

use super::*;

pub fn create(v: u64, mask: u64, na: bool) -> Loc {
    let t = point();
    with(|x| x.create(t, v, mask, na))
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
            let new = op.apply(old, mask).expect("it writes");
            if new != old {
                x.iter[t].changed = true;
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
pub fn spin() {
    let t = point();
    let block = with(|x| {
        let it = &mut x.iter[t];
        let seen = std::mem::take(&mut it.seen);
        let reads = std::mem::take(&mut it.reads);
        let changed = std::mem::replace(&mut it.changed, false);
        if !changed && !seen.is_empty() && it.prev.as_ref() == Some(&seen) {
            it.blocked_reads = reads;
            x.status[t] = Status::Spinning;
            true
        } else {
            it.prev = (!changed).then_some(seen);
            false
        }
    });
    if block {
        park();
        unreachable!("a spinning thread is only resumed to be torn down");
    }
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
