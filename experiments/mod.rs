//! The catalogue: one file per experiment, each a short lesson — the question it asks,
//! what to expect and why, the outcomes it grades, and a kernel of a few lines written once
//! over the runtime facade (`crate::rt::Rt`) and run natively, under loom and by schedule.

use crate::experiment::Experiment;
use crate::procs::ProcExperiment;

/// `catalogue! { threads: [a, …], litmus: [b, …], processes: [c, …] }`: declares each
/// experiment's module and lists it — its `EXPERIMENT` in [`BUILTIN`] or [`PROCESS`], its
/// `TEST` in [`LITMUS`] — in the order given. Adding an experiment is one file and one name
/// here.
macro_rules! catalogue {
    (
        threads: [$($t:ident),* $(,)?],
        litmus: [$($(#[$la:meta])* $l:ident),* $(,)?],
        processes: [$($p:ident),* $(,)?] $(,)?
    ) => {
        $(pub mod $t;)*
        $($(#[$la])* pub mod $l;)*
        $(pub mod $p;)*
        /// Every built-in thread experiment, in the order `race-lab list` shows them.
        pub static BUILTIN: &[&Experiment] = &[$(&$t::EXPERIMENT),*];
        /// Every litmus test (`experiments/litmus_<name>.rs`, as `race-lab explain` finds
        /// them).
        pub static LITMUS: &[&crate::litmus::Litmus] = &[$(&$l::TEST),*];
        /// The experiments about processes (and threads versus processes), for `race-lab
        /// run` and `race-lab claims`. They run on the real OS only: loom and the scheduled
        /// world model threads.
        pub static PROCESS: &[&ProcExperiment] = &[$(&$p::EXPERIMENT),*];
    };
}

catalogue! {
    threads: [
    // The lost update and its fixes.
    unsynced,
    plain,
    racy_atomic,
    atomic,
    cas,
    mutex,
    parking_lot,
    channel,
    sharded,
    sharded_unpadded,
    local,
    // Classic thread-safety bugs, each paired with its fix (`race-lab list` groups them).
    bank_atomics,
    bank_locked,
    lazy_init,
    lazy_init_once,
    lazy_init_cas,
    lazy_init_locked,
    publish_relaxed,
    publish_release,
    dcl_relaxed,
    dcl_acquire,
    flag_lock,
    peterson,
    peterson_seqcst,
    peterson_fence,
    peterson_swap,
    spin_relaxed,
    spin_lock,
    ticket_lock,
    lost_wakeup,
    condvar_if,
    wait_while,
    bounded_buffer,
    bounded_buffer_one_cv,
    deadlock,
    deadlock_ordered,
    philosophers,
    philosophers_ordered,
    philosophers_waiter,
    philosophers_polite,
    rwlock_upgrade,
    rwlock_recheck,
    // The second half of the curriculum: semaphores, barriers, lock-free structures,
    // progress, compare-exchange, reference counting.
    semaphore,
    semaphore_extra_permit,
    prodcons_semaphores,
    prodcons_swapped,
    rendezvous,
    rendezvous_wait_first,
    barrier_sense,
    barrier_reset,
    latch,
    latch_notify_one,
    treiber_tagged,
    treiber_aba,
    spsc,
    spsc_relaxed,
    seqlock,
    seqlock_nofence,
    ticket_fair,
    spin_unfair,
    mcs_lock,
    rwlock_writer_first,
    rwlock_reader_first,
    spin_atomic,
    spin_plain,
    cas_once,
    cas_weak_once,
    cas_weak_loop,
    cas_failure_acquire,
    cas_failure_relaxed,
    arc,
    arc_relaxed,
    oneshot,
    oneshot_relaxed,
    // Boss levels: two bugs in one kernel.
    boss_semaphore_lock,
    boss_bank,
    boss_lazy_locks,
    ],
    // Memory-model litmus tests (`race-lab litmus`).
    litmus: [
        litmus_sb,
        litmus_mp,
        litmus_lb,
        litmus_iriw,
        #[path = "litmus_2+2w.rs"]
        litmus_2p2w,
        litmus_wrc,
        litmus_corr,
        litmus_s,
    ],
    // Processes versus threads: experiments that run on the real OS only.
    processes: [
        process_isolated,
        process_shm,
        process_pipe,
        process_create,
        spawn_cost,
        pool_submit,
        crash,
        gil,
        cpu_vs_io,
        parallelism,
        thread_count,
    ],
}

// What several lessons share (not an experiment).
pub mod shared;

/// Experiments added through the library API ([`crate::run_with_catalogue`]).
static EXTRA: std::sync::OnceLock<Vec<&'static Experiment>> = std::sync::OnceLock::new();

/// Adds a program's own experiments to the catalogue, once per process: a second call with
/// other experiments is refused (the same ones again, or none, change nothing). Names must
/// not clash with built-in ones or with each other.
pub fn extend(extra: &[&'static Experiment]) -> Result<(), String> {
    if extra.is_empty() {
        return Ok(());
    }
    for (i, e) in extra.iter().enumerate() {
        if BUILTIN.iter().any(|b| b.name == e.name) {
            return Err(format!("experiment '{}' is already built in", e.name));
        }
        if extra[..i].iter().any(|o| o.name == e.name) {
            return Err(format!("experiment '{}' is added twice", e.name));
        }
    }
    let same = |set: &Vec<&'static Experiment>| {
        set.len() == extra.len() && set.iter().zip(extra).all(|(a, b)| std::ptr::eq(*a, *b))
    };
    let set = EXTRA.get_or_init(|| extra.to_vec());
    if same(set) {
        Ok(())
    } else {
        Err(
            "this process's catalogue already has other added experiments: add them all in one Lab"
                .into(),
        )
    }
}

/// Every thread experiment: the built-in ones, then any a program added.
pub fn all() -> impl Iterator<Item = &'static Experiment> + Clone {
    BUILTIN
        .iter()
        .copied()
        .chain(EXTRA.get().into_iter().flatten().copied())
}

/// The child side of the process experiments: runs the task a worker process was given
/// (the harness runs its own tasks — noop, cpu, io, pool — itself).
pub fn run_child(task: crate::procs::Task) -> crate::error::Result<()> {
    use crate::procs::Task;
    match task {
        Task::Count { iters } => process_isolated::child(iters),
        Task::Shm {
            fd,
            iters,
            sync,
            procs,
        } => process_shm::child(fd, iters, sync, procs),
        Task::Pipe { iters, batch } => process_pipe::child(iters, batch),
        Task::Target { name, arg } => process_create::child(&name, arg),
        Task::PanicThread => crash::panic_in_thread(),
        Task::AbortThread => crash::abort_in_thread(),
        Task::Segv => crash::segfault(),
        other => Err(crate::error::LabError::usage(format!(
            "{} is the harness's task, not an experiment's",
            other.to_arg()
        ))),
    }
}

/// Looks a litmus test up by name (any case: `sb` is `SB`).
pub fn find_litmus(name: &str) -> Option<&'static crate::litmus::Litmus> {
    LITMUS
        .iter()
        .copied()
        .find(|t| t.name.eq_ignore_ascii_case(name))
}

/// Looks a process experiment up by name.
pub fn find_process(name: &str) -> Option<&'static ProcExperiment> {
    PROCESS.iter().copied().find(|e| e.name == name)
}

/// Looks an experiment up by name (any case).
pub fn find(name: &str) -> Option<&'static Experiment> {
    all().find(|e| e.name.eq_ignore_ascii_case(name))
}

/// The known name nearest to `name`, for "did you mean".
pub fn nearest(name: &str) -> Option<&'static str> {
    all()
        .map(|e| e.name)
        .chain(PROCESS.iter().map(|e| e.name))
        .map(|n| (strsim::damerau_levenshtein(name, n), n))
        .filter(|(d, n)| *d <= 3 || n.contains(name) || name.contains(n))
        .min()
        .map(|(_, n)| n)
}
