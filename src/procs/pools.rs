//! Pools of workers created once and reused: [`ProcessPool`] (worker processes fed typed
//! tasks line by line) and its thread twin [`ThreadPool`]. Both offer `apply` (submit and
//! wait: blocking) and `submit` + `wait` (apply_async: non-blocking).

use super::children::{check_procs, describe, Children, Pipes};
use super::protocol::Task;
use crate::error::{LabError, Result};
use std::io::{BufRead, BufReader, Write};
use std::process::{ChildStdin, ChildStdout};

/// A pool of worker processes that take tasks line by line on stdin and answer on stdout
/// (see [`super::protocol`]): created once, reused for every task.
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
            let i = children.spawn_worker(&Task::Pool, Pipes::BOTH)?;
            let (stdin, stdout) = (children.stdin(i), children.stdout(i));
            match (stdin, stdout) {
                (Some(a), Some(b)) => io.push((a, BufReader::new(b))),
                _ => return Err(LabError::failed("worker pipes were not connected")),
            }
        }
        Ok(ProcessPool { children, io })
    }

    /// Sends a task to worker `w` without waiting (apply_async).
    pub fn submit(&mut self, w: usize, task: &Task) -> Result<()> {
        let stdin = &mut self.io[w].0;
        writeln!(stdin, "{}", task.to_arg())?;
        stdin.flush()?;
        Ok(())
    }

    /// Waits for worker `w`'s next answer; a task that failed in the worker is an error.
    pub fn wait(&mut self, w: usize) -> Result<()> {
        let mut line = String::new();
        if self.io[w].1.read_line(&mut line)? == 0 {
            let st = self.children.wait(w)?;
            return Err(LabError::failed(format!(
                "pool worker {w} died: {}",
                describe(st)
            )));
        }
        match line.trim() {
            "done" => Ok(()),
            other => Err(LabError::failed(format!("pool worker {w}: {other}"))),
        }
    }

    /// Runs a task on worker `w` and waits for it (apply).
    pub fn apply(&mut self, w: usize, task: &Task) -> Result<()> {
        self.submit(w, task)?;
        self.wait(w)
    }
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
