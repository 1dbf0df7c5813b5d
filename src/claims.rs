//! `race-lab claims`: every claim of the study notes the lab grew from (`CLAIMS.md`, C1–C23),
//! measured. Each claim names the experiments that test it; the experiments run once per
//! invocation (shared between claims), and each claim reads its evidence from their
//! measurements and gives a verdict with one sentence why.

use crate::error::{LabError, Result};
use crate::experiment::Params;
use crate::experiments;
use crate::procs::{Evidence, Measure, ProcParams, ShmSync};
use serde::Serialize;
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

/// One claim of the study notes.
pub struct Claim {
    pub id: &'static str,
    pub section: u8,
    pub en: &'static str,
    pub zh: &'static str,
    /// The experiments whose evidence it reads.
    pub experiments: &'static [&'static str],
    judge: fn(&Lab) -> (Verdict, String, Vec<Measure>),
}

/// A claim, measured.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimResult {
    pub id: &'static str,
    pub section: u8,
    pub text: &'static str,
    pub text_zh: &'static str,
    pub experiments: &'static [&'static str],
    pub evidence: Vec<Measure>,
    pub verdict: Verdict,
    pub why: String,
}

/// The evidence gathered so far, by experiment name.
pub struct Lab {
    evidence: HashMap<&'static str, Evidence>,
}

impl Lab {
    fn ev(&self, exp: &str) -> &Evidence {
        &self.evidence[exp]
    }
    fn get(&self, exp: &str, measure: &str) -> f64 {
        self.ev(exp).get(measure).unwrap_or(f64::NAN)
    }
    /// The named measures of an experiment, as evidence lines.
    fn pick(&self, exp: &str, names: &[&str]) -> Vec<Measure> {
        let ev = self.ev(exp);
        names
            .iter()
            .filter_map(|n| ev.measures.iter().find(|m| m.name == *n).cloned())
            .map(|m| Measure {
                name: format!("{exp}: {}", m.name),
                ..m
            })
            .collect()
    }
    fn all(&self, exp: &str) -> Vec<Measure> {
        self.ev(exp)
            .measures
            .iter()
            .map(|m| Measure {
                name: format!("{exp}: {}", m.name),
                ..m.clone()
            })
            .collect()
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
    let mut lab = Lab {
        evidence: HashMap::new(),
    };
    for name in experiments_needed(chosen) {
        if crate::machine::interrupted() {
            return Err(LabError {
                message: "interrupted".into(),
                code: 130,
            });
        }
        let ev = match name {
            "counters" => counters()?,
            "process-shm --sync none" => {
                let p = ProcParams {
                    sync: ShmSync::None,
                    ..params_for("process-shm")
                };
                (experiments::process_shm::EXPERIMENT.run)(&p)?
            }
            _ => {
                let exp = experiments::find_process(name).ok_or_else(|| {
                    LabError::failed(format!("claims name an unknown experiment '{name}'"))
                })?;
                (exp.run)(&params_for(name))?
            }
        };
        lab.evidence.insert(name, ev);
        progress(name);
    }
    Ok(chosen
        .iter()
        .map(|c| {
            let (verdict, why, evidence) = (c.judge)(&lab);
            ClaimResult {
                id: c.id,
                section: c.section,
                text: c.en,
                text_zh: c.zh,
                experiments: c.experiments,
                evidence,
                verdict,
                why,
            }
        })
        .collect())
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
            lossy += (r.value() < p.expected()) as u32;
            ns.extend(r.elapsed.map(|d| d.as_nanos() as f64 / p.expected() as f64));
        }
        ev.push(
            format!("{name} 8x200000: trials losing updates (of 3)"),
            lossy as f64,
            "trials",
        );
        ns.sort_by(f64::total_cmp);
        ev.push(
            format!("{name}: cost"),
            ns.get(ns.len() / 2).copied().unwrap_or(f64::NAN),
            "ns/increment",
        );
    }
    Ok(ev)
}

fn v(measures: Vec<Measure>, verdict: Verdict, why: String) -> (Verdict, String, Vec<Measure>) {
    (verdict, why, measures)
}

/// Every claim of `CLAIMS.md`.
pub static CLAIMS: &[Claim] = &[
    Claim {
        id: "C1",
        section: 1,
        en: "Concurrency: one CPU handles several tasks, each runs for a while in turn.",
        zh: "并发:单个 CPU 处理多个任务。各个任务交替执行一段时间",
        experiments: &["parallelism"],
        judge: |l| {
            let turns = l.get("parallelism", "pinned / one (≈2 if they took turns)");
            let lossy = l.get("parallelism", "unsynced 2x1000000 --window 100 on CPU 0: trials losing updates (of 3)");
            let m = l.pick("parallelism", &["pinned / one (≈2 if they took turns)", "unsynced 2x1000000 --window 100 on CPU 0: trials losing updates (of 3)"]);
            if turns > 1.6 && lossy > 0.0 {
                v(m, Verdict::Holds, format!("two threads pinned to one CPU both finished in {turns:.1}x the time of one — they took turns — and the racy counter lost updates through preemption alone"))
            } else {
                v(m, Verdict::Nuance, format!("the threads took turns ({turns:.1}x one thread's time), but preemption between a read and its write was not observed in this run ({lossy} of 3 trials)"))
            }
        },
    },
    Claim {
        id: "C2",
        section: 1,
        en: "Parallelism: several CPUs execute several tasks at the same instant.",
        zh: "并行:多个 CPU 同时执行多个任务。",
        experiments: &["parallelism", "cpu-vs-io"],
        judge: |l| {
            let s = l.get("parallelism", "speed-up of all CPUs over one CPU");
            let mut m = l.pick("parallelism", &["two threads pinned to CPU 0", "two threads on all CPUs", "speed-up of all CPUs over one CPU", "CPUs"]);
            m.extend(l.pick("cpu-vs-io", &["CPU-bound, 2 threads: speed-up"]));
            if crate::machine::cpus() < 2 {
                v(m, Verdict::Nuance, "this machine has one CPU: there is nothing to run in parallel on".into())
            } else if s > 1.5 {
                v(m, Verdict::Holds, format!("the same two CPU-bound threads finished {s:.1}x faster when they could use every CPU than on one"))
            } else {
                v(m, Verdict::Nuance, format!("only {s:.1}x faster on all CPUs than on one: the CPUs were busy with other work during the measurement"))
            }
        },
    },
    Claim {
        id: "C3",
        section: 1,
        en: "Synchronous: tasks queue up, the next starts when the previous one ends.",
        zh: "同步: 多个任务排队执行，第一个任务执行完毕之后，执行下一个任务",
        experiments: &["pool-submit"],
        judge: |l| {
            let (b, serial) = (l.get("pool-submit", "thread pool, apply (blocking)"), l.get("pool-submit", "sum of task times (N × 20 ms)"));
            let m = l.pick("pool-submit", &["thread pool, apply (blocking)", "process pool, apply (blocking)", "sum of task times (N × 20 ms)"]);
            let verdict = if b >= 0.9 * serial { Verdict::Holds } else { Verdict::Nuance };
            v(m, verdict, format!("submitting and waiting for each task in turn took {b:.0} ms for tasks summing to {serial:.0} ms, although 4 workers were idle"))
        },
    },
    Claim {
        id: "C4",
        section: 1,
        en: "Asynchronous: several tasks run at once without affecting each other.",
        zh: "异步: 多个任务同时执行，相互之间互不影响",
        experiments: &["pool-submit"],
        judge: |l| {
            let (a, waves, b) = (l.get("pool-submit", "thread pool, apply_async (non-blocking)"), l.get("pool-submit", "waves × task time (⌈N/P⌉ × 20 ms)"), l.get("pool-submit", "thread pool, apply (blocking)"));
            let m = l.pick("pool-submit", &["thread pool, apply_async (non-blocking)", "process pool, apply_async (non-blocking)", "waves × task time (⌈N/P⌉ × 20 ms)"]);
            let verdict = if a < 1.5 * waves && a < 0.6 * b { Verdict::Nuance } else { Verdict::DoesNotHold };
            v(m, verdict, format!("submitted all at once, the tasks ran together: {a:.0} ms ≈ {waves:.0} ms — as many at a time as there are workers; more queue up in waves, and tasks sharing data would affect each other"))
        },
    },
    Claim {
        id: "C5",
        section: 2,
        en: "A process is the OS unit of resource allocation; each has its own memory.",
        zh: "进程是操作系统进行资源分配的基本单位。每个进程都有自己独立的一块内存空间。",
        experiments: &["process-isolated"],
        judge: |l| isolated(l),
    },
    Claim {
        id: "C6",
        section: 2,
        en: "One process crashing does not affect other processes.",
        zh: "一个进程崩溃后，在保护模式下不会对其他进程产生影响。",
        experiments: &["crash"],
        judge: |l| {
            let m = l.pick("crash", &["segfaulting child: signal", "parent still running after both"]);
            let ok = l.ev("crash").ok;
            v(m, if ok { Verdict::Holds } else { Verdict::DoesNotHold }, "a child killed by SIGSEGV was reported by its parent, which carried on".into())
        },
    },
    Claim {
        id: "C7",
        section: 2,
        en: "Process creation: target function, or subclass overriding run.",
        zh: "创建进程对象: multiprocessing.Process(target=\"当前进程执行的任务\"); class 类(multiprocessing.Process) 重写run方法",
        experiments: &["process-create"],
        judge: |l| {
            let m = l.all("process-create");
            let ok = l.ev("process-create").ok;
            v(m, if ok { Verdict::Nuance } else { Verdict::DoesNotHold }, "both styles ran in child processes, but Rust cannot safely fork a process that has threads to call a closure: the child re-executes the program and runs a function (the target) or a Task type's run (the subclass) chosen by name".into())
        },
    },
    Claim {
        id: "C8",
        section: 2,
        en: "A process pool creates processes once and hands them out on demand; apply blocks, apply_async does not.",
        zh: "进程池:一次创建多个进程对象放到池中，需要用到进程对象的时候，直接从池里拿。pool.apply---阻塞; pool.apply_async---非阻塞(异步)",
        experiments: &["spawn-cost", "pool-submit"],
        judge: |l| {
            let r = l.get("spawn-cost", "new process / reused process");
            let (b, a) = (l.get("pool-submit", "process pool, apply (blocking)"), l.get("pool-submit", "process pool, apply_async (non-blocking)"));
            let mut m = l.pick("spawn-cost", &["process spawn+wait (true)", "task on a reused process pool", "new process / reused process"]);
            m.extend(l.pick("pool-submit", &["process pool, apply (blocking)", "process pool, apply_async (non-blocking)"]));
            let verdict = if r > 3.0 && a < 0.6 * b { Verdict::Holds } else { Verdict::Nuance };
            v(m, verdict, format!("a task on a live pool process cost {r:.0}x less than a new process, and 8 tasks took {b:.0} ms submitted with apply vs {a:.0} ms with apply_async"))
        },
    },
    Claim {
        id: "C9",
        section: 3,
        en: "A thread is the unit of CPU scheduling; a process has one or more threads.",
        zh: "线程是处理器任务调度和执行的基本单位。一个进程至少有一个线程，也可以运行多个线程。",
        experiments: &["thread-count"],
        judge: |l| {
            let m = l.pick("thread-count", &["threads before", "threads while N workers run", "threads after"]);
            let ok = l.ev("thread-count").ok;
            let (b, d) = (l.get("thread-count", "threads before"), l.get("thread-count", "threads while N workers run"));
            v(m, if ok { Verdict::Holds } else { Verdict::DoesNotHold }, format!("the kernel listed {b} threads in the lab's process (main and the Ctrl-C watcher), {d} while 8 workers ran: each thread is scheduled on its own, inside one process"))
        },
    },
    Claim {
        id: "C10",
        section: 3,
        en: "Threads share data.",
        zh: "多个线程之间可共享数据。",
        experiments: &["thread-count"],
        judge: |l| {
            let m = l.pick("thread-count", &["distinct counter addresses seen by the workers", "shared count (N × 1000 expected)"]);
            let ok = l.ev("thread-count").ok;
            v(m, if ok { Verdict::Holds } else { Verdict::DoesNotHold }, "every worker saw the counter at the same address and their increments added up in it; Rust only insists the sharing be declared (Arc) and synchronised (atomics, locks)".into())
        },
    },
    Claim {
        id: "C11",
        section: 3,
        en: "An uncaught exception in a thread crashes the whole process.",
        zh: "线程运行出错异常后，如果没有捕获，会导致整个进程崩溃。",
        experiments: &["crash"],
        judge: |l| {
            let m = l.pick("crash", &["panicking thread: join returned Err", "std Mutex poisoned afterwards", "parking_lot Mutex usable afterwards", "process still running after the panic", "child with an aborting thread: signal"]);
            v(m, Verdict::DoesNotHold, "a panic unwinds only its own thread — join returns Err, a std Mutex it held is poisoned, a parking_lot one is not — and the process lives on; only an abort (or a panic with panic=abort) takes the whole process down".into())
        },
    },
    Claim {
        id: "C12",
        section: 3,
        en: "Thread pool: create workers once, submit tasks.",
        zh: "线程池: pool = concurrent.futures.ThreadPoolExecutor(max_workers=3); pool.submit(\"当前线程执行的任务\")",
        experiments: &["spawn-cost"],
        judge: |l| {
            let r = l.get("spawn-cost", "new thread / reused thread");
            let m = l.pick("spawn-cost", &["thread spawn+join", "task on a reused thread pool", "new thread / reused thread"]);
            let verdict = if r > 1.5 { Verdict::Holds } else { Verdict::Nuance };
            v(m, verdict, format!("handing a task to a live pool thread cost {r:.1}x less than creating and joining a thread for it"))
        },
    },
    Claim {
        id: "C13",
        section: 4,
        en: "Processes do not share global variables.",
        zh: "进程间不共享全局变量",
        experiments: &["process-isolated"],
        judge: |l| isolated(l),
    },
    Claim {
        id: "C14",
        section: 4,
        en: "To share data, processes need a queue (multiprocessing.Queue); with pools a Manager queue is needed.",
        zh: "进程之间如果想共享数据，需要通过multiprocessing.Queue()；如果要使用进程池创建进程对象，又想通过队列实现共享，需要用multiprocessing.Manager().Queue()",
        experiments: &["process-pipe", "process-shm", "process-shm --sync none"],
        judge: |l| {
            let none = l.get("process-shm --sync none", "trials losing updates");
            let mut m = l.pick("process-pipe", &["parent's sum", "expected"]);
            m.extend(l.pick("process-shm", &["trials losing updates"]));
            m.extend(l.pick("process-shm --sync none", &["trials losing updates", "worst loss"]));
            let exact = l.ev("process-pipe").ok && l.ev("process-shm").ok;
            v(m, if exact { Verdict::Nuance } else { Verdict::DoesNotHold }, format!("message passing through pipes (the queue's mechanism) was exact, but it is not the only way: a shared-memory counter was exact with atomics and lost updates without ({none} of 3 trials); the Manager queue is a CPython detail"))
        },
    },
    Claim {
        id: "C15",
        section: 5,
        en: "Threads share globals; modifying a shared global from several threads gives wrong results (not thread-safe).",
        zh: "线程之间共享全局变量。如果多个线程共享了一个全局变量，当对全局变量进行了修改操作的话，可能会出现结果和期望的不一致情况，这种情况就属于线程不安全的",
        experiments: &["counters"],
        judge: |l| {
            let lost = |n: &str| l.get("counters", &format!("{n} 8x200000: trials losing updates (of 3)"));
            let m = l.pick("counters", &["unsynced 8x200000: trials losing updates (of 3)", "racy-atomic 8x200000: trials losing updates (of 3)", "atomic 8x200000: trials losing updates (of 3)", "mutex 8x200000: trials losing updates (of 3)", "channel 8x200000: trials losing updates (of 3)", "sharded 8x200000: trials losing updates (of 3)"]);
            let fixed_ok = ["atomic", "mutex", "channel", "sharded"].iter().all(|n| lost(n) == 0.0);
            let racy = lost("unsynced") > 0.0 && lost("racy-atomic") > 0.0;
            let verdict = match (racy, fixed_ok) {
                (true, true) => Verdict::Holds,
                (_, false) => Verdict::DoesNotHold,
                _ => Verdict::Nuance,
            };
            let why = match verdict {
                Verdict::Holds => "read-then-write counters lost updates (even with atomic loads and stores); fetch_add, a Mutex, a channel and per-thread shards never did — and in Rust the unsynchronised version does not even compile without `unsafe`".to_string(),
                Verdict::DoesNotHold => "a fixed counter lost updates: a bug in the lab".to_string(),
                Verdict::Nuance => format!(
                    "the fixes were exact, but this run did not catch both racy counters losing updates (unsynced {} of 3, racy-atomic {} of 3): a race shows only when threads really overlap — `race-lab explore` shows it every time",
                    lost("unsynced"),
                    lost("racy-atomic")
                ),
            };
            v(m, verdict, why)
        },
    },
    Claim {
        id: "C16",
        section: 6,
        en: "Creating a process costs much more than creating a thread.",
        zh: "创建进程需要分配独立的内存、打开文件等系统资源，开销较大。创建线程只需在所属进程的内存空间内进行少量资源分配，开销较小。",
        experiments: &["spawn-cost"],
        judge: |l| {
            let r = l.get("spawn-cost", "process / thread creation");
            let m = l.pick("spawn-cost", &["thread spawn+join", "process spawn+wait (true)", "re-exec of race-lab (worker)", "process / thread creation"]);
            let verdict = if r > 3.0 { Verdict::Holds } else { Verdict::Nuance };
            let why = if r > 3.0 {
                format!("starting and reaping a process cost {r:.0}x as much as creating and joining a thread")
            } else {
                format!("starting a process cost only {r:.1}x a thread here: the measurement was disturbed (see the figures)")
            };
            v(m, verdict, why)
        },
    },
    Claim {
        id: "C17",
        section: 6,
        en: "On one core, threads only take turns (pseudo-parallel); on several cores they run in parallel.",
        zh: "线程之间的异步在单核心 CPU 上是通过时间片轮转实现的“伪异步”（在同一时刻只有一个线程执行），在多核心 CPU 上可以实现异步。",
        experiments: &["parallelism"],
        judge: |l| {
            let (turns, s) = (l.get("parallelism", "pinned / one (≈2 if they took turns)"), l.get("parallelism", "speed-up of all CPUs over one CPU"));
            let m = l.pick("parallelism", &["one CPU-bound thread", "two threads pinned to CPU 0", "two threads on all CPUs"]);
            let verdict = if turns > 1.6 && s > 1.5 { Verdict::Holds } else { Verdict::Nuance };
            v(m, verdict, format!("pinned to one CPU, two threads needed {turns:.1}x one thread's time (turns); on all CPUs they ran {s:.1}x faster (parallel)"))
        },
    },
    Claim {
        id: "C18",
        section: 6,
        en: "In CPython, the GIL stops threads from running in parallel.",
        zh: "但是在Cpython中，因为GIL的存在，也不是真正的异步",
        experiments: &["gil"],
        judge: |l| {
            let (with, without) = (l.get("gil", "CPU-bound, with GIL, 4 threads: speed-up"), l.get("gil", "CPU-bound, no GIL, 4 threads: speed-up"));
            let m = l.pick("gil", &["CPU-bound, with GIL, 4 threads: speed-up", "CPU-bound, no GIL, 4 threads: speed-up", "I/O-bound, with GIL, 4 threads: speed-up"]);
            v(m, Verdict::Nuance, format!("Rust has no GIL; with a simulated one, 4 CPU-bound threads sped up only {with:.1}x (vs {without:.1}x without), while I/O-bound threads still overlapped their waits — the GIL stops parallel computation, not concurrency"))
        },
    },
    Claim {
        id: "C19",
        section: 6,
        en: "Processes are independent; a fault in one thread can bring down the whole process.",
        zh: "进程之间相互独立，一个进程的崩溃通常不会影响其他进程。而同一进程内的线程之间相互影响，一个线程出现问题可能导致整个进程崩溃。",
        experiments: &["crash"],
        judge: |l| {
            let m = l.pick("crash", &["panicking thread: join returned Err", "child with an aborting thread: signal", "segfaulting child: signal", "parent still running after both"]);
            v(m, Verdict::Nuance, "processes were independent (a crashing child left the parent running); within a process an abort or a segfault in one thread killed them all, but a panic — Rust's exception — stayed in its thread".into())
        },
    },
    Claim {
        id: "C20",
        section: 6,
        en: "Processes communicate through special mechanisms (pipes, queues, shared memory); threads through shared variables.",
        zh: "进程间通信相对复杂，需要使用特殊的机制，如管道、消息队列、共享内存等。线程间通信相对简单，因为它们共享内存，可以直接访问共享变量。",
        experiments: &["process-pipe", "process-shm", "counters"],
        judge: |l| {
            let mut m = l.pick("process-pipe", &["cost (with process start-up)"]);
            m.extend(l.pick("process-shm", &["cost (with process start-up)"]));
            m.extend(l.pick("counters", &["channel: cost", "atomic: cost"]));
            v(m, Verdict::Nuance, "processes did need a mechanism (a pipe, a shared page), but threads in Rust communicate through channels as often as through shared variables, and a shared variable needs synchronisation to be correct".into())
        },
    },
    Claim {
        id: "C21",
        section: 7,
        en: "Use threads for I/O-bound work (waiting on network or files).",
        zh: "适合使用多线程的情况：I/O 密集型任务：如网络请求、文件读写等。",
        experiments: &["cpu-vs-io", "gil"],
        judge: |l| {
            let s = l.get("cpu-vs-io", "I/O-bound, 8 threads: speed-up");
            let mut m = l.pick("cpu-vs-io", &["I/O-bound, 8 threads: speed-up", "I/O-bound, 8 processes: speed-up"]);
            m.extend(l.pick("gil", &["I/O-bound, with GIL, 4 threads: speed-up"]));
            let verdict = if s > 4.0 { Verdict::Holds } else { Verdict::Nuance };
            v(m, verdict, format!("8 threads waiting on I/O finished {s:.1}x faster than one, far past the {} CPUs: waiting uses no CPU, and threads are the cheapest way to wait", crate::machine::cpus()))
        },
    },
    Claim {
        id: "C22",
        section: 7,
        en: "Use processes for CPU-bound work, to use all cores.",
        zh: "适合使用多进程的情况：CPU 密集型任务：多进程可以利用多核心 CPU 实现真正的并行计算，充分发挥硬件性能。",
        experiments: &["cpu-vs-io", "gil"],
        judge: |l| {
            let (t, p) = (l.get("cpu-vs-io", "CPU-bound, 8 threads: speed-up"), l.get("cpu-vs-io", "CPU-bound, 8 processes: speed-up"));
            let mut m = l.pick("cpu-vs-io", &["CPU-bound, 2 threads: speed-up", "CPU-bound, 2 processes: speed-up", "CPU-bound, 8 threads: speed-up", "CPU-bound, 8 processes: speed-up"]);
            m.extend(l.pick("gil", &["CPU-bound, with GIL, 4 threads: speed-up"]));
            v(m, Verdict::DoesNotHold, format!("holds only under a GIL: in Rust CPU-bound threads used all cores as well as processes did ({t:.1}x vs {p:.1}x with 8 on {} CPUs)", crate::machine::cpus()))
        },
    },
    Claim {
        id: "C23",
        section: 7,
        en: "Use processes for isolation of unstable tasks.",
        zh: "需要隔离的任务：进程相互独立，一个进程崩溃不会影响其他进程。",
        experiments: &["crash"],
        judge: |l| {
            let m = l.pick("crash", &["child with an aborting thread: signal", "segfaulting child: signal", "parent still running after both"]);
            let ok = l.ev("crash").ok;
            v(m, if ok { Verdict::Holds } else { Verdict::DoesNotHold }, "children that aborted and segfaulted were reported by signal while the parent carried on; this is how the lab itself isolates loom".into())
        },
    },
];

fn isolated(l: &Lab) -> (Verdict, String, Vec<Measure>) {
    let m = l.all("process-isolated");
    let ok = l.ev("process-isolated").ok;
    let verdict = if ok {
        Verdict::Holds
    } else {
        Verdict::DoesNotHold
    };
    v(m, verdict, "each child counted only its own copy of the global; the parent's stayed unchanged, while one thread of the parent changed it".into())
}
