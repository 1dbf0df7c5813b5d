//! # process-create — two ways to give a process its work (C7)
//!
//! **Question.** Python creates a process either with a *target function*
//! (`Process(target=f)`) or by *subclassing* `Process` and overriding `run`. What are the
//! Rust equivalents, and do both really run in another process?
//!
//! **Expect.** Rust has no `fork`-and-call-a-closure that is safe in a process with threads,
//! so the lab re-executes itself and names the work: the *target* is a function looked up by
//! name; the *subclass* is a type implementing a `Task` trait whose `run` the child calls.
//! Each child reports its own process id, which differs from the parent's.
//!
//! **Outcomes.** Both children answer correctly from another pid: ACCEPTABLE; else FORBIDDEN.

use crate::error::{LabError, Result};
use crate::procs::{Children, Evidence, Pipes, ProcExperiment, ProcParams};

pub const EXPERIMENT: ProcExperiment = ProcExperiment {
    name: "process-create",
    summary: "a child running a target function vs a type overriding Task::run",
    claims: &["C7"],
    options: &[],
    source: include_str!("process_create.rs"),
    run,
};

// What it measures, by the names the claims (and tests) read it by.
/// The two children's work: a task by name, and its argument.
pub const SQUARE: (&str, u64) = ("square", 7);
pub const CUBE: (&str, u64) = ("cube", 3);
pub const ELSEWHERE: &str = "children that ran in a process of their own";

/// The measure of a child's answer to `(name, arg)` (`square(7) in child`).
pub fn answer((name, arg): (&str, u64)) -> String {
    format!("{name}({arg}) in child")
}

/// `class MyProcess(Process): def run(self): …` — in Rust, a trait.
pub trait Task {
    fn run(&self, arg: u64) -> u64;
}

/// The "subclass": a type that overrides `run`.
pub struct Cube;
impl Task for Cube {
    fn run(&self, arg: u64) -> u64 {
        arg * arg * arg
    }
}

/// The "target function".
pub fn square(arg: u64) -> u64 {
    arg * arg
}

fn run(_: &ProcParams) -> Result<Evidence> {
    let mut ev = Evidence::new(EXPERIMENT.name);
    let parent = std::process::id();
    let mut kids = Children::new();
    let mut answers = Vec::new();
    for (name, arg) in [SQUARE, CUBE] {
        let task = crate::procs::Task::Target {
            name: name.into(),
            arg,
        };
        let i = kids.spawn_worker(&task, Pipes::OUT)?;
        let s = kids.read_stdout(i)?;
        let mut it = s.split_whitespace().map(|x| x.parse::<u64>().unwrap_or(0));
        let (pid, value) = (it.next().unwrap_or(0), it.next().unwrap_or(0));
        ev.push(answer((name, arg)), value as f64, "");
        ev.note(format!("{name}: ran in pid {pid} (parent pid {parent})"));
        answers.push((pid, value));
    }
    kids.wait_all_ok()?;
    let elsewhere = answers
        .iter()
        .filter(|(p, _)| *p != parent as u64 && *p != 0)
        .count();
    ev.push(ELSEWHERE, elsewhere as f64, "children");
    ev.conclude(
        answers.iter().map(|a| a.1).eq([49, 27]) && elsewhere == answers.len(),
        "process-create: a target function (square(7) = 49) and a Task type (Cube.run(3) = 27) each ran in a child process of its own".into(),
        format!("answers (pid, value) {answers:?}, parent pid {parent}"),
    );
    Ok(ev)
}

/// The child: runs the named task and prints its pid and result.
pub fn child(name: &str, arg: u64) -> Result<()> {
    let value = match name {
        "square" => square(arg),
        "cube" => Cube.run(arg),
        other => return Err(LabError::usage(format!("unknown task '{other}'"))),
    };
    println!("{} {value}", std::process::id());
    Ok(())
}
