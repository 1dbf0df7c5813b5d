//! The judges, one per claim: measurement → threshold → verdict. Each is a pure function of
//! the lab's measurements (it reads them through [`Lab`], which records what it read as the
//! claim's evidence) with its thresholds named right above it; `tests.rs` feeds each one
//! contrary measurements.

use super::{counter_cost, counter_lossy, Lab, Verdict, COUNTERS};
use crate::experiments::{
    atomic, channel, cpu_vs_io, crash, gil, mutex, parallelism, pool_submit, process_create,
    process_isolated, process_pipe, process_shm, racy_atomic, sharded, spawn_cost, thread_count,
    unsynced,
};

/// Two threads pinned to one CPU took at least this many times one thread's time: they took
/// turns (exactly 2 if they shared the CPU perfectly).
pub(super) const TOOK_TURNS: f64 = 1.6;
/// The same two threads ran at least this much faster on all CPUs than on one: in parallel.
pub(super) const RAN_IN_PARALLEL: f64 = 1.5;

/// C1: pinned/one ≥ TOOK_TURNS and the pinned racy counter lost updates → holds; turns
/// but no loss → nuance; no turns → cannot tell (the pinning did not hold).
pub(super) fn c1(l: &Lab) -> (Verdict, String) {
    let turns = l.get(parallelism::EXPERIMENT.name, parallelism::TURNS);
    let lossy = l.get(parallelism::EXPERIMENT.name, parallelism::PINNED_LOSSY);
    match (turns >= TOOK_TURNS, lossy > 0.0) {
        (true, true) => (Verdict::Holds, format!("two threads pinned to one CPU both finished in {turns:.1}x the time of one — they took turns — and the racy counter lost updates through preemption alone ({lossy} of 3 trials)")),
        (true, false) => (Verdict::Nuance, format!("the threads took turns ({turns:.1}x one thread's time), but preemption between a read and its write was not observed in this run ({lossy} of 3 trials)")),
        (false, _) => (Verdict::CannotTell, format!("two threads pinned to one CPU took only {turns:.1}x one thread's time (below {TOOK_TURNS}): the pinning did not hold, or the measurement was disturbed")),
    }
}

/// C2: with ≥ 2 CPUs, all-CPUs speed-up ≥ RAN_IN_PARALLEL → holds; else cannot tell (one
/// CPU, or busy ones: a low speed-up cannot refute a definition).
pub(super) fn c2(l: &Lab) -> (Verdict, String) {
    let s = l.get(parallelism::EXPERIMENT.name, parallelism::ALL_CPUS);
    l.show(
        parallelism::EXPERIMENT.name,
        &[parallelism::PINNED, parallelism::FREE],
    );
    l.show(
        cpu_vs_io::EXPERIMENT.name,
        &[&cpu_vs_io::speedup_label(
            cpu_vs_io::CPU_BOUND,
            2,
            cpu_vs_io::THREADS,
        )],
    );
    if l.cpus < 2.0 {
        (
            Verdict::CannotTell,
            "cannot tell on 1 CPU: there is nothing to run in parallel on".into(),
        )
    } else if s >= RAN_IN_PARALLEL {
        (Verdict::Holds, format!("the same two CPU-bound threads finished {s:.1}x faster when they could use every CPU than on one"))
    } else {
        (Verdict::CannotTell, format!("cannot tell on {} CPUs as busy as these: the two threads ran only {s:.1}x faster on all CPUs than on one (below {RAN_IN_PARALLEL}), so other work held the CPUs", l.cpus))
    }
}

/// Blocking submission took at least this fraction of the sum of the task times: the tasks
/// queued up.
pub(super) const QUEUED: f64 = 0.9;

/// C3: blocking (apply) time ≥ QUEUED × sum of task times, for threads and processes → holds;
/// else nuance.
pub(super) fn c3(l: &Lab) -> (Verdict, String) {
    let t = l.get(pool_submit::EXPERIMENT.name, pool_submit::THREAD_APPLY);
    let p = l.get(pool_submit::EXPERIMENT.name, pool_submit::PROCESS_APPLY);
    let serial = l.get(pool_submit::EXPERIMENT.name, pool_submit::SERIAL);
    if t >= QUEUED * serial && p >= QUEUED * serial {
        (Verdict::Holds, format!("submitting and waiting for each task in turn took {t:.0} ms (threads) and {p:.0} ms (processes) for tasks summing to {serial:.0} ms, although every worker but one was idle"))
    } else {
        (Verdict::Nuance, format!("blocking submission took {t:.0} / {p:.0} ms, less than {QUEUED} × the {serial:.0} ms the tasks add up to: they did not simply queue up"))
    }
}

/// Non-blocking submission finished within this factor of ⌈N/P⌉ × task time…
pub(super) const WAVES_SLACK: f64 = 1.5;
/// …and in less than this fraction of the blocking time: the tasks overlapped.
pub(super) const OVERLAPPED: f64 = 0.6;

/// C4: apply_async ≤ WAVES_SLACK × waves and < OVERLAPPED × apply → nuance (they ran at once,
/// in waves of P); otherwise does not hold.
pub(super) fn c4(l: &Lab) -> (Verdict, String) {
    let a = l.get(pool_submit::EXPERIMENT.name, pool_submit::THREAD_ASYNC);
    let waves = l.get(pool_submit::EXPERIMENT.name, pool_submit::WAVES);
    let b = l.get(pool_submit::EXPERIMENT.name, pool_submit::THREAD_APPLY);
    l.show(pool_submit::EXPERIMENT.name, &[pool_submit::PROCESS_ASYNC]);
    if a <= WAVES_SLACK * waves && a < OVERLAPPED * b {
        (Verdict::Nuance, format!("submitted all at once, the tasks ran together: {a:.0} ms ≈ {waves:.0} ms — as many at a time as there are workers; more queue up in waves, and tasks sharing data would affect each other"))
    } else {
        (Verdict::DoesNotHold, format!("submitted all at once, the tasks still took {a:.0} ms (waves: {waves:.0} ms, one by one: {b:.0} ms): they did not run at once"))
    }
}

/// C5, C13: the parent's counter unchanged by the children (0), every child counting exactly
/// what one thread of the parent adds (M > 0) → holds; else does not hold.
pub(super) fn isolated(l: &Lab) -> (Verdict, String) {
    let parent = l.get(process_isolated::EXPERIMENT.name, process_isolated::PARENT);
    let children = l.all(process_isolated::EXPERIMENT.name, process_isolated::CHILD);
    let thread = l.get(
        process_isolated::EXPERIMENT.name,
        process_isolated::AFTER_THREAD,
    );
    let own_copy = !children.is_empty() && children.iter().all(|&c| c == thread);
    if parent == 0.0 && thread > 0.0 && own_copy {
        (Verdict::Holds, format!("each of {} children counted only its own copy of the global ({thread}); the parent's stayed at {parent}, while one thread of the parent moved it to {thread}", children.len()))
    } else {
        (Verdict::DoesNotHold, format!("the parent read {parent} after the children, the children {children:?}, one thread {thread}: the processes' counters were not separate"))
    }
}

pub(super) fn c5(l: &Lab) -> (Verdict, String) {
    isolated(l)
}

pub(super) const SIGABRT: f64 = nix::sys::signal::Signal::SIGABRT as i32 as f64;
pub(super) const SIGSEGV: f64 = nix::sys::signal::Signal::SIGSEGV as i32 as f64;

/// C6: a child killed by SIGSEGV and the parent still running afterwards → holds; else does
/// not hold.
pub(super) fn c6(l: &Lab) -> (Verdict, String) {
    let segv = l.get(crash::EXPERIMENT.name, crash::SEGV_SIGNAL);
    let parent = l.yes(crash::EXPERIMENT.name, crash::PARENT_RAN);
    if segv == SIGSEGV && parent {
        (
            Verdict::Holds,
            "a child killed by SIGSEGV was reported by its parent, which carried on".into(),
        )
    } else {
        (
            Verdict::DoesNotHold,
            format!(
                "the segfaulting child ended by signal {segv}, and the parent was {}still running",
                if parent { "" } else { "not " }
            ),
        )
    }
}

/// C7: square(7) = 49 from a target function and Cube.run(3) = 27 from a Task type, both in a
/// process other than the parent → nuance (Rust re-executes instead of forking); else does not
/// hold.
pub(super) fn c7(l: &Lab) -> (Verdict, String) {
    let square = l.get(
        process_create::EXPERIMENT.name,
        &process_create::answer(process_create::SQUARE),
    );
    let cube = l.get(
        process_create::EXPERIMENT.name,
        &process_create::answer(process_create::CUBE),
    );
    let elsewhere = l.get(process_create::EXPERIMENT.name, process_create::ELSEWHERE);
    if square == 49.0 && cube == 27.0 && elsewhere == 2.0 {
        (Verdict::Nuance, "both styles ran in child processes, but Rust cannot safely fork a process that has threads to call a closure: the child re-executes the program and runs a function (the target) or a Task type's run (the subclass) chosen by name".into())
    } else {
        (Verdict::DoesNotHold, format!("the children answered {square} and {cube} (49 and 27 expected), {elsewhere} of 2 from a process of their own"))
    }
}

/// A new process cost at least this many times a task on a reused one: the pool pays off.
pub(super) const REUSE_PAYS: f64 = 3.0;

/// C8: new/reused process ≥ REUSE_PAYS and process apply_async < OVERLAPPED × apply → holds;
/// else nuance.
pub(super) fn c8(l: &Lab) -> (Verdict, String) {
    let r = l.get(spawn_cost::EXPERIMENT.name, spawn_cost::PROCESS_REUSE);
    let b = l.get(pool_submit::EXPERIMENT.name, pool_submit::PROCESS_APPLY);
    let a = l.get(pool_submit::EXPERIMENT.name, pool_submit::PROCESS_ASYNC);
    l.show(
        spawn_cost::EXPERIMENT.name,
        &[spawn_cost::PROCESS, spawn_cost::PROCESS_POOL],
    );
    let why = format!("a task on a live pool process cost {r:.0}x less than a new process, and 8 tasks took {b:.0} ms submitted with apply vs {a:.0} ms with apply_async");
    if r >= REUSE_PAYS && a < OVERLAPPED * b {
        (Verdict::Holds, why)
    } else {
        (Verdict::Nuance, format!("{why} (a pool pays when reuse is ≥ {REUSE_PAYS}x cheaper and apply_async < {OVERLAPPED} × apply)"))
    }
}

/// C9: at least one thread before, exactly one more per worker while N workers run, back to
/// the start after → holds; else does not hold.
pub(super) fn c9(l: &Lab) -> (Verdict, String) {
    let before = l.get(thread_count::EXPERIMENT.name, thread_count::BEFORE);
    let during = l.get(thread_count::EXPERIMENT.name, thread_count::DURING);
    let after = l.get(thread_count::EXPERIMENT.name, thread_count::AFTER);
    let n = l.get(thread_count::EXPERIMENT.name, thread_count::WORKERS);
    if before >= 1.0 && during == before + n && after == before {
        (Verdict::Holds, format!("the kernel listed {before} thread(s) in the lab's process, {during} while {n} workers ran, {after} after: each thread is scheduled on its own, inside one process"))
    } else {
        (Verdict::DoesNotHold, format!("the kernel listed {before} thread(s) before, {during} with {n} workers, {after} after: not one thread per worker"))
    }
}

/// C10: every worker saw the counter at one address and the shared count is workers × 1000
/// → holds; else does not hold.
pub(super) fn c10(l: &Lab) -> (Verdict, String) {
    let addrs = l.get(thread_count::EXPERIMENT.name, thread_count::ADDRESSES);
    let count = l.get(thread_count::EXPERIMENT.name, thread_count::SHARED_COUNT);
    let n = l.get(thread_count::EXPERIMENT.name, thread_count::WORKERS);
    if addrs == 1.0 && count == n * 1000.0 {
        (Verdict::Holds, "every worker saw the counter at the same address and their increments added up in it; Rust only insists the sharing be declared (Arc) and synchronised (atomics, locks)".into())
    } else {
        (
            Verdict::DoesNotHold,
            format!(
                "the workers saw {addrs} address(es) and counted {count} of {}",
                n * 1000.0
            ),
        )
    }
}

/// C11: the panicking thread's join returned Err *and* its process ran on → does not hold;
/// the process died → holds; it ran on but join did not report the panic → nuance.
pub(super) fn c11(l: &Lab) -> (Verdict, String) {
    let join_err = l.yes(crash::EXPERIMENT.name, crash::JOIN_ERR);
    let survived = l.yes(crash::EXPERIMENT.name, crash::SURVIVED);
    l.show(
        crash::EXPERIMENT.name,
        &[crash::POISONED, crash::PL_USABLE, crash::ABORT_SIGNAL],
    );
    match (survived, join_err) {
        (true, true) => (Verdict::DoesNotHold, "a panic unwinds only its own thread — join returns Err, a std Mutex it held is poisoned, a parking_lot one is not — and the process lives on; only an abort (or a panic with panic=abort) takes the whole process down".into()),
        (false, _) => (Verdict::Holds, "the process whose thread panicked did not run to its end: the panic took it down".into()),
        (true, false) => (Verdict::Nuance, "the process lived on, but joining the panicking thread did not report the panic".into()),
    }
}

/// A new thread cost at least this many times a task handed to a pool thread.
pub(super) const THREAD_REUSE_PAYS: f64 = 1.5;

/// C12: new/reused thread ≥ THREAD_REUSE_PAYS → holds; else nuance.
pub(super) fn c12(l: &Lab) -> (Verdict, String) {
    let r = l.get(spawn_cost::EXPERIMENT.name, spawn_cost::THREAD_REUSE);
    l.show(
        spawn_cost::EXPERIMENT.name,
        &[spawn_cost::THREAD, spawn_cost::THREAD_POOL],
    );
    if r >= THREAD_REUSE_PAYS {
        (Verdict::Holds, format!("handing a task to a live pool thread cost {r:.1}x less than creating and joining a thread for it"))
    } else {
        (Verdict::Nuance, format!("a pool thread was only {r:.1}x cheaper than a new thread (below {THREAD_REUSE_PAYS}x): creating threads is cheap enough here that a pool matters little"))
    }
}

pub(super) fn c13(l: &Lab) -> (Verdict, String) {
    isolated(l)
}

/// C14: pipes exact and atomic shared memory exact → nuance (a queue is one way, not the only
/// one); pipes exact but atomic shared memory lossy → holds (only messages were exact); pipes
/// inexact → does not hold.
pub(super) fn c14(l: &Lab) -> (Verdict, String) {
    let sum = l.get(process_pipe::EXPERIMENT.name, process_pipe::SUM);
    let expected = l.get(process_pipe::EXPERIMENT.name, process_pipe::EXPECTED);
    let atomic_lossy = l.get(process_shm::EXPERIMENT.name, process_shm::LOSSY);
    let none_lossy = l.get(process_shm::SYNC_NONE, process_shm::LOSSY);
    l.show(process_shm::SYNC_NONE, &[process_shm::WORST]);
    match (sum == expected, atomic_lossy == 0.0) {
        (true, true) => {
            let without = if none_lossy > 0.0 {
                format!("and lost updates without ({none_lossy} of 3 trials)")
            } else {
                "(without them it lost nothing in this run's 3 trials, though it may: a race shows only when the processes overlap)".to_string()
            };
            (Verdict::Nuance, format!("message passing through pipes (the queue's mechanism) was exact, but it is not the only way: a shared-memory counter was exact with atomics {without}; the Manager queue is a CPython detail"))
        }
        (true, false) => (Verdict::Holds, format!("only message passing was exact: even atomic shared memory lost updates in {atomic_lossy} trials")),
        (false, _) => (Verdict::DoesNotHold, format!("the pipes delivered {sum} of {expected} increments: message passing lost data")),
    }
}

/// C15: both racy counters lost updates and no fixed one did → holds; a fixed one lost
/// updates → does not hold; else nuance.
pub(super) fn c15(l: &Lab) -> (Verdict, String) {
    let lost = |n: &str| l.get(COUNTERS, &counter_lossy(n));
    let (unsynced, racy_atomic) = (
        lost(unsynced::EXPERIMENT.name),
        lost(racy_atomic::EXPERIMENT.name),
    );
    // Read all four (each is evidence), then ask whether every one was exact.
    let fixed: Vec<f64> = [
        atomic::EXPERIMENT.name,
        mutex::EXPERIMENT.name,
        channel::EXPERIMENT.name,
        sharded::EXPERIMENT.name,
    ]
    .iter()
    .map(|n| lost(n))
    .collect();
    let fixed_ok = fixed.iter().all(|&k| k == 0.0);
    match (unsynced > 0.0 && racy_atomic > 0.0, fixed_ok) {
        (true, true) => (Verdict::Holds, "read-then-write counters lost updates (even with atomic loads and stores); fetch_add, a Mutex, a channel and per-thread shards never did — and in Rust the unsynchronised version does not even compile without `unsafe`".into()),
        (_, false) => (Verdict::DoesNotHold, "a fixed counter lost updates: a bug in the lab".into()),
        (false, true) => (Verdict::Nuance, format!("the fixes were exact, but this run did not catch both racy counters losing updates (unsynced {unsynced} of 3, racy-atomic {racy_atomic} of 3): a race shows only when threads really overlap — `race-lab explore` shows it every time")),
    }
}

/// Starting a process cost at least this many times starting a thread: "much more".
pub(super) const PROCESS_COSTS_MORE: f64 = 3.0;

/// C16: process/thread creation ≥ PROCESS_COSTS_MORE → holds; else nuance.
pub(super) fn c16(l: &Lab) -> (Verdict, String) {
    let r = l.get(spawn_cost::EXPERIMENT.name, spawn_cost::PROCESS_VS_THREAD);
    l.show(
        spawn_cost::EXPERIMENT.name,
        &[spawn_cost::THREAD, spawn_cost::PROCESS, spawn_cost::REEXEC],
    );
    if r >= PROCESS_COSTS_MORE {
        (Verdict::Holds, format!("starting and reaping a process cost {r:.0}x as much as creating and joining a thread"))
    } else {
        (Verdict::Nuance, format!("starting a process cost only {r:.1}x a thread here (below {PROCESS_COSTS_MORE}x): the measurement was disturbed (see the figures)"))
    }
}

/// C17: pinned/one ≥ TOOK_TURNS and all-CPUs speed-up ≥ RAN_IN_PARALLEL → holds; else
/// cannot tell.
pub(super) fn c17(l: &Lab) -> (Verdict, String) {
    let turns = l.get(parallelism::EXPERIMENT.name, parallelism::TURNS);
    let s = l.get(parallelism::EXPERIMENT.name, parallelism::ALL_CPUS);
    l.show(
        parallelism::EXPERIMENT.name,
        &[parallelism::ONE, parallelism::PINNED, parallelism::FREE],
    );
    let why = format!("pinned to one CPU, two threads needed {turns:.1}x one thread's time (turns); on all CPUs they ran {s:.1}x faster (parallel)");
    if turns >= TOOK_TURNS && s >= RAN_IN_PARALLEL {
        (Verdict::Holds, why)
    } else {
        // Neither can refute it: turns on one CPU are how a scheduler works, and a low
        // speed-up on all CPUs is a busy machine (or a single CPU).
        (
            Verdict::CannotTell,
            format!("cannot tell on {} CPUs as busy as these — {why}: not both (thresholds {TOOK_TURNS}x and {RAN_IN_PARALLEL}x)", l.cpus),
        )
    }
}

/// Four threads below this speed-up did not run in parallel.
pub(super) const NO_SCALING: f64 = 1.3;
/// Four I/O-bound threads above this speed-up overlapped their waits.
pub(super) const WAITS_OVERLAP: f64 = 2.0;

/// C18: CPU-bound threads that do not scale even without the GIL → cannot tell; with the
/// simulated GIL, 4 CPU-bound threads at ≥ NO_SCALING → does not hold; I/O-bound threads at
/// ≥ WAITS_OVERLAP → nuance (the GIL stops parallel computation, not concurrency); else holds.
pub(super) fn c18(l: &Lab) -> (Verdict, String) {
    let with = l.get(
        gil::EXPERIMENT.name,
        &gil::speedup_label(gil::CPU_BOUND, true, 4),
    );
    let io = l.get(
        gil::EXPERIMENT.name,
        &gil::speedup_label(gil::IO_BOUND, true, 4),
    );
    let without = l.get(
        gil::EXPERIMENT.name,
        &gil::speedup_label(gil::CPU_BOUND, false, 4),
    );
    if without < NO_SCALING {
        // CPU-bound threads did not scale even without the GIL: the machine (one CPU, or
        // busy ones) cannot show what the GIL takes away.
        (Verdict::CannotTell, format!("cannot tell on {} CPUs as busy as these: CPU-bound threads did not scale even without the GIL ({without:.1}x; with it {with:.1}x; I/O-bound with it {io:.1}x)", l.cpus))
    } else if with >= NO_SCALING {
        (Verdict::DoesNotHold, format!("with the simulated GIL, 4 CPU-bound threads still sped up {with:.1}x: the lock did not stop them"))
    } else if io >= WAITS_OVERLAP {
        (Verdict::Nuance, format!("Rust has no GIL; with a simulated one, 4 CPU-bound threads sped up only {with:.1}x (vs {without:.1}x without), while I/O-bound threads still overlapped their waits ({io:.1}x) — the GIL stops parallel computation, not concurrency"))
    } else {
        (Verdict::Holds, format!("with a simulated GIL neither CPU-bound ({with:.1}x) nor I/O-bound threads ({io:.1}x) ran in parallel"))
    }
}

/// C19: a crashing child left the parent running, an abort in one thread killed its process,
/// but a panic stayed in its thread → nuance; the panic killed its process too → holds;
/// processes not independent, or an abort not fatal → does not hold.
pub(super) fn c19(l: &Lab) -> (Verdict, String) {
    let segv = l.get(crash::EXPERIMENT.name, crash::SEGV_SIGNAL);
    let parent = l.yes(crash::EXPERIMENT.name, crash::PARENT_RAN);
    let abort = l.get(crash::EXPERIMENT.name, crash::ABORT_SIGNAL);
    let survived = l.yes(crash::EXPERIMENT.name, crash::SURVIVED);
    let join_err = l.yes(crash::EXPERIMENT.name, crash::JOIN_ERR);
    let (independent, abort_kills) = (segv == SIGSEGV && parent, abort == SIGABRT);
    let panic_contained = survived && join_err;
    match (independent && abort_kills, panic_contained) {
        (true, true) => (Verdict::Nuance, "processes were independent (a crashing child left the parent running); within a process an abort or a segfault in one thread killed them all, but a panic — Rust's exception — stayed in its thread".into()),
        (true, false) => (Verdict::Holds, "processes were independent, and a fault in one thread — an abort, and even a panic — brought its whole process down".into()),
        (false, _) => (Verdict::DoesNotHold, format!("processes independent: {independent}; an abort in one thread killed its process: {abort_kills}")),
    }
}

/// C20: the process mechanisms (pipe, atomic shared page) and the thread channel were exact
/// and a plain shared variable between threads lost updates → nuance (threads need
/// synchronised sharing or channels too); the plain shared variable was exact → holds; a
/// mechanism lost data → does not hold.
pub(super) fn c20(l: &Lab) -> (Verdict, String) {
    let pipe_exact = l.get(process_pipe::EXPERIMENT.name, process_pipe::SUM)
        == l.get(process_pipe::EXPERIMENT.name, process_pipe::EXPECTED);
    let shm_exact = l.get(process_shm::EXPERIMENT.name, process_shm::LOSSY) == 0.0;
    let channel_exact = l.get(COUNTERS, &counter_lossy(channel::EXPERIMENT.name)) == 0.0;
    let plain_lossy = l.get(COUNTERS, &counter_lossy(unsynced::EXPERIMENT.name));
    l.show(process_pipe::EXPERIMENT.name, &[process_pipe::COST]);
    l.show(process_shm::EXPERIMENT.name, &[process_shm::COST]);
    l.show(
        COUNTERS,
        &[
            &counter_cost(channel::EXPERIMENT.name),
            &counter_cost(atomic::EXPERIMENT.name),
        ],
    );
    if !(pipe_exact && shm_exact && channel_exact) {
        (Verdict::DoesNotHold, format!("a communication mechanism lost data (pipe exact: {pipe_exact}, shared-memory atomics exact: {shm_exact}, channel exact: {channel_exact})"))
    } else if plain_lossy > 0.0 {
        (Verdict::Nuance, format!("processes did need a mechanism (a pipe, a shared page), but threads in Rust communicate through channels as often as through shared variables, and a plain shared variable lost updates ({plain_lossy} of 3 trials): it needs synchronisation to be correct"))
    } else {
        (Verdict::Holds, "processes needed a mechanism (a pipe, a shared page); threads shared a plain variable and, in this run, lost nothing".into())
    }
}

/// Eight I/O-bound threads sped up at least this much (and more than the CPU count).
pub(super) const IO_SCALES: f64 = 4.0;

/// C21: I/O-bound 8 threads speed-up ≥ IO_SCALES → holds (past the CPU count or not: the
/// work is waiting); else cannot tell (the waits did not overlap).
pub(super) fn c21(l: &Lab) -> (Verdict, String) {
    let s = l.get(
        cpu_vs_io::EXPERIMENT.name,
        &cpu_vs_io::speedup_label(cpu_vs_io::IO_BOUND, 8, cpu_vs_io::THREADS),
    );
    l.show(
        cpu_vs_io::EXPERIMENT.name,
        &[&cpu_vs_io::speedup_label(
            cpu_vs_io::IO_BOUND,
            8,
            cpu_vs_io::PROCESSES,
        )],
    );
    l.show(
        gil::EXPERIMENT.name,
        &[&gil::speedup_label(gil::IO_BOUND, true, 4)],
    );
    let cpus = l.cpus;
    // Waiting takes no CPU: the speed-up needs no CPUs to show, and more CPUs only hide
    // that it came from waiting together (past the CPU count, it cannot be anything else).
    if s >= IO_SCALES && s > cpus {
        (Verdict::Holds, format!("8 threads waiting on I/O finished {s:.1}x faster than one, past the {cpus} CPUs: waiting uses no CPU, and threads are the cheapest way to wait"))
    } else if s >= IO_SCALES {
        (Verdict::Holds, format!("8 threads waiting on I/O finished {s:.1}x faster than one: they waited together (on {cpus} CPUs the speed-up cannot pass the CPU count, but the work was waiting, not computing)"))
    } else {
        (Verdict::CannotTell, format!("cannot tell on this machine: 8 threads waiting on I/O finished only {s:.1}x faster than one (below {IO_SCALES}x): the waits did not overlap, so timers or the scheduler were swamped"))
    }
}

/// Threads reaching at least this fraction of the processes' speed-up scale "as well".
pub(super) const AS_WELL: f64 = 0.8;
/// Threads below this fraction of the processes' speed-up fell short of them.
pub(super) const FELL_SHORT: f64 = 0.5;
/// The fewest CPUs on which eight CPU-bound workers have room to show a difference.
pub(super) const ENOUGH_CPUS: f64 = 4.0;

/// C22: on fewer than ENOUGH_CPUS, or with processes below half the possible speed-up →
/// cannot tell; threads ≥ AS_WELL × processes → does not hold (only under a GIL); threads
/// < FELL_SHORT × processes → holds; between the margins → cannot tell (noise).
pub(super) fn c22(l: &Lab) -> (Verdict, String) {
    let t = l.get(
        cpu_vs_io::EXPERIMENT.name,
        &cpu_vs_io::speedup_label(cpu_vs_io::CPU_BOUND, 8, cpu_vs_io::THREADS),
    );
    let p = l.get(
        cpu_vs_io::EXPERIMENT.name,
        &cpu_vs_io::speedup_label(cpu_vs_io::CPU_BOUND, 8, cpu_vs_io::PROCESSES),
    );
    l.show(
        gil::EXPERIMENT.name,
        &[&gil::speedup_label(gil::CPU_BOUND, true, 4)],
    );
    let cpus = l.cpus;
    // Eight workers can be at most min(8, CPUs) times faster. Below ENOUGH_CPUS there is too
    // little room to tell threads from processes; processes below half the possible
    // speed-up mean busy CPUs; and between the two margins the difference is noise.
    let possible = cpus.min(8.0);
    let measured = format!("threads {t:.1}x, processes {p:.1}x, with 8 on {cpus} CPUs");
    if cpus < ENOUGH_CPUS {
        (Verdict::CannotTell, format!("cannot tell on {cpus} CPUs: eight workers can be at most {possible}x faster here, too little room to tell threads from processes ({measured})"))
    } else if p < 0.5 * possible {
        (Verdict::CannotTell, format!("cannot tell on CPUs this busy: processes reached only {p:.1}x of a possible {possible}x ({measured})"))
    } else if t >= AS_WELL * p {
        (Verdict::DoesNotHold, format!("holds only under a GIL: in Rust CPU-bound threads used all cores as well as processes did ({measured})"))
    } else if t < FELL_SHORT * p {
        (
            Verdict::Holds,
            format!("processes scaled CPU-bound work better than threads ({measured})"),
        )
    } else {
        (Verdict::CannotTell, format!("cannot tell: threads reached between {FELL_SHORT} and {AS_WELL} of the processes' speed-up, within the noise ({measured})"))
    }
}

/// C23: children that aborted (SIGABRT) and segfaulted (SIGSEGV) were reported and the
/// parent ran on → holds; else does not hold.
pub(super) fn c23(l: &Lab) -> (Verdict, String) {
    let abrt = l.get(crash::EXPERIMENT.name, crash::ABORT_SIGNAL);
    let segv = l.get(crash::EXPERIMENT.name, crash::SEGV_SIGNAL);
    let parent = l.yes(crash::EXPERIMENT.name, crash::PARENT_RAN);
    if abrt == SIGABRT && segv == SIGSEGV && parent {
        (Verdict::Holds, "children that aborted and segfaulted were reported by signal while the parent carried on; this is how the lab itself isolates loom".into())
    } else {
        (Verdict::DoesNotHold, format!("the children ended by signals {abrt} and {segv} (SIGABRT and SIGSEGV expected); parent still running: {parent}"))
    }
}
