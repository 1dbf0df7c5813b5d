//! # process-pipe — processes that share nothing, and send messages (C14, C20)
//!
//! **Question.** The multiprocessing-queue way: each child process sends its increments to
//! the parent through a pipe (one 8-byte message per increment); the parent adds them up.
//! Exact? What does a message cost?
//!
//! **Expect.** Always P × M: only the parent touches the count, and the pipe delivers every
//! byte once, in order. A message through a pipe costs a system call unless it is buffered:
//! the children buffer 8 KiB at a time, so the cost is mostly copying.
//!
//! **Outcomes.** P × M ACCEPTABLE; anything else FORBIDDEN.

use crate::error::{LabError, Result};
use crate::procs::{Children, Evidence, POpt, Pipes, ProcExperiment, ProcParams, Task};
use std::io::{BufWriter, Read, Write};

pub const EXPERIMENT: ProcExperiment = ProcExperiment {
    name: "process-pipe",
    summary: "children send increments to the parent through pipes: exact",
    claims: &["C14", "C20"],
    options: &[POpt::Procs, POpt::Iters],
    source: include_str!("process_pipe.rs"),
    run,
};

// What it measures, by the names the claims (and tests) read it by.
pub const SUM: &str = "parent's sum";
pub const EXPECTED: &str = "expected";
pub const MESSAGES: &str = "messages";
pub const COST: &str = "cost (with process start-up)";

fn run(p: &ProcParams) -> Result<Evidence> {
    let mut ev = Evidence::new(EXPERIMENT.name);
    let mut kids = Children::new();
    let started = std::time::Instant::now();
    for _ in 0..p.procs {
        let task = Task::Pipe {
            iters: p.iters,
            batch: 1,
        };
        kids.spawn_worker(&task, Pipes::OUT)?;
    }
    // One reader per pipe, so no child waits on a full pipe while another is read.
    let readers: Vec<_> = (0..kids.len())
        .filter_map(|i| kids.stdout(i))
        .map(|mut out| {
            std::thread::spawn(move || -> (u64, u64) {
                let mut buf = Vec::new();
                let _ = out.read_to_end(&mut buf);
                let msgs = buf
                    .chunks_exact(8)
                    .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
                msgs.fold((0, 0), |(sum, n), v| (sum + v, n + 1))
            })
        })
        .collect();
    let mut total = 0;
    let mut messages = 0;
    for r in readers {
        let (s, n) = r
            .join()
            .map_err(|_| LabError::failed("pipe reader panicked"))?;
        total += s;
        messages += n;
    }
    let expected = p.procs as u64 * p.iters;
    if let Err(e) = kids.wait_all_ok() {
        if !e.is_interrupted() {
            return Err(e);
        }
        // Ctrl-C stopped the children: what they sent before it is the evidence.
        ev.push(SUM, total as f64, "increments");
        ev.push(EXPECTED, expected as f64, "increments");
        ev.push(MESSAGES, messages as f64, "messages");
        ev.note("interrupted by Ctrl-C: the children stopped before sending everything");
        ev.conclude(
            total == messages,
            format!(
                "process-pipe {}x{}: interrupted after {messages} of {expected} messages, every one summed ({total})",
                p.procs, p.iters
            ),
            format!("the parent summed {total} from {messages} messages of 1"),
        );
        return Ok(ev);
    }
    let elapsed = started.elapsed();
    ev.push(SUM, total as f64, "increments");
    ev.push(EXPECTED, expected as f64, "increments");
    ev.push(MESSAGES, messages as f64, "messages");
    ev.push(
        COST,
        elapsed.as_nanos() as f64 / messages.max(1) as f64,
        "ns/message",
    );
    ev.conclude(
        total == expected,
        format!(
            "process-pipe {}x{}: exact ({expected}) through {messages} messages",
            p.procs, p.iters
        ),
        format!("the parent summed {total}, expected {expected}"),
    );
    Ok(ev)
}

/// The child: writes M increments, in messages of `batch`, to stdout (the pipe).
pub fn child(m: u64, batch: u64) -> Result<()> {
    let batch = batch.max(1);
    let mut out = BufWriter::with_capacity(8192, std::io::stdout().lock());
    let mut left = m;
    while left > 0 {
        let k = left.min(batch);
        out.write_all(&k.to_le_bytes())?;
        left -= k;
    }
    out.flush()?;
    Ok(())
}
