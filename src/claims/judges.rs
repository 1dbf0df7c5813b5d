//! The judges, one per claim: measurement → threshold → verdict. Each is a pure function of
//! the lab's measurements (it reads them through [`Lab`], which records what it read as the
//! claim's evidence) with its thresholds named right above it; `tests.rs` feeds each one
//! contrary measurements.

use super::{Lab, Verdict};

/// Two threads pinned to one CPU took at least this many times one thread's time: they took
/// turns (exactly 2 if they shared the CPU perfectly).
pub(super) const TOOK_TURNS: f64 = 1.6;
/// The same two threads ran at least this much faster on all CPUs than on one: in parallel.
pub(super) const RAN_IN_PARALLEL: f64 = 1.5;

pub(super) const TURNS: &str = "pinned / one (≈2 if they took turns)";
pub(super) const PINNED_LOSSY: &str =
    "unsynced 2x1000000 --window 100 on CPU 0: trials losing updates (of 3)";
pub(super) const ALL_CPUS: &str = "speed-up of all CPUs over one CPU";

/// C1: pinned/one ≥ TOOK_TURNS and the pinned racy counter lost updates → holds; else nuance.
pub(super) fn c1(l: &Lab) -> (Verdict, String) {
    let turns = l.get("parallelism", TURNS);
    let lossy = l.get("parallelism", PINNED_LOSSY);
    match (turns >= TOOK_TURNS, lossy > 0.0) {
        (true, true) => (Verdict::Holds, format!("two threads pinned to one CPU both finished in {turns:.1}x the time of one — they took turns — and the racy counter lost updates through preemption alone ({lossy} of 3 trials)")),
        (true, false) => (Verdict::Nuance, format!("the threads took turns ({turns:.1}x one thread's time), but preemption between a read and its write was not observed in this run ({lossy} of 3 trials)")),
        (false, _) => (Verdict::Nuance, format!("two threads pinned to one CPU took only {turns:.1}x one thread's time (below {TOOK_TURNS}): the pinning did not hold, or the measurement was disturbed")),
    }
}

/// C2: with ≥ 2 CPUs, all-CPUs speed-up ≥ RAN_IN_PARALLEL → holds; else nuance.
pub(super) fn c2(l: &Lab) -> (Verdict, String) {
    let s = l.get("parallelism", ALL_CPUS);
    l.show(
        "parallelism",
        &["two threads pinned to CPU 0", "two threads on all CPUs"],
    );
    l.show("cpu-vs-io", &["CPU-bound, 2 threads: speed-up"]);
    if l.cpus < 2.0 {
        (
            Verdict::Nuance,
            "this machine has one CPU: there is nothing to run in parallel on".into(),
        )
    } else if s >= RAN_IN_PARALLEL {
        (Verdict::Holds, format!("the same two CPU-bound threads finished {s:.1}x faster when they could use every CPU than on one"))
    } else {
        (Verdict::Nuance, format!("only {s:.1}x faster on all CPUs than on one (below {RAN_IN_PARALLEL}): the CPUs were busy with other work during the measurement"))
    }
}

/// Blocking submission took at least this fraction of the sum of the task times: the tasks
/// queued up.
pub(super) const QUEUED: f64 = 0.9;

/// C3: blocking (apply) time ≥ QUEUED × sum of task times, for threads and processes → holds;
/// else nuance.
pub(super) fn c3(l: &Lab) -> (Verdict, String) {
    let t = l.get("pool-submit", "thread pool, apply (blocking)");
    let p = l.get("pool-submit", "process pool, apply (blocking)");
    let serial = l.get("pool-submit", "sum of task times (N × 20 ms)");
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
    let a = l.get("pool-submit", "thread pool, apply_async (non-blocking)");
    let waves = l.get("pool-submit", "waves × task time (⌈N/P⌉ × 20 ms)");
    let b = l.get("pool-submit", "thread pool, apply (blocking)");
    l.show("pool-submit", &["process pool, apply_async (non-blocking)"]);
    if a <= WAVES_SLACK * waves && a < OVERLAPPED * b {
        (Verdict::Nuance, format!("submitted all at once, the tasks ran together: {a:.0} ms ≈ {waves:.0} ms — as many at a time as there are workers; more queue up in waves, and tasks sharing data would affect each other"))
    } else {
        (Verdict::DoesNotHold, format!("submitted all at once, the tasks still took {a:.0} ms (waves: {waves:.0} ms, one by one: {b:.0} ms): they did not run at once"))
    }
}

/// C5, C13: the parent's counter unchanged by the children (0), every child counting exactly
/// what one thread of the parent adds (M > 0) → holds; else does not hold.
pub(super) fn isolated(l: &Lab) -> (Verdict, String) {
    let parent = l.get("process-isolated", "parent count after the children");
    let children = l.all("process-isolated", "child ");
    let thread = l.get("process-isolated", "parent count after one thread");
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
    let segv = l.get("crash", "segfaulting child: signal");
    let parent = l.yes("crash", "parent still running after both");
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
    let square = l.get("process-create", "square(7) in child");
    let cube = l.get("process-create", "cube(3) in child");
    let elsewhere = l.get(
        "process-create",
        "children that ran in a process of their own",
    );
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
    let r = l.get("spawn-cost", "new process / reused process");
    let b = l.get("pool-submit", "process pool, apply (blocking)");
    let a = l.get("pool-submit", "process pool, apply_async (non-blocking)");
    l.show(
        "spawn-cost",
        &["process spawn+wait (true)", "task on a reused process pool"],
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
    let before = l.get("thread-count", "threads before");
    let during = l.get("thread-count", "threads while N workers run");
    let after = l.get("thread-count", "threads after");
    let n = l.get("thread-count", "workers");
    if before >= 1.0 && during == before + n && after == before {
        (Verdict::Holds, format!("the kernel listed {before} thread(s) in the lab's process, {during} while {n} workers ran, {after} after: each thread is scheduled on its own, inside one process"))
    } else {
        (Verdict::DoesNotHold, format!("the kernel listed {before} thread(s) before, {during} with {n} workers, {after} after: not one thread per worker"))
    }
}

/// C10: every worker saw the counter at one address and the shared count is workers × 1000
/// → holds; else does not hold.
pub(super) fn c10(l: &Lab) -> (Verdict, String) {
    let addrs = l.get(
        "thread-count",
        "distinct counter addresses seen by the workers",
    );
    let count = l.get("thread-count", "shared count (N × 1000 expected)");
    let n = l.get("thread-count", "workers");
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

pub(super) const SURVIVED: &str =
    "process still running after the panic (a child that ran to its end)";

/// C11: the panicking thread's join returned Err *and* its process ran on → does not hold;
/// the process died → holds; it ran on but join did not report the panic → nuance.
pub(super) fn c11(l: &Lab) -> (Verdict, String) {
    let join_err = l.yes("crash", "panicking thread: join returned Err");
    let survived = l.yes("crash", SURVIVED);
    l.show(
        "crash",
        &[
            "std Mutex poisoned afterwards",
            "parking_lot Mutex usable afterwards",
            "child with an aborting thread: signal",
        ],
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
    let r = l.get("spawn-cost", "new thread / reused thread");
    l.show(
        "spawn-cost",
        &["thread spawn+join", "task on a reused thread pool"],
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
    let sum = l.get("process-pipe", "parent's sum");
    let expected = l.get("process-pipe", "expected");
    let atomic_lossy = l.get("process-shm", "trials losing updates");
    let none_lossy = l.get("process-shm --sync none", "trials losing updates");
    l.show("process-shm --sync none", &["worst loss"]);
    match (sum == expected, atomic_lossy == 0.0) {
        (true, true) => (Verdict::Nuance, format!("message passing through pipes (the queue's mechanism) was exact, but it is not the only way: a shared-memory counter was exact with atomics and lost updates without ({none_lossy} of 3 trials); the Manager queue is a CPython detail")),
        (true, false) => (Verdict::Holds, format!("only message passing was exact: even atomic shared memory lost updates in {atomic_lossy} trials")),
        (false, _) => (Verdict::DoesNotHold, format!("the pipes delivered {sum} of {expected} increments: message passing lost data")),
    }
}

/// C15: both racy counters lost updates and no fixed one did → holds; a fixed one lost
/// updates → does not hold; else nuance.
pub(super) fn c15(l: &Lab) -> (Verdict, String) {
    let lost = |n: &str| {
        l.get(
            "counters",
            &format!("{n} 8x200000: trials losing updates (of 3)"),
        )
    };
    let (unsynced, racy_atomic) = (lost("unsynced"), lost("racy-atomic"));
    // Read all four (each is evidence), then ask whether every one was exact.
    let fixed: Vec<f64> = ["atomic", "mutex", "channel", "sharded"]
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
    let r = l.get("spawn-cost", "process / thread creation");
    l.show(
        "spawn-cost",
        &[
            "thread spawn+join",
            "process spawn+wait (true)",
            "re-exec of race-lab (worker)",
        ],
    );
    if r >= PROCESS_COSTS_MORE {
        (Verdict::Holds, format!("starting and reaping a process cost {r:.0}x as much as creating and joining a thread"))
    } else {
        (Verdict::Nuance, format!("starting a process cost only {r:.1}x a thread here (below {PROCESS_COSTS_MORE}x): the measurement was disturbed (see the figures)"))
    }
}

/// C17: pinned/one ≥ TOOK_TURNS and all-CPUs speed-up ≥ RAN_IN_PARALLEL → holds; else nuance.
pub(super) fn c17(l: &Lab) -> (Verdict, String) {
    let turns = l.get("parallelism", TURNS);
    let s = l.get("parallelism", ALL_CPUS);
    l.show(
        "parallelism",
        &[
            "one CPU-bound thread",
            "two threads pinned to CPU 0",
            "two threads on all CPUs",
        ],
    );
    let why = format!("pinned to one CPU, two threads needed {turns:.1}x one thread's time (turns); on all CPUs they ran {s:.1}x faster (parallel)");
    if turns >= TOOK_TURNS && s >= RAN_IN_PARALLEL {
        (Verdict::Holds, why)
    } else {
        (
            Verdict::Nuance,
            format!("{why}: not both (thresholds {TOOK_TURNS}x and {RAN_IN_PARALLEL}x)"),
        )
    }
}

/// Four threads below this speed-up did not run in parallel.
pub(super) const NO_SCALING: f64 = 1.3;
/// Four I/O-bound threads above this speed-up overlapped their waits.
pub(super) const WAITS_OVERLAP: f64 = 2.0;

/// C18: with the simulated GIL, 4 CPU-bound threads at < NO_SCALING and 4 I/O-bound threads
/// at ≥ WAITS_OVERLAP → nuance (the GIL stops parallel computation, not concurrency);
/// CPU-bound < NO_SCALING and I/O-bound too → holds; CPU-bound ≥ NO_SCALING → does not hold.
/// Guard: if nothing scaled even without the GIL (and I/O did not overlap), nuance.
pub(super) fn c18(l: &Lab) -> (Verdict, String) {
    let with = l.get("gil", "CPU-bound, with GIL, 4 threads: speed-up");
    let io = l.get("gil", "I/O-bound, with GIL, 4 threads: speed-up");
    let without = l.get("gil", "CPU-bound, no GIL, 4 threads: speed-up");
    if without < NO_SCALING && io < WAITS_OVERLAP {
        // Nothing scaled, GIL or not: the machine was busy, and the GIL cannot be told apart.
        (Verdict::Nuance, format!("neither CPU-bound threads without the GIL ({without:.1}x) nor I/O-bound threads with it ({io:.1}x) scaled: the machine was too busy to show what the GIL does"))
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
    let segv = l.get("crash", "segfaulting child: signal");
    let parent = l.yes("crash", "parent still running after both");
    let abort = l.get("crash", "child with an aborting thread: signal");
    let survived = l.yes("crash", SURVIVED);
    let join_err = l.yes("crash", "panicking thread: join returned Err");
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
    let pipe_exact = l.get("process-pipe", "parent's sum") == l.get("process-pipe", "expected");
    let shm_exact = l.get("process-shm", "trials losing updates") == 0.0;
    let channel_exact = l.get("counters", "channel 8x200000: trials losing updates (of 3)") == 0.0;
    let plain_lossy = l.get(
        "counters",
        "unsynced 8x200000: trials losing updates (of 3)",
    );
    l.show("process-pipe", &["cost (with process start-up)"]);
    l.show("process-shm", &["cost (with process start-up)"]);
    l.show("counters", &["channel: cost", "atomic: cost"]);
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

/// C21: I/O-bound 8 threads speed-up ≥ IO_SCALES and > CPUs → holds; else nuance.
pub(super) fn c21(l: &Lab) -> (Verdict, String) {
    let s = l.get("cpu-vs-io", "I/O-bound, 8 threads: speed-up");
    l.show("cpu-vs-io", &["I/O-bound, 8 processes: speed-up"]);
    l.show("gil", &["I/O-bound, with GIL, 4 threads: speed-up"]);
    let cpus = l.cpus;
    if s >= IO_SCALES && s > cpus {
        (Verdict::Holds, format!("8 threads waiting on I/O finished {s:.1}x faster than one, past the {cpus} CPUs: waiting uses no CPU, and threads are the cheapest way to wait"))
    } else {
        (Verdict::Nuance, format!("8 threads waiting on I/O finished only {s:.1}x faster than one (below {IO_SCALES}x or the {cpus} CPUs)"))
    }
}

/// Threads reaching at least this fraction of the processes' speed-up scale "as well".
pub(super) const AS_WELL: f64 = 0.8;

/// C22: 8 processes' CPU-bound speed-up < NO_SCALING → nuance (nothing to scale on); threads
/// ≥ AS_WELL × processes → does not hold (only under a GIL); else holds.
pub(super) fn c22(l: &Lab) -> (Verdict, String) {
    let t = l.get("cpu-vs-io", "CPU-bound, 8 threads: speed-up");
    let p = l.get("cpu-vs-io", "CPU-bound, 8 processes: speed-up");
    l.show("gil", &["CPU-bound, with GIL, 4 threads: speed-up"]);
    let cpus = l.cpus;
    if p < NO_SCALING {
        (Verdict::Nuance, format!("8 CPU-bound processes sped up only {p:.1}x on {cpus} CPUs: there was nothing to scale on"))
    } else if t >= AS_WELL * p {
        (Verdict::DoesNotHold, format!("holds only under a GIL: in Rust CPU-bound threads used all cores as well as processes did ({t:.1}x vs {p:.1}x with 8 on {cpus} CPUs)"))
    } else {
        (Verdict::Holds, format!("processes scaled CPU-bound work better than threads ({p:.1}x vs {t:.1}x with 8 on {cpus} CPUs)"))
    }
}

/// C23: children that aborted (SIGABRT) and segfaulted (SIGSEGV) were reported and the
/// parent ran on → holds; else does not hold.
pub(super) fn c23(l: &Lab) -> (Verdict, String) {
    let abrt = l.get("crash", "child with an aborting thread: signal");
    let segv = l.get("crash", "segfaulting child: signal");
    let parent = l.yes("crash", "parent still running after both");
    if abrt == SIGABRT && segv == SIGSEGV && parent {
        (Verdict::Holds, "children that aborted and segfaulted were reported by signal while the parent carried on; this is how the lab itself isolates loom".into())
    } else {
        (Verdict::DoesNotHold, format!("the children ended by signals {abrt} and {segv} (SIGABRT and SIGSEGV expected); parent still running: {parent}"))
    }
}
