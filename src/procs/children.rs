//! Starting, guarding and reaping child processes. No child outlives the lab:
//!
//! * every child asks the kernel to kill it when its parent dies (`PR_SET_PDEATHSIG`, armed
//!   by [`arm_parent_death`] first thing in the child), so not even a `kill -9` of the lab
//!   leaves one behind;
//! * every child is owned by a [`Children`] guard that kills and reaps whatever is still
//!   running when the guard is dropped — on success, on error, on Ctrl-C.

use super::protocol::Task;
use crate::error::{LabError, Result};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};

/// The most child processes one experiment starts.
pub const MAX_PROCS: usize = 256;

/// The environment variable through which a child learns its parent's pid.
const PARENT_VAR: &str = "RACE_LAB_PARENT";

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

    /// Starts `race-lab __worker '<task as JSON>'`; returns its index.
    pub fn spawn_worker(&mut self, task: &Task, pipes: Pipes) -> Result<usize> {
        let mut cmd = Command::new(exe()?);
        cmd.arg("__worker").arg(task.to_arg());
        self.spawn(cmd, pipes)
    }

    /// Starts an arbitrary command (e.g. `true`); returns its index.
    pub fn spawn(&mut self, mut cmd: Command, pipes: Pipes) -> Result<usize> {
        // The child checks this after arming its parent-death signal (`arm_parent_death`).
        cmd.env(PARENT_VAR, std::process::id().to_string());
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

    /// Reads child `i`'s piped stdout to its end.
    pub fn read_stdout(&mut self, i: usize) -> Result<String> {
        use std::io::Read;
        let mut s = String::new();
        match self.stdout(i) {
            Some(mut out) => out.read_to_string(&mut s)?,
            None => {
                return Err(LabError::failed(format!(
                    "worker {i}'s stdout is not piped"
                )))
            }
        };
        Ok(s)
    }

    pub fn stdin(&mut self, i: usize) -> Option<ChildStdin> {
        self.kids[i].stdin.take()
    }

    /// Waits for child `i` to exit.
    pub fn wait(&mut self, i: usize) -> Result<ExitStatus> {
        self.kids[i].wait().map_err(LabError::from)
    }

    /// Waits for every child; fails on the first that did not exit successfully. A child
    /// stopped by SIGINT heard a Ctrl-C (a terminal sends it to the whole process group): the
    /// run was interrupted, not failed.
    pub fn wait_all_ok(&mut self) -> Result<()> {
        use std::os::unix::process::ExitStatusExt;
        for i in 0..self.kids.len() {
            let st = self.wait(i)?;
            if st.signal() == Some(nix::sys::signal::Signal::SIGINT as i32) {
                return Err(LabError::interrupted(format!(
                    "interrupted: worker process {i} stopped by Ctrl-C"
                )));
            }
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

/// In a child, first thing: ask the kernel to kill this process when its parent dies. False
/// if the parent is already gone (it died before the signal was armed, so none will come).
pub fn arm_parent_death() -> bool {
    let _ = nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL);
    parent_alive()
}

/// In a worker: whether the lab process that started it is still its parent. Loops that wait
/// for other processes check it too, as a second line of defence behind the parent-death
/// signal.
pub fn parent_alive() -> bool {
    match std::env::var(PARENT_VAR)
        .ok()
        .and_then(|p| p.parse::<i32>().ok())
    {
        Some(parent) => nix::unistd::getppid().as_raw() == parent,
        None => true,
    }
}
