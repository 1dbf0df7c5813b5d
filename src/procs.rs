//! Child processes: the lab re-executes itself in a hidden worker mode
//! (`race-lab __worker <task> …`), never `fork()`s a process that has threads, and never lets a
//! child outlive it:
//!
//! * every child asks the kernel to kill it when its parent dies (`PR_SET_PDEATHSIG`), so not
//!   even a `kill -9` of the lab leaves one behind;
//! * every child is owned by a [`Children`] guard that kills and reaps whatever is still
//!   running when the guard is dropped — on success, on error, on Ctrl-C;
//! * shared memory is an anonymous `memfd` inherited by the children: it has no name, so
//!   nothing is ever left in `/dev/shm`.

use crate::error::{LabError, Result};
use serde::Serialize;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::AtomicU64;
use std::time::Duration;

/// The most child processes one experiment starts.
pub const MAX_PROCS: usize = 256;

/// Validates a process count against the lab's and the system's limits.
pub fn check_procs(n: usize, flag: &str) -> Result<()> {
    if n == 0 {
        return Err(LabError::usage(format!("{flag} must be at least 1")));
    }
    let limit = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NPROC)
        .map(|(soft, _)| soft)
        .unwrap_or(u64::MAX);
    if n as u64 > limit {
        return Err(LabError::usage(format!(
            "{flag} {n} exceeds this system's process limit (RLIMIT_NPROC = {limit})"
        )));
    }
    if n > MAX_PROCS {
        return Err(LabError::usage(format!(
            "{flag} {n} is more than the lab's limit of {MAX_PROCS} processes"
        )));
    }
    Ok(())
}

/// The lab's own binary, to re-execute as a worker.
fn exe() -> Result<std::path::PathBuf> {
    let exe = std::env::current_exe().map_err(|e| {
        LabError::usage(format!(
            "cannot find the race-lab binary to start workers: {e}"
        ))
    })?;
    if !exe.exists() {
        return Err(LabError::usage(format!(
            "the worker binary {} is missing (was it rebuilt or deleted while running?)",
            exe.display()
        )));
    }
    Ok(exe)
}

/// Child processes that are killed and reaped when this guard is dropped.
#[derive(Default)]
pub struct Children {
    kids: Vec<Child>,
}

/// How a child's standard streams are connected.
#[derive(Clone, Copy)]
pub struct Pipes {
    pub stdin: bool,
    pub stdout: bool,
}

impl Pipes {
    /// Neither stdin nor stdout piped.
    pub const NONE: Pipes = Pipes {
        stdin: false,
        stdout: false,
    };
    /// Stdout piped to the parent.
    pub const OUT: Pipes = Pipes {
        stdin: false,
        stdout: true,
    };
    /// Both piped.
    pub const BOTH: Pipes = Pipes {
        stdin: true,
        stdout: true,
    };
}

impl Children {
    pub fn new() -> Self {
        Children::default()
    }

    /// Starts `race-lab __worker <args…>`; returns its index.
    pub fn spawn_worker(&mut self, args: &[String], pipes: Pipes) -> Result<usize> {
        let mut cmd = Command::new(exe()?);
        cmd.arg("__worker").args(args);
        self.spawn(cmd, pipes)
    }

    /// Starts an arbitrary command (e.g. `true`); returns its index.
    pub fn spawn(&mut self, mut cmd: Command, pipes: Pipes) -> Result<usize> {
        // The child checks this after arming its parent-death signal (see `worker_main`).
        cmd.env("RACE_LAB_PARENT", std::process::id().to_string());
        cmd.stdin(if pipes.stdin {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(if pipes.stdout {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stderr(Stdio::null());
        let child = cmd
            .spawn()
            .map_err(|e| LabError::usage(format!("cannot start a worker process: {e}")))?;
        self.kids.push(child);
        Ok(self.kids.len() - 1)
    }

    pub fn stdout(&mut self, i: usize) -> Option<ChildStdout> {
        self.kids[i].stdout.take()
    }

    pub fn stdin(&mut self, i: usize) -> Option<ChildStdin> {
        self.kids[i].stdin.take()
    }

    /// Waits for child `i` to exit.
    pub fn wait(&mut self, i: usize) -> Result<ExitStatus> {
        self.kids[i].wait().map_err(LabError::from)
    }

    /// Waits for every child; fails on the first that did not exit successfully.
    pub fn wait_all_ok(&mut self) -> Result<()> {
        for i in 0..self.kids.len() {
            let st = self.wait(i)?;
            if !st.success() {
                return Err(LabError::failed(format!(
                    "worker process {i} failed: {}",
                    describe(st)
                )));
            }
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.kids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kids.is_empty()
    }
}

impl Drop for Children {
    fn drop(&mut self) {
        for kid in &mut self.kids {
            if let Ok(None) = kid.try_wait() {
                let _ = kid.kill();
            }
            let _ = kid.wait();
        }
    }
}

/// "exited with status 3" / "killed by signal 6 (SIGABRT)".
pub fn describe(st: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (st.code(), st.signal()) {
        (Some(c), _) => format!("exited with status {c}"),
        (None, Some(s)) => {
            let name = nix::sys::signal::Signal::try_from(s)
                .map(|s| s.as_str())
                .unwrap_or("?");
            format!("killed by signal {s} ({name})")
        }
        _ => "ended".to_string(),
    }
}

/// Shared memory for processes: an anonymous memfd, mapped, inherited by children.
pub struct SharedPage {
    fd: OwnedFd,
    /// Kept alive for `base`; unmapped on drop.
    _map: memmap2::MmapMut,
    /// The mapping's start, taken from `MmapMut::as_mut_ptr`, so writes through it are
    /// allowed.
    base: *mut u8,
}

/// Bytes of the shared page.
const PAGE: usize = 4096;

impl SharedPage {
    /// A new zeroed page that children started after this call inherit.
    pub fn create() -> Result<Self> {
        let fd = nix::sys::memfd::memfd_create(
            c"race-lab-shm",
            nix::sys::memfd::MemFdCreateFlag::empty(),
        )
        .map_err(|e| LabError::failed(format!("cannot create shared memory (memfd): {e}")))?;
        let file = File::from(fd.try_clone()?);
        file.set_len(PAGE as u64)?;
        Ok(SharedPage::new(map(&file)?, fd))
    }

    fn new(mut map: memmap2::MmapMut, fd: OwnedFd) -> Self {
        let base = map.as_mut_ptr();
        SharedPage {
            fd,
            _map: map,
            base,
        }
    }

    /// Opens the page a parent passed down as file descriptor `fd`.
    pub fn open_inherited(fd: i32) -> Result<Self> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(format!("/proc/self/fd/{fd}"))
            .map_err(|e| {
                LabError::failed(format!("cannot open inherited shared memory fd {fd}: {e}"))
            })?;
        let fd = OwnedFd::from(file.try_clone()?);
        Ok(SharedPage::new(map(&file)?, fd))
    }

    /// The descriptor number to pass to children.
    pub fn raw_fd(&self) -> i32 {
        self.fd.as_raw_fd()
    }

    /// The `slot`-th 64-byte-aligned `u64` of the page, as an atomic.
    pub fn atomic(&self, slot: usize) -> &AtomicU64 {
        assert!(slot < PAGE / 64);
        let ptr = self.base.wrapping_add(slot * 64) as *mut u64;
        // SAFETY: `ptr` is inside the mapping (slot < 64, 8 bytes at a 64-byte offset of a
        // 4096-byte page) and 8-byte aligned (mappings are page-aligned). The returned
        // reference borrows `self`, so the mapping outlives it. Every process that touches
        // this slot through `atomic` uses atomic instructions only; the one exception, the
        // deliberately racy `--sync none` mode, is documented in `rt/racy.rs`.
        unsafe { AtomicU64::from_ptr(ptr) }
    }

    /// The raw address of slot `slot` (for the deliberately racy accesses in `rt/racy.rs`).
    pub fn slot_ptr(&self, slot: usize) -> *mut u64 {
        assert!(slot < PAGE / 64);
        self.base.wrapping_add(slot * 64) as *mut u64
    }
}

fn map(file: &File) -> Result<memmap2::MmapMut> {
    // SAFETY: memmap2 requires that the file is not truncated or modified in ways that
    // invalidate Rust references while mapped. The memfd is private to the lab and its
    // children, is never truncated after `set_len`, and its bytes are only reached through
    // `SharedPage::atomic` (atomics) or the volatile accesses of `rt/racy.rs` — never
    // through `&`/`&mut` references to plain memory.
    unsafe { memmap2::MmapMut::map_mut(file) }
        .map_err(|e| LabError::failed(format!("cannot map shared memory: {e}")))
}

/// A pool of worker processes that take tasks line by line on stdin and answer `done` on
/// stdout: created once, reused for every task.
pub struct ProcessPool {
    children: Children,
    io: Vec<(ChildStdin, BufReader<ChildStdout>)>,
}

impl ProcessPool {
    pub fn new(size: usize) -> Result<Self> {
        check_procs(size, "--pool")?;
        let mut children = Children::new();
        let mut io = Vec::new();
        for _ in 0..size {
            let i = children.spawn_worker(&["pool".into()], Pipes::BOTH)?;
            let (stdin, stdout) = (children.stdin(i), children.stdout(i));
            match (stdin, stdout) {
                (Some(a), Some(b)) => io.push((a, BufReader::new(b))),
                _ => return Err(LabError::failed("worker pipes were not connected")),
            }
        }
        Ok(ProcessPool { children, io })
    }

    /// Sends a task to worker `w` without waiting (apply_async).
    pub fn submit(&mut self, w: usize, task: &str) -> Result<()> {
        let stdin = &mut self.io[w].0;
        writeln!(stdin, "{task}")?;
        stdin.flush()?;
        Ok(())
    }

    /// Waits for worker `w`'s next answer.
    pub fn wait(&mut self, w: usize) -> Result<String> {
        let mut line = String::new();
        if self.io[w].1.read_line(&mut line)? == 0 {
            let st = self.children.wait(w)?;
            return Err(LabError::failed(format!(
                "pool worker {w} died: {}",
                describe(st)
            )));
        }
        Ok(line.trim().to_string())
    }

    /// Runs a task on worker `w` and waits for it (apply).
    pub fn apply(&mut self, w: usize, task: &str) -> Result<String> {
        self.submit(w, task)?;
        self.wait(w)
    }
}

/// A measured quantity, as claims and reports show it.
#[derive(Clone, Debug, Serialize)]
pub struct Measure {
    pub name: String,
    pub value: f64,
    pub unit: String,
}

/// What a process (or thread-versus-process) experiment measured.
#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    pub schema: &'static str,
    pub experiment: &'static str,
    pub measures: Vec<Measure>,
    /// Free-form observations ("child 2 killed by signal 6 (SIGABRT)").
    pub notes: Vec<String>,
    /// False if something that must hold did not (a FORBIDDEN outcome).
    pub ok: bool,
    pub verdict: String,
    pub warnings: Vec<String>,
}

impl Evidence {
    pub fn new(experiment: &'static str) -> Self {
        Evidence {
            schema: "race-lab.evidence/1",
            experiment,
            measures: Vec::new(),
            notes: Vec::new(),
            ok: true,
            verdict: String::new(),
            warnings: Vec::new(),
        }
    }

    pub fn push(&mut self, name: impl Into<String>, value: f64, unit: &str) -> f64 {
        self.measures.push(Measure {
            name: name.into(),
            value,
            unit: unit.into(),
        });
        value
    }

    /// The value of the measure called `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.measures
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.value)
    }

    pub fn note(&mut self, s: impl Into<String>) {
        self.notes.push(s.into());
    }
}

/// A deterministic unit of CPU work (about a microsecond): what CPU-bound tasks are made of.
#[inline(never)]
pub fn cpu_work(units: u64) -> u64 {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..units * 400 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    std::hint::black_box(x)
}

/// A simulated blocking I/O call.
pub fn io_wait(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}

/// How `process-shm` increments the shared counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ShmSync {
    /// Volatile read, then write: a data race across processes.
    None,
    /// `fetch_add` on the shared page: exact.
    Atomic,
}

/// The options of a process experiment.
#[derive(Clone, Debug, Serialize)]
pub struct ProcParams {
    pub procs: usize,
    pub iters: u64,
    pub trials: usize,
    pub sync: ShmSync,
    pub pool: usize,
    pub tasks: usize,
}

impl Default for ProcParams {
    fn default() -> Self {
        ProcParams {
            procs: 4,
            iters: 100_000,
            trials: 5,
            sync: ShmSync::Atomic,
            pool: 4,
            tasks: 8,
        }
    }
}

/// Options only some process experiments take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum POpt {
    Procs,
    Iters,
    Trials,
    Sync,
    Pool,
    Tasks,
}

impl POpt {
    pub fn flag(self) -> &'static str {
        match self {
            POpt::Procs => "--procs",
            POpt::Iters => "--iters",
            POpt::Trials => "--trials",
            POpt::Sync => "--sync",
            POpt::Pool => "--pool",
            POpt::Tasks => "--tasks",
        }
    }
}

/// An experiment about processes (or threads versus processes): it runs on the real OS only
/// — loom and the scheduled world model threads, not processes.
pub struct ProcExperiment {
    pub name: &'static str,
    pub summary: &'static str,
    /// The claims of the study notes it measures.
    pub claims: &'static [&'static str],
    pub options: &'static [POpt],
    pub source: &'static str,
    pub run: fn(&ProcParams) -> Result<Evidence>,
}

impl ProcExperiment {
    pub fn takes(&self, o: POpt) -> bool {
        self.options.contains(&o)
    }
}

/// `race-lab __worker <task> …`: the child side of every process experiment.
pub fn worker_main(args: &[String]) -> i32 {
    // Die with the parent, whatever happens to it…
    let _ = nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL);
    // …including if it died before the line above ran (then no signal will ever come).
    if !parent_alive() {
        return 1;
    }
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    let num = |i: usize| arg(i).parse::<u64>().unwrap_or(0);
    use crate::experiments::{crash, process_isolated, process_pipe, process_shm};
    let r: Result<()> = match arg(0) {
        "count" => process_isolated::child(num(1)),
        "shm" => process_shm::child(num(1) as i32, num(2), arg(3) == "atomic", num(4)),
        "pipe" => process_pipe::child(num(1), num(2)),
        "noop" => Ok(()),
        "cpu" => {
            cpu_work(num(1));
            Ok(())
        }
        "io" => {
            io_wait(num(1));
            Ok(())
        }
        "pool" => pool_worker(),
        "task" => crate::experiments::process_create::child(arg(1), num(2)),
        "abort-thread" => crash::abort_in_thread(),
        "segv" => crash::segfault(),
        other => Err(LabError::usage(format!("unknown worker task '{other}'"))),
    };
    match r {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("race-lab worker: {e}");
            e.code
        }
    }
}

/// In a worker: whether the lab process that started it is still its parent. Loops that wait
/// for other processes check it too, as a second line of defence behind the parent-death
/// signal.
pub fn parent_alive() -> bool {
    match std::env::var("RACE_LAB_PARENT")
        .ok()
        .and_then(|p| p.parse::<i32>().ok())
    {
        Some(parent) => nix::unistd::getppid().as_raw() == parent,
        None => true,
    }
}

/// The pool worker loop: one task per line, `done` after each.
fn pool_worker() -> Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let line = line?;
        let mut parts = line.split_whitespace();
        let (kind, n) = (
            parts.next().unwrap_or(""),
            parts.next().and_then(|n| n.parse().ok()).unwrap_or(0),
        );
        match kind {
            "sleep" => io_wait(n),
            "cpu" => {
                cpu_work(n);
            }
            _ => {}
        }
        writeln!(out, "done")?;
        out.flush()?;
    }
    Ok(())
}

type Job = Box<dyn FnOnce() + Send>;

/// A pool of worker threads, created once and reused: the thread twin of [`ProcessPool`].
/// Worker `w` runs the jobs given to it in order and answers after each.
pub struct ThreadPool {
    jobs: Vec<std::sync::mpsc::Sender<Job>>,
    done: Vec<std::sync::mpsc::Receiver<()>>,
    handles: Vec<std::thread::JoinHandle<()>>,
}

impl ThreadPool {
    pub fn new(size: usize) -> Result<Self> {
        if size == 0 {
            return Err(LabError::usage("--pool must be at least 1"));
        }
        let mut pool = ThreadPool {
            jobs: Vec::new(),
            done: Vec::new(),
            handles: Vec::new(),
        };
        for _ in 0..size {
            let (jtx, jrx) = std::sync::mpsc::channel::<Job>();
            let (dtx, drx) = std::sync::mpsc::channel();
            pool.handles.push(std::thread::spawn(move || {
                for job in jrx {
                    job();
                    if dtx.send(()).is_err() {
                        break;
                    }
                }
            }));
            pool.jobs.push(jtx);
            pool.done.push(drx);
        }
        Ok(pool)
    }

    /// Hands a job to worker `w` without waiting (apply_async).
    pub fn submit(&self, w: usize, job: impl FnOnce() + Send + 'static) -> Result<()> {
        self.jobs[w]
            .send(Box::new(job))
            .map_err(|_| LabError::failed(format!("pool thread {w} is gone")))
    }

    /// Waits for worker `w` to finish its next job.
    pub fn wait(&self, w: usize) -> Result<()> {
        self.done[w]
            .recv()
            .map_err(|_| LabError::failed(format!("pool thread {w} died")))
    }

    /// Runs a job on worker `w` and waits for it (apply).
    pub fn apply(&self, w: usize, job: impl FnOnce() + Send + 'static) -> Result<()> {
        self.submit(w, job)?;
        self.wait(w)
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        self.jobs.clear(); // closing the queues ends the workers
        for h in self.handles.drain(..) {
            let _ = h.join();
        }
    }
}

/// Runs `task` on `n` threads at once; the wall time until all are done, in seconds.
pub fn threads_wall(n: usize, task: impl Fn() + Sync) -> Result<f64> {
    let (r, t) = timed(|| {
        std::thread::scope(|s| {
            let hs: Vec<_> = (0..n).map(|_| s.spawn(&task)).collect();
            hs.into_iter()
                .try_for_each(|h| h.join().map_err(|_| LabError::failed("a task panicked")))
        })
    });
    r.map(|()| t)
}

/// Times `f`, in seconds.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = std::time::Instant::now();
    let v = f();
    (v, t.elapsed().as_secs_f64())
}
