//! The typed child protocol: what a worker process is asked to do.
//!
//! A child is started as `race-lab __worker '<task>'`, where `<task>` is one [`Task`] as a
//! JSON object in a single command-line argument, tagged by `"task"`:
//!
//! ```text
//! race-lab __worker '{"task":"shm","fd":3,"iters":100000,"sync":"none","procs":4}'
//! race-lab __worker '{"task":"noop"}'
//! ```
//!
//! It is parsed once, on entry; anything else (no argument, two, malformed JSON, an unknown
//! task or field) is refused with one line naming the problem and exit status 2. A pool
//! worker (`{"task":"pool"}`) then reads further tasks from stdin, one JSON object per line,
//! and answers each with one line: `done`, or `failed: <why>`.
//!
//! The argument is readable in `ps` — a stuck child says what it was doing.

use super::harness::ShmSync;
use crate::error::{LabError, Result};
use serde::{Deserialize, Serialize};

/// One unit of work for a child process.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Task {
    /// Nothing: measures the cost of starting (or reaching) a worker.
    Noop,
    /// `units` of CPU work (`cpu_work`).
    Cpu { units: u64 },
    /// A simulated blocking I/O call of `ms` milliseconds.
    Io { ms: u64 },
    /// Serve as a pool worker: tasks on stdin, one per line.
    Pool,
    /// `process-isolated`: increment this process's own global `iters` times, print it.
    Count { iters: u64 },
    /// `process-shm`: meet `procs` processes at the start line of the page inherited as `fd`,
    /// then increment its counter `iters` times.
    Shm {
        fd: i32,
        iters: u64,
        sync: ShmSync,
        procs: u64,
    },
    /// `process-pipe`: send `iters` increments to the parent, in messages of `batch`.
    Pipe { iters: u64, batch: u64 },
    /// `process-create`: run the named target function (or `Task` type) on `arg`.
    Target { name: String, arg: u64 },
    /// `crash`: a thread panics; the process joins it and carries on.
    PanicThread,
    /// `crash`: a thread aborts, taking the whole process with it.
    AbortThread,
    /// `crash`: the process segfaults.
    Segv,
}

impl Task {
    /// The task as the one argument (or stdin line) that carries it.
    pub fn to_arg(&self) -> String {
        serde_json::to_string(self).expect("a Task always serialises")
    }

    /// Parses one task (an argument or a line); a malformed one is a usage error.
    pub fn parse(text: &str) -> Result<Task> {
        serde_json::from_str(text.trim()).map_err(|e| {
            LabError::usage(format!(
                "malformed worker task '{text}': {e} (expected one JSON object such as {})",
                Task::Noop.to_arg()
            ))
        })
    }

    /// The task of a worker's command line (the words after `__worker`): exactly one.
    pub fn from_args(args: &[String]) -> Result<Task> {
        match args {
            [one] => Task::parse(one),
            _ => Err(LabError::usage(format!(
                "a worker takes exactly one task (a JSON object such as {}), got {} arguments",
                Task::Noop.to_arg(),
                args.len()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_task_survives_the_trip() {
        let all = [
            Task::Noop,
            Task::Cpu { units: 3 },
            Task::Io { ms: 2 },
            Task::Pool,
            Task::Count { iters: 7 },
            Task::Shm {
                fd: 3,
                iters: 10,
                sync: ShmSync::None,
                procs: 4,
            },
            Task::Pipe { iters: 5, batch: 1 },
            Task::Target {
                name: "square".into(),
                arg: 7,
            },
            Task::PanicThread,
            Task::AbortThread,
            Task::Segv,
        ];
        for t in all {
            assert_eq!(Task::parse(&t.to_arg()).unwrap(), t);
        }
        assert_eq!(
            Task::Shm {
                fd: 3,
                iters: 10,
                sync: ShmSync::Atomic,
                procs: 2
            }
            .to_arg(),
            r#"{"task":"shm","fd":3,"iters":10,"sync":"atomic","procs":2}"#
        );
    }

    #[test]
    fn malformed_tasks_are_refused_with_the_reason() {
        for (text, needle) in [
            ("shm 3 100 none 4", "expected value"),
            (r#"{"task":"fly"}"#, "unknown variant `fly`"),
            (r#"{"task":"cpu"}"#, "missing field `units`"),
            (r#"{"task":"cpu","units":-1}"#, "invalid value"),
            (r#"{"task":"io","ms":1,"extra":2}"#, "unknown field `extra`"),
            (
                r#"{"task":"shm","fd":3,"iters":1,"sync":"maybe","procs":1}"#,
                "maybe",
            ),
        ] {
            let e = Task::parse(text).unwrap_err();
            assert_eq!(e.kind, crate::error::ErrorKind::Usage, "{text}");
            assert!(e.message.contains(needle), "{text}: {}", e.message);
            assert!(e.message.contains("malformed worker task"), "{}", e.message);
        }
        assert!(Task::from_args(&[]).is_err());
        let two = ["{\"task\":\"noop\"}".to_string(), "x".to_string()];
        assert!(Task::from_args(&two)
            .unwrap_err()
            .message
            .contains("exactly one"));
    }
}
