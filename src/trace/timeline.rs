//! A trace as a timeline: one row per operation, one column per thread; and, for a run
//! longer than a screenful, the steps worth showing.

use super::{thread_name, Event, Op};
use std::fmt::Write as _;

/// Renders a trace as a timeline: one row per operation, one column per thread.
pub fn timeline(events: &[Event]) -> String {
    timeline_of(events, &(0..events.len()).collect::<Vec<_>>())
}

/// The most timeline rows printed without `--full`: about a screenful.
pub const SCREENFUL: usize = 60;

/// The steps (0-based) a summary of `events` shows: all of them up to a screenful; past
/// that the first and last steps and the window where the run went wrong (the first store
/// that overwrote a newer value, or the end for a run that did not finish).
pub fn summary_steps(events: &[Event]) -> Vec<usize> {
    let n = events.len();
    if n <= SCREENFUL {
        return (0..n).collect();
    }
    let (head, tail, before, after) = (10, 10, 30, 8);
    let mut written: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    let mut failing = None;
    for (i, e) in events.iter().enumerate() {
        let w = match e.op {
            Op::Store | Op::Write | Op::RacyWrite => Some(e.value),
            Op::FetchAdd | Op::FetchSub | Op::CasOk | Op::Swap => {
                Some(e.written.unwrap_or(e.value + 1))
            }
            _ => None,
        };
        if let Some(v) = w {
            let max = written.entry(e.object.as_str()).or_insert(0);
            if v <= *max && matches!(e.op, Op::Store | Op::Write | Op::RacyWrite) {
                failing = Some(i);
                break;
            }
            *max = (*max).max(v);
        }
    }
    let mut keep: Vec<usize> = (0..head).chain(n - tail..n).collect();
    if let Some(k) = failing {
        keep.extend(k.saturating_sub(before)..(k + after).min(n));
    }
    keep.sort_unstable();
    keep.dedup();
    keep
}

/// Renders the steps `shown` (0-based, ascending) of a trace as a timeline, a line saying
/// how many steps were left out wherever some were.
pub fn timeline_of(events: &[Event], shown: &[usize]) -> String {
    let mut threads: Vec<usize> = events.iter().map(|e| e.thread).collect();
    threads.sort_unstable();
    threads.dedup();
    let cells: Vec<String> = shown.iter().map(|&i| events[i].describe()).collect();
    let width = cells
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(4)
        .max(6)
        + 2;
    let mut out = String::new();
    let _ = write!(out, "{:>4}  ", "step");
    for t in &threads {
        let _ = write!(out, "{:<width$}", thread_name(*t));
    }
    out.push('\n');
    let mut next = 0;
    for (&i, c) in shown.iter().zip(&cells) {
        let e = &events[i];
        if i > next {
            let _ = writeln!(
                out,
                "{:>4}  … {} steps not shown (--full shows them all)",
                "",
                i - next
            );
        }
        next = i + 1;
        let _ = write!(out, "{:>4}  ", i + 1);
        for t in &threads {
            if *t == e.thread {
                let _ = write!(out, "{c:<width$}");
            } else {
                let _ = write!(out, "{:<width$}", "·");
            }
        }
        let line = out.trim_end().len();
        out.truncate(line);
        if let Some(loc) = &e.location {
            let _ = write!(out, "   [{loc}]");
        }
        out.push('\n');
    }
    if next < events.len() {
        let _ = writeln!(
            out,
            "{:>4}  … {} steps not shown (--full shows them all)",
            "",
            events.len() - next
        );
    }
    out
}
