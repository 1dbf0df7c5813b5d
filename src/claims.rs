//! `race-lab claims`: every claim of the study notes the lab grew from (`CLAIMS.md`, C1–C23),
//! measured. Each claim names the experiments that test it; the experiments run once per
//! invocation (shared between claims), and each claim's *judge* — a pure function of the
//! measurements, with its thresholds written next to it — gives the verdict and one sentence
//! why. The measurements a judge reads are exactly the evidence the claim shows.

use crate::error::{LabError, Result};
use crate::experiment::Params;
use crate::experiments;
use crate::procs::{median, Evidence, Measure, ProcParams, ShmSync};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;

/// How a claim fares in Rust, on this machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Verdict {
    #[serde(rename = "holds")]
    Holds,
    #[serde(rename = "holds with a nuance")]
    Nuance,
    #[serde(rename = "does not hold in Rust")]
    DoesNotHold,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Nuance => "holds with a nuance",
            Verdict::DoesNotHold => "does not hold in Rust",
        }
    }
}

/// The unit of a measure a judge read but no experiment produced.
const MISSING: &str = "missing";

/// A judge: the verdict on a claim and one sentence why, from the measurements alone.
type Judge = fn(&Lab) -> (Verdict, String);

/// One claim of the study notes.
pub struct Claim {
    pub id: &'static str,
    pub section: u8,
    pub en: &'static str,
    pub zh: &'static str,
    /// The experiments whose evidence it reads.
    pub experiments: &'static [&'static str],
    judge: Judge,
}

/// A claim, measured.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimResult {
    pub id: &'static str,
    pub section: u8,
    pub text: &'static str,
    pub text_zh: &'static str,
    pub experiments: &'static [&'static str],
    /// Every measurement the verdict was computed from (unit `missing` if an experiment did
    /// not produce it: a bug).
    pub evidence: Vec<Measure>,
    pub verdict: Verdict,
    pub why: String,
}

/// The measurements gathered so far, by experiment, and the CPUs they ran on. Judges read it
/// through [`Lab::get`], which also records what they read: that record is the evidence.
pub struct Lab {
    evidence: HashMap<&'static str, Evidence>,
    cpus: f64,
    read: RefCell<Vec<Measure>>,
}

impl Lab {
    /// An empty lab for a machine of `cpus` CPUs.
    pub fn new(cpus: usize) -> Self {
        Lab {
            evidence: HashMap::new(),
            cpus: cpus as f64,
            read: RefCell::new(Vec::new()),
        }
    }

    /// Adds the evidence of experiment `name` (as the claims name it).
    pub fn insert(&mut self, name: &'static str, ev: Evidence) {
        self.evidence.insert(name, ev);
    }

    /// Measure `measure` of experiment `exp` (NaN if missing, which fails every threshold),
    /// recorded as evidence.
    fn get(&self, exp: &str, measure: &str) -> f64 {
        let found = self
            .evidence
            .get(exp)
            .and_then(|ev| ev.measures.iter().find(|m| m.name == measure));
        let m = match found {
            Some(m) => Measure {
                name: format!("{exp}: {}", m.name),
                ..m.clone()
            },
            None => Measure {
                name: format!("{exp}: {measure}"),
                value: f64::NAN,
                unit: MISSING.into(),
            },
        };
        let v = m.value;
        self.read.borrow_mut().push(m);
        v
    }

    /// A yes/no measure: true only if it was measured as 1.
    fn yes(&self, exp: &str, measure: &str) -> bool {
        self.get(exp, measure) == 1.0
    }

    /// Every measure of `exp` whose name starts with `prefix`, recorded as evidence.
    fn all(&self, exp: &str, prefix: &str) -> Vec<f64> {
        let names: Vec<String> = self
            .evidence
            .get(exp)
            .map(|ev| {
                ev.measures
                    .iter()
                    .filter(|m| m.name.starts_with(prefix))
                    .map(|m| m.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        names.iter().map(|n| self.get(exp, n)).collect()
    }

    /// Measures shown beside a verdict for context, without deciding it.
    fn show(&self, exp: &str, measures: &[&str]) {
        for m in measures {
            self.get(exp, m);
        }
    }

    /// Judges `claim` on what this lab holds.
    pub fn judge(&self, claim: &Claim) -> ClaimResult {
        self.read.borrow_mut().clear();
        let (verdict, why) = (claim.judge)(self);
        let mut evidence = self.read.take();
        // A measure read twice is shown once.
        let mut seen = std::collections::HashSet::new();
        evidence.retain(|m| seen.insert(m.name.clone()));
        ClaimResult {
            id: claim.id,
            section: claim.section,
            text: claim.en,
            text_zh: claim.zh,
            experiments: claim.experiments,
            evidence,
            verdict,
            why,
        }
    }
}

/// The parameters each experiment runs with for the claims: small enough that all 23 claims
/// take well under a minute on 2 CPUs.
fn params_for(name: &str) -> ProcParams {
    let base = ProcParams {
        procs: 4,
        iters: 200_000,
        trials: 3,
        sync: ShmSync::Atomic,
        pool: 4,
        tasks: 8,
    };
    match name {
        "spawn-cost" => ProcParams { tasks: 20, ..base },
        "thread-count" => ProcParams { procs: 8, ..base },
        "process-shm --sync none" => ProcParams {
            sync: ShmSync::None,
            ..base
        },
        _ => base,
    }
}

/// The claims `ids` name (all of them for none), or the first unknown id as an error.
pub fn select(ids: &[&str]) -> Result<Vec<&'static Claim>> {
    Ok(if ids.is_empty() {
        CLAIMS.iter().collect()
    } else {
        ids.iter()
            .map(|id| {
                let up = id.to_uppercase();
                CLAIMS.iter().find(|c| c.id == up).ok_or_else(|| {
                    LabError::usage(format!("unknown claim id '{id}': the claims are C1 to C23"))
                })
            })
            .collect::<Result<_>>()?
    })
}

/// The experiments `chosen` read their evidence from, each once.
pub fn experiments_needed(chosen: &[&Claim]) -> Vec<&'static str> {
    let mut needed: Vec<&'static str> = chosen
        .iter()
        .flat_map(|c| c.experiments.iter().copied())
        .collect();
    needed.sort_unstable();
    needed.dedup();
    needed
}

/// Runs what `chosen` need; `progress` is called after each experiment.
pub fn measure(
    chosen: &[&'static Claim],
    mut progress: impl FnMut(&str),
) -> Result<Vec<ClaimResult>> {
    let mut lab = Lab::new(crate::machine::cpus());
    for name in experiments_needed(chosen) {
        if crate::machine::interrupted() {
            return Err(LabError {
                message: "interrupted".into(),
                code: 130,
            });
        }
        let ev = match name {
            "counters" => counters()?,
            _ => {
                let base = name.split(" --").next().unwrap_or(name);
                let exp = experiments::find_process(base).ok_or_else(|| {
                    LabError::failed(format!("claims name an unknown experiment '{name}'"))
                })?;
                (exp.run)(&params_for(name))?
            }
        };
        lab.insert(name, ev);
        progress(name);
    }
    let results: Vec<ClaimResult> = chosen.iter().map(|c| lab.judge(c)).collect();
    // A judge reading a measure no experiment produced is a bug, not a verdict.
    for r in &results {
        if let Some(m) = r.evidence.iter().find(|m| m.unit == MISSING) {
            return Err(LabError::failed(format!(
                "claim {} reads '{}', which its experiment did not measure: a bug in the lab",
                r.id, m.name
            )));
        }
    }
    Ok(results)
}

/// The thread counters of the lab, run natively: which lose updates, which do not, and what
/// a channel message and a shared atomic cost between threads.
fn counters() -> Result<Evidence> {
    let mut ev = Evidence::new("counters");
    for name in [
        "unsynced",
        "racy-atomic",
        "atomic",
        "mutex",
        "channel",
        "sharded",
    ] {
        let exp = experiments::find(name).ok_or_else(|| LabError::failed("missing experiment"))?;
        let p = Params::new(8, 200_000);
        let mut lossy = 0;
        let mut ns = Vec::new();
        for _ in 0..3 {
            let r = (exp.kernels.native)(&p);
            lossy += (r.value < p.expected()) as u32;
            ns.extend(r.elapsed.map(|d| d.as_nanos() as f64 / p.expected() as f64));
        }
        ev.push(
            format!("{name} 8x200000: trials losing updates (of 3)"),
            lossy as f64,
            "trials",
        );
        ev.push(
            format!("{name}: cost"),
            median(&ns).unwrap_or(f64::NAN),
            "ns/increment",
        );
    }
    Ok(ev)
}

/// Every claim of `CLAIMS.md`.
pub static CLAIMS: &[Claim] = &[
    Claim {
        id: "C1",
        section: 1,
        en: "Concurrency: one CPU handles several tasks, each runs for a while in turn.",
        zh: "并发:单个 CPU 处理多个任务。各个任务交替执行一段时间",
        experiments: &["parallelism"],
        judge: c1,
    },
    Claim {
        id: "C2",
        section: 1,
        en: "Parallelism: several CPUs execute several tasks at the same instant.",
        zh: "并行:多个 CPU 同时执行多个任务。",
        experiments: &["parallelism", "cpu-vs-io"],
        judge: c2,
    },
    Claim {
        id: "C3",
        section: 1,
        en: "Synchronous: tasks queue up, the next starts when the previous one ends.",
        zh: "同步: 多个任务排队执行，第一个任务执行完毕之后，执行下一个任务",
        experiments: &["pool-submit"],
        judge: c3,
    },
    Claim {
        id: "C4",
        section: 1,
        en: "Asynchronous: several tasks run at once without affecting each other.",
        zh: "异步: 多个任务同时执行，相互之间互不影响",
        experiments: &["pool-submit"],
        judge: c4,
    },
    Claim {
        id: "C5",
        section: 2,
        en: "A process is the OS unit of resource allocation; each has its own memory.",
        zh: "进程是操作系统进行资源分配的基本单位。每个进程都有自己独立的一块内存空间。",
        experiments: &["process-isolated"],
        judge: c5,
    },
    Claim {
        id: "C6",
        section: 2,
        en: "One process crashing does not affect other processes.",
        zh: "一个进程崩溃后，在保护模式下不会对其他进程产生影响。",
        experiments: &["crash"],
        judge: c6,
    },
    Claim {
        id: "C7",
        section: 2,
        en: "Process creation: target function, or subclass overriding run.",
        zh: "创建进程对象: multiprocessing.Process(target=\"当前进程执行的任务\"); class 类(multiprocessing.Process) 重写run方法",
        experiments: &["process-create"],
        judge: c7,
    },
    Claim {
        id: "C8",
        section: 2,
        en: "A process pool creates processes once and hands them out on demand; apply blocks, apply_async does not.",
        zh: "进程池:一次创建多个进程对象放到池中，需要用到进程对象的时候，直接从池里拿。pool.apply---阻塞; pool.apply_async---非阻塞(异步)",
        experiments: &["spawn-cost", "pool-submit"],
        judge: c8,
    },
    Claim {
        id: "C9",
        section: 3,
        en: "A thread is the unit of CPU scheduling; a process has one or more threads.",
        zh: "线程是处理器任务调度和执行的基本单位。一个进程至少有一个线程，也可以运行多个线程。",
        experiments: &["thread-count"],
        judge: c9,
    },
    Claim {
        id: "C10",
        section: 3,
        en: "Threads share data.",
        zh: "多个线程之间可共享数据。",
        experiments: &["thread-count"],
        judge: c10,
    },
    Claim {
        id: "C11",
        section: 3,
        en: "An uncaught exception in a thread crashes the whole process.",
        zh: "线程运行出错异常后，如果没有捕获，会导致整个进程崩溃。",
        experiments: &["crash"],
        judge: c11,
    },
    Claim {
        id: "C12",
        section: 3,
        en: "Thread pool: create workers once, submit tasks.",
        zh: "线程池: pool = concurrent.futures.ThreadPoolExecutor(max_workers=3); pool.submit(\"当前线程执行的任务\")",
        experiments: &["spawn-cost"],
        judge: c12,
    },
    Claim {
        id: "C13",
        section: 4,
        en: "Processes do not share global variables.",
        zh: "进程间不共享全局变量",
        experiments: &["process-isolated"],
        judge: c13,
    },
    Claim {
        id: "C14",
        section: 4,
        en: "To share data, processes need a queue (multiprocessing.Queue); with pools a Manager queue is needed.",
        zh: "进程之间如果想共享数据，需要通过multiprocessing.Queue()；如果要使用进程池创建进程对象，又想通过队列实现共享，需要用multiprocessing.Manager().Queue()",
        experiments: &["process-pipe", "process-shm", "process-shm --sync none"],
        judge: c14,
    },
    Claim {
        id: "C15",
        section: 5,
        en: "Threads share globals; modifying a shared global from several threads gives wrong results (not thread-safe).",
        zh: "线程之间共享全局变量。如果多个线程共享了一个全局变量，当对全局变量进行了修改操作的话，可能会出现结果和期望的不一致情况，这种情况就属于线程不安全的",
        experiments: &["counters"],
        judge: c15,
    },
    Claim {
        id: "C16",
        section: 6,
        en: "Creating a process costs much more than creating a thread.",
        zh: "创建进程需要分配独立的内存、打开文件等系统资源，开销较大。创建线程只需在所属进程的内存空间内进行少量资源分配，开销较小。",
        experiments: &["spawn-cost"],
        judge: c16,
    },
    Claim {
        id: "C17",
        section: 6,
        en: "On one core, threads only take turns (pseudo-parallel); on several cores they run in parallel.",
        zh: "线程之间的异步在单核心 CPU 上是通过时间片轮转实现的“伪异步”（在同一时刻只有一个线程执行），在多核心 CPU 上可以实现异步。",
        experiments: &["parallelism"],
        judge: c17,
    },
    Claim {
        id: "C18",
        section: 6,
        en: "In CPython, the GIL stops threads from running in parallel.",
        zh: "但是在Cpython中，因为GIL的存在，也不是真正的异步",
        experiments: &["gil"],
        judge: c18,
    },
    Claim {
        id: "C19",
        section: 6,
        en: "Processes are independent; a fault in one thread can bring down the whole process.",
        zh: "进程之间相互独立，一个进程的崩溃通常不会影响其他进程。而同一进程内的线程之间相互影响，一个线程出现问题可能导致整个进程崩溃。",
        experiments: &["crash"],
        judge: c19,
    },
    Claim {
        id: "C20",
        section: 6,
        en: "Processes communicate through special mechanisms (pipes, queues, shared memory); threads through shared variables.",
        zh: "进程间通信相对复杂，需要使用特殊的机制，如管道、消息队列、共享内存等。线程间通信相对简单，因为它们共享内存，可以直接访问共享变量。",
        experiments: &["process-pipe", "process-shm", "counters"],
        judge: c20,
    },
    Claim {
        id: "C21",
        section: 7,
        en: "Use threads for I/O-bound work (waiting on network or files).",
        zh: "适合使用多线程的情况：I/O 密集型任务：如网络请求、文件读写等。",
        experiments: &["cpu-vs-io", "gil"],
        judge: c21,
    },
    Claim {
        id: "C22",
        section: 7,
        en: "Use processes for CPU-bound work, to use all cores.",
        zh: "适合使用多进程的情况：CPU 密集型任务：多进程可以利用多核心 CPU 实现真正的并行计算，充分发挥硬件性能。",
        experiments: &["cpu-vs-io", "gil"],
        judge: c22,
    },
    Claim {
        id: "C23",
        section: 7,
        en: "Use processes for isolation of unstable tasks.",
        zh: "需要隔离的任务：进程相互独立，一个进程崩溃不会影响其他进程。",
        experiments: &["crash"],
        judge: c23,
    },];

// ---------------------------------------------------------------------------------------
// The judges, one per claim: measurement → threshold → verdict. Each is a pure function of
// the lab's measurements; the tests below feed each one contrary measurements.
// ---------------------------------------------------------------------------------------

/// Two threads pinned to one CPU took at least this many times one thread's time: they took
/// turns (exactly 2 if they shared the CPU perfectly).
const TOOK_TURNS: f64 = 1.6;
/// The same two threads ran at least this much faster on all CPUs than on one: in parallel.
const RAN_IN_PARALLEL: f64 = 1.5;

const TURNS: &str = "pinned / one (≈2 if they took turns)";
const PINNED_LOSSY: &str = "unsynced 2x1000000 --window 100 on CPU 0: trials losing updates (of 3)";
const ALL_CPUS: &str = "speed-up of all CPUs over one CPU";

/// C1: pinned/one ≥ TOOK_TURNS and the pinned racy counter lost updates → holds; else nuance.
fn c1(l: &Lab) -> (Verdict, String) {
    let turns = l.get("parallelism", TURNS);
    let lossy = l.get("parallelism", PINNED_LOSSY);
    match (turns >= TOOK_TURNS, lossy > 0.0) {
        (true, true) => (Verdict::Holds, format!("two threads pinned to one CPU both finished in {turns:.1}x the time of one — they took turns — and the racy counter lost updates through preemption alone ({lossy} of 3 trials)")),
        (true, false) => (Verdict::Nuance, format!("the threads took turns ({turns:.1}x one thread's time), but preemption between a read and its write was not observed in this run ({lossy} of 3 trials)")),
        (false, _) => (Verdict::Nuance, format!("two threads pinned to one CPU took only {turns:.1}x one thread's time (below {TOOK_TURNS}): the pinning did not hold, or the measurement was disturbed")),
    }
}

/// C2: with ≥ 2 CPUs, all-CPUs speed-up ≥ RAN_IN_PARALLEL → holds; else nuance.
fn c2(l: &Lab) -> (Verdict, String) {
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
const QUEUED: f64 = 0.9;

/// C3: blocking (apply) time ≥ QUEUED × sum of task times, for threads and processes → holds;
/// else nuance.
fn c3(l: &Lab) -> (Verdict, String) {
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
const WAVES_SLACK: f64 = 1.5;
/// …and in less than this fraction of the blocking time: the tasks overlapped.
const OVERLAPPED: f64 = 0.6;

/// C4: apply_async ≤ WAVES_SLACK × waves and < OVERLAPPED × apply → nuance (they ran at once,
/// in waves of P); otherwise does not hold.
fn c4(l: &Lab) -> (Verdict, String) {
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
fn isolated(l: &Lab) -> (Verdict, String) {
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

fn c5(l: &Lab) -> (Verdict, String) {
    isolated(l)
}

const SIGABRT: f64 = nix::sys::signal::Signal::SIGABRT as i32 as f64;
const SIGSEGV: f64 = nix::sys::signal::Signal::SIGSEGV as i32 as f64;

/// C6: a child killed by SIGSEGV and the parent still running afterwards → holds; else does
/// not hold.
fn c6(l: &Lab) -> (Verdict, String) {
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
fn c7(l: &Lab) -> (Verdict, String) {
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
const REUSE_PAYS: f64 = 3.0;

/// C8: new/reused process ≥ REUSE_PAYS and process apply_async < OVERLAPPED × apply → holds;
/// else nuance.
fn c8(l: &Lab) -> (Verdict, String) {
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
fn c9(l: &Lab) -> (Verdict, String) {
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
fn c10(l: &Lab) -> (Verdict, String) {
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

const SURVIVED: &str = "process still running after the panic (a child that ran to its end)";

/// C11: the panicking thread's join returned Err *and* its process ran on → does not hold;
/// the process died → holds; it ran on but join did not report the panic → nuance.
fn c11(l: &Lab) -> (Verdict, String) {
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
const THREAD_REUSE_PAYS: f64 = 1.5;

/// C12: new/reused thread ≥ THREAD_REUSE_PAYS → holds; else nuance.
fn c12(l: &Lab) -> (Verdict, String) {
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

fn c13(l: &Lab) -> (Verdict, String) {
    isolated(l)
}

/// C14: pipes exact and atomic shared memory exact → nuance (a queue is one way, not the only
/// one); pipes exact but atomic shared memory lossy → holds (only messages were exact); pipes
/// inexact → does not hold.
fn c14(l: &Lab) -> (Verdict, String) {
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
fn c15(l: &Lab) -> (Verdict, String) {
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
const PROCESS_COSTS_MORE: f64 = 3.0;

/// C16: process/thread creation ≥ PROCESS_COSTS_MORE → holds; else nuance.
fn c16(l: &Lab) -> (Verdict, String) {
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
fn c17(l: &Lab) -> (Verdict, String) {
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
const NO_SCALING: f64 = 1.3;
/// Four I/O-bound threads above this speed-up overlapped their waits.
const WAITS_OVERLAP: f64 = 2.0;

/// C18: with the simulated GIL, 4 CPU-bound threads at < NO_SCALING and 4 I/O-bound threads
/// at ≥ WAITS_OVERLAP → nuance (the GIL stops parallel computation, not concurrency);
/// CPU-bound < NO_SCALING and I/O-bound too → holds; CPU-bound ≥ NO_SCALING → does not hold.
fn c18(l: &Lab) -> (Verdict, String) {
    let with = l.get("gil", "CPU-bound, with GIL, 4 threads: speed-up");
    let io = l.get("gil", "I/O-bound, with GIL, 4 threads: speed-up");
    let without = l.get("gil", "CPU-bound, no GIL, 4 threads: speed-up");
    if with >= NO_SCALING {
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
fn c19(l: &Lab) -> (Verdict, String) {
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
fn c20(l: &Lab) -> (Verdict, String) {
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
const IO_SCALES: f64 = 4.0;

/// C21: I/O-bound 8 threads speed-up ≥ IO_SCALES and > CPUs → holds; else nuance.
fn c21(l: &Lab) -> (Verdict, String) {
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
const AS_WELL: f64 = 0.8;

/// C22: 8 processes' CPU-bound speed-up < NO_SCALING → nuance (nothing to scale on); threads
/// ≥ AS_WELL × processes → does not hold (only under a GIL); else holds.
fn c22(l: &Lab) -> (Verdict, String) {
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
fn c23(l: &Lab) -> (Verdict, String) {
    let abrt = l.get("crash", "child with an aborting thread: signal");
    let segv = l.get("crash", "segfaulting child: signal");
    let parent = l.yes("crash", "parent still running after both");
    if abrt == SIGABRT && segv == SIGSEGV && parent {
        (Verdict::Holds, "children that aborted and segfaulted were reported by signal while the parent carried on; this is how the lab itself isolates loom".into())
    } else {
        (Verdict::DoesNotHold, format!("the children ended by signals {abrt} and {segv} (SIGABRT and SIGSEGV expected); parent still running: {parent}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a 2-CPU machine typically measures: every measure some judge reads.
    fn typical() -> Vec<(&'static str, &'static str, f64)> {
        let mut m = vec![
            ("parallelism", TURNS, 2.0),
            ("parallelism", PINNED_LOSSY, 2.0),
            ("parallelism", ALL_CPUS, 1.9),
            ("parallelism", "one CPU-bound thread", 100.0),
            ("parallelism", "two threads pinned to CPU 0", 200.0),
            ("parallelism", "two threads on all CPUs", 105.0),
            ("cpu-vs-io", "CPU-bound, 2 threads: speed-up", 1.9),
            ("cpu-vs-io", "CPU-bound, 8 threads: speed-up", 1.9),
            ("cpu-vs-io", "CPU-bound, 8 processes: speed-up", 1.9),
            ("cpu-vs-io", "I/O-bound, 8 threads: speed-up", 7.5),
            ("cpu-vs-io", "I/O-bound, 8 processes: speed-up", 6.0),
            ("pool-submit", "thread pool, apply (blocking)", 161.0),
            ("pool-submit", "process pool, apply (blocking)", 162.0),
            (
                "pool-submit",
                "thread pool, apply_async (non-blocking)",
                40.0,
            ),
            (
                "pool-submit",
                "process pool, apply_async (non-blocking)",
                41.0,
            ),
            ("pool-submit", "sum of task times (N × 20 ms)", 160.0),
            ("pool-submit", "waves × task time (⌈N/P⌉ × 20 ms)", 40.0),
            ("process-isolated", "parent count after the children", 0.0),
            ("process-isolated", "child 0 count", 5000.0),
            ("process-isolated", "child 1 count", 5000.0),
            ("process-isolated", "parent count after one thread", 5000.0),
            ("crash", "panicking thread: join returned Err", 1.0),
            ("crash", "std Mutex poisoned afterwards", 1.0),
            ("crash", "parking_lot Mutex usable afterwards", 1.0),
            ("crash", SURVIVED, 1.0),
            ("crash", "child with an aborting thread: signal", 6.0),
            ("crash", "segfaulting child: signal", 11.0),
            ("crash", "parent still running after both", 1.0),
            ("process-create", "square(7) in child", 49.0),
            ("process-create", "cube(3) in child", 27.0),
            (
                "process-create",
                "children that ran in a process of their own",
                2.0,
            ),
            ("spawn-cost", "thread spawn+join", 60.0),
            ("spawn-cost", "process spawn+wait (true)", 700.0),
            ("spawn-cost", "re-exec of race-lab (worker)", 1500.0),
            ("spawn-cost", "task on a reused thread pool", 10.0),
            ("spawn-cost", "task on a reused process pool", 30.0),
            ("spawn-cost", "process / thread creation", 12.0),
            ("spawn-cost", "new process / reused process", 23.0),
            ("spawn-cost", "new thread / reused thread", 6.0),
            ("thread-count", "workers", 8.0),
            ("thread-count", "threads before", 2.0),
            ("thread-count", "threads while N workers run", 10.0),
            ("thread-count", "threads after", 2.0),
            (
                "thread-count",
                "distinct counter addresses seen by the workers",
                1.0,
            ),
            ("thread-count", "shared count (N × 1000 expected)", 8000.0),
            ("process-pipe", "parent's sum", 30000.0),
            ("process-pipe", "expected", 30000.0),
            ("process-pipe", "cost (with process start-up)", 100.0),
            ("process-shm", "trials losing updates", 0.0),
            ("process-shm", "cost (with process start-up)", 200.0),
            ("process-shm --sync none", "trials losing updates", 3.0),
            ("process-shm --sync none", "worst loss", 20.0),
            ("gil", "CPU-bound, with GIL, 4 threads: speed-up", 1.0),
            ("gil", "CPU-bound, no GIL, 4 threads: speed-up", 1.9),
            ("gil", "I/O-bound, with GIL, 4 threads: speed-up", 3.9),
        ];
        for (name, lost) in [
            ("unsynced", 3.0),
            ("racy-atomic", 2.0),
            ("atomic", 0.0),
            ("mutex", 0.0),
            ("channel", 0.0),
            ("sharded", 0.0),
        ] {
            let lossy: &'static str =
                Box::leak(format!("{name} 8x200000: trials losing updates (of 3)").into());
            let cost: &'static str = Box::leak(format!("{name}: cost").into());
            m.push(("counters", lossy, lost));
            m.push(("counters", cost, 5.0));
        }
        m
    }

    /// A lab of `typical()` measures with `(exp, measure)` replaced by `value`.
    fn lab_with(change: Option<(&str, &str, f64)>) -> Lab {
        let mut measures = typical();
        if let Some((exp, name, value)) = change {
            let m = measures
                .iter_mut()
                .find(|(e, n, _)| *e == exp && *n == name)
                .unwrap_or_else(|| panic!("no typical measure {exp}: {name}"));
            m.2 = value;
        }
        let mut lab = Lab::new(2);
        for (exp, name, value) in measures {
            let ev = lab
                .evidence
                .entry(exp)
                .or_insert_with(|| Evidence::new("synthetic"));
            ev.push(name, value, "");
        }
        lab
    }

    fn verdict(id: &str, lab: &Lab) -> Verdict {
        let claim = CLAIMS.iter().find(|c| c.id == id).unwrap();
        let r = lab.judge(claim);
        assert!(
            r.evidence.iter().all(|m| m.unit != MISSING),
            "{id} read a measure the synthetic lab lacks: {:?}",
            r.evidence
        );
        r.verdict
    }

    use Verdict::{DoesNotHold as No, Holds as Yes, Nuance as Nu};

    /// Each claim: its verdict on typical measurements, then contrary measurements (one
    /// changed at a time) and the verdict each must turn it into.
    #[allow(clippy::type_complexity)]
    const CASES: &[(&str, Verdict, &[(&str, &str, f64, Verdict)])] = &[
        (
            "C1",
            Yes,
            &[
                ("parallelism", PINNED_LOSSY, 0.0, Nu),
                ("parallelism", TURNS, 1.0, Nu),
            ],
        ),
        ("C2", Yes, &[("parallelism", ALL_CPUS, 1.0, Nu)]),
        (
            "C3",
            Yes,
            &[("pool-submit", "thread pool, apply (blocking)", 80.0, Nu)],
        ),
        (
            "C4",
            Nu,
            &[(
                "pool-submit",
                "thread pool, apply_async (non-blocking)",
                160.0,
                No,
            )],
        ),
        (
            "C5",
            Yes,
            &[
                (
                    "process-isolated",
                    "parent count after the children",
                    5000.0,
                    No,
                ),
                ("process-isolated", "child 1 count", 4000.0, No),
            ],
        ),
        (
            "C6",
            Yes,
            &[
                ("crash", "segfaulting child: signal", 0.0, No),
                ("crash", "parent still running after both", 0.0, No),
            ],
        ),
        (
            "C7",
            Nu,
            &[
                (
                    "process-create",
                    "children that ran in a process of their own",
                    1.0,
                    No,
                ),
                ("process-create", "square(7) in child", 0.0, No),
            ],
        ),
        (
            "C8",
            Yes,
            &[
                ("spawn-cost", "new process / reused process", 1.0, Nu),
                (
                    "pool-submit",
                    "process pool, apply_async (non-blocking)",
                    162.0,
                    Nu,
                ),
            ],
        ),
        (
            "C9",
            Yes,
            &[
                ("thread-count", "threads while N workers run", 3.0, No),
                ("thread-count", "threads after", 10.0, No),
            ],
        ),
        (
            "C10",
            Yes,
            &[
                (
                    "thread-count",
                    "distinct counter addresses seen by the workers",
                    8.0,
                    No,
                ),
                (
                    "thread-count",
                    "shared count (N × 1000 expected)",
                    7999.0,
                    No,
                ),
            ],
        ),
        (
            "C11",
            No,
            &[
                ("crash", SURVIVED, 0.0, Yes),
                ("crash", "panicking thread: join returned Err", 0.0, Nu),
            ],
        ),
        (
            "C12",
            Yes,
            &[("spawn-cost", "new thread / reused thread", 1.0, Nu)],
        ),
        (
            "C13",
            Yes,
            &[(
                "process-isolated",
                "parent count after the children",
                4.0,
                No,
            )],
        ),
        (
            "C14",
            Nu,
            &[
                ("process-shm", "trials losing updates", 1.0, Yes),
                ("process-pipe", "parent's sum", 29000.0, No),
            ],
        ),
        (
            "C15",
            Yes,
            &[
                (
                    "counters",
                    "unsynced 8x200000: trials losing updates (of 3)",
                    0.0,
                    Nu,
                ),
                (
                    "counters",
                    "mutex 8x200000: trials losing updates (of 3)",
                    1.0,
                    No,
                ),
            ],
        ),
        (
            "C16",
            Yes,
            &[("spawn-cost", "process / thread creation", 2.0, Nu)],
        ),
        (
            "C17",
            Yes,
            &[
                ("parallelism", ALL_CPUS, 1.0, Nu),
                ("parallelism", TURNS, 1.0, Nu),
            ],
        ),
        (
            "C18",
            Nu,
            &[
                ("gil", "CPU-bound, with GIL, 4 threads: speed-up", 1.9, No),
                ("gil", "I/O-bound, with GIL, 4 threads: speed-up", 1.0, Yes),
            ],
        ),
        (
            "C19",
            Nu,
            &[
                ("crash", SURVIVED, 0.0, Yes),
                ("crash", "child with an aborting thread: signal", 0.0, No),
                ("crash", "segfaulting child: signal", 0.0, No),
            ],
        ),
        (
            "C20",
            Nu,
            &[
                (
                    "counters",
                    "unsynced 8x200000: trials losing updates (of 3)",
                    0.0,
                    Yes,
                ),
                ("process-pipe", "parent's sum", 1.0, No),
                (
                    "counters",
                    "channel 8x200000: trials losing updates (of 3)",
                    1.0,
                    No,
                ),
            ],
        ),
        (
            "C21",
            Yes,
            &[("cpu-vs-io", "I/O-bound, 8 threads: speed-up", 1.5, Nu)],
        ),
        (
            "C22",
            No,
            &[
                ("cpu-vs-io", "CPU-bound, 8 threads: speed-up", 1.0, Yes),
                ("cpu-vs-io", "CPU-bound, 8 processes: speed-up", 1.0, Nu),
            ],
        ),
        (
            "C23",
            Yes,
            &[
                ("crash", "child with an aborting thread: signal", 0.0, No),
                ("crash", "parent still running after both", 0.0, No),
            ],
        ),
    ];

    #[test]
    fn every_verdict_follows_its_measurements() {
        let base = lab_with(None);
        for (id, typical, contrary) in CASES {
            assert_eq!(verdict(id, &base), *typical, "{id} on typical measurements");
            assert!(!contrary.is_empty(), "{id} has no contrary measurement");
            for &(exp, name, value, expect) in *contrary {
                assert_ne!(
                    expect, *typical,
                    "{id}: a contrary case must change the verdict"
                );
                let lab = lab_with(Some((exp, name, value)));
                assert_eq!(
                    verdict(id, &lab),
                    expect,
                    "{id} with {exp}: {name} = {value}"
                );
            }
        }
    }

    #[test]
    fn every_claim_has_contrary_cases() {
        let ids: Vec<&str> = CASES.iter().map(|c| c.0).collect();
        let all: Vec<&str> = CLAIMS.iter().map(|c| c.id).collect();
        assert_eq!(ids, all);
    }

    #[test]
    fn the_evidence_is_what_the_judge_read() {
        let r = lab_with(None).judge(&CLAIMS[10]); // C11
        let names: Vec<&str> = r.evidence.iter().map(|m| m.name.as_str()).collect();
        assert!(
            names.contains(&"crash: panicking thread: join returned Err"),
            "{names:?}"
        );
        assert!(
            names.contains(&format!("crash: {SURVIVED}").as_str()),
            "{names:?}"
        );
        // A lab without the experiment: every read is flagged missing, never silently judged.
        let empty = Lab::new(2);
        for c in CLAIMS {
            let r = empty.judge(c);
            assert!(!r.evidence.is_empty(), "{} read nothing", c.id);
            assert!(r.evidence.iter().all(|m| m.unit == MISSING), "{}", c.id);
        }
    }

    #[test]
    fn one_cpu_is_judged_as_one_cpu() {
        let mut lab = lab_with(None);
        lab.cpus = 1.0;
        assert_eq!(verdict("C2", &lab), Nu);
    }
}
