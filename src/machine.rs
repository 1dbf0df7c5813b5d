//! The machine the lab runs on: CPUs, pinning, whether other processes are using the CPUs,
//! progress lines, work on every CPU (`in_parallel`); stopping (stop.rs: Ctrl-C and the
//! Cancel token) and the lab itself in a child process (child.rs).

mod child;
mod stop;
pub(crate) use child::{answer_of_child, lab_in_child};
pub use stop::{
    embedded, install_ctrlc, is_embedded, reporting, stop_after_grace, write_stdout_unlocked,
    Cancel,
};

use crate::error::{LabError, Result};
use nix::sched::{sched_getaffinity, sched_setaffinity, CpuSet};
use nix::unistd::Pid;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// CPUs this process may run on.
pub fn allowed_cpus() -> Vec<usize> {
    match sched_getaffinity(Pid::from_raw(0)) {
        Ok(set) => (0..CpuSet::count())
            .filter(|&c| set.is_set(c).unwrap_or(false))
            .collect(),
        Err(_) => (0..cpus()).collect(),
    }
}

/// How many CPUs the lab can use.
pub fn cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Parses `--pin`: a list like `0`, `0,1` or `0-3`.
pub fn parse_cpus(s: &str) -> Result<Vec<usize>> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || {
            LabError::usage(format!(
                "bad --pin '{s}': expected CPU numbers like 0 or 0,1 or 0-3"
            ))
        };
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (usize, usize) =
                    (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
                if a > b || b > 4096 {
                    return Err(bad());
                }
                out.extend(a..=b);
            }
            None => out.push(part.parse().map_err(|_| bad())?),
        }
    }
    if out.is_empty() {
        return Err(LabError::usage("--pin needs at least one CPU"));
    }
    out.sort_unstable();
    out.dedup();
    let allowed = allowed_cpus();
    if let Some(c) = out.iter().find(|c| !allowed.contains(c)) {
        return Err(LabError::usage(format!(
            "--pin names CPU {c}, which does not exist or is not available here (available: {})",
            allowed
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(",")
        )));
    }
    Ok(out)
}

/// Restricts this thread (and the threads it spawns afterwards) to `cpus`.
pub fn pin(cpus: &[usize]) -> Result<()> {
    let mut set = CpuSet::new();
    for &c in cpus {
        set.set(c)
            .map_err(|e| LabError::usage(format!("cannot pin to CPU {c}: {e}")))?;
    }
    sched_setaffinity(Pid::from_raw(0), &set)
        .map_err(|e| LabError::usage(format!("cannot pin to CPUs {cpus:?}: {e}")))
}

/// Measures how much CPU *other* processes used while the lab ran, from `/proc/stat` and
/// `/proc/self/stat`. On a shared 2-core machine a busy neighbour suppresses races and
/// distorts timings; the lab says so instead of reporting skewed figures silently.
pub struct CpuMeter {
    start: Instant,
    total_busy: Option<u64>,
    own: Option<u64>,
}

fn total_busy_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?;
    let f: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal
    Some(f.get(0..3)?.iter().sum::<u64>() + f.get(5..8).map(|s| s.iter().sum()).unwrap_or(0))
}

/// The sum of the clock-tick fields `fields` (1-based over the whole line, as `man 5 proc`
/// numbers them) of a `/proc/…/stat` file.
fn stat_ticks(
    path: impl AsRef<std::path::Path>,
    fields: std::ops::RangeInclusive<usize>,
) -> Option<u64> {
    let stat = std::fs::read_to_string(path).ok()?;
    // Fields 3 onwards follow the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    fields.map(|i| f.get(i - 3)?.parse::<u64>().ok()).sum()
}

fn own_ticks() -> Option<u64> {
    // utime, stime, cutime, cstime: the lab's own worker processes count as the lab once
    // they are reaped.
    stat_ticks("/proc/self/stat", 14..=17)
}

/// CPU time (in clock ticks) used so far by every thread of this process except the calling
/// one, from `/proc/self/task/*/stat`: what the deadlock watchdog reads as progress.
pub fn other_threads_cpu_ticks() -> u64 {
    let me = nix::unistd::gettid().as_raw().to_string();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .flatten()
        .filter(|t| t.file_name().to_string_lossy() != me)
        .filter_map(|t| stat_ticks(t.path().join("stat"), 14..=15)) // utime, stime
        .sum()
}

/// The shortest time over which other processes' CPU use is read, in seconds.
const SHORTEST_READING: f64 = 0.1;

impl CpuMeter {
    pub fn start() -> Self {
        CpuMeter {
            start: Instant::now(),
            total_busy: total_busy_ticks(),
            own: own_ticks(),
        }
    }

    /// CPUs' worth of time used by other processes since `start` (e.g. 0.8 = most of one CPU).
    pub fn others(&self) -> Option<f64> {
        let wall = self.start.elapsed().as_secs_f64();
        if wall < SHORTEST_READING {
            if is_embedded() {
                // Inside another command (`report`), which reads the machine over all its
                // runs at once: no pause per run.
                return None;
            }
            // Too short to read from 10 ms ticks: read the machine for a moment now, with
            // the lab idle, so that a short run on a busy machine is warned about too.
            let now = CpuMeter::start();
            std::thread::sleep(std::time::Duration::from_secs_f64(SHORTEST_READING));
            return now.others();
        }
        let tick = nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
            .ok()
            .flatten()? as f64;
        let busy = total_busy_ticks()?.checked_sub(self.total_busy?)?;
        let own = own_ticks()?.checked_sub(self.own?)?;
        Some((busy.saturating_sub(own) as f64 / tick / wall).max(0.0))
    }
}

/// The warning printed when other processes used at least a fifth of a CPU.
pub fn busy_warning(others: Option<f64>) -> Option<String> {
    match others {
        Some(o) if o >= 0.2 => Some(format!(
            "warning: other processes used {o:.1} CPUs during this run: races show less and timings are skewed; rerun on an idle machine"
        )),
        _ => None,
    }
}

/// [`busy_warning`] over what `meter` measured, as the list a JSON document keeps.
pub fn busy_warnings(meter: &CpuMeter) -> Vec<String> {
    busy_warning(meter.others()).into_iter().collect()
}

/// A one-line counter on stderr ("exploring: 4096 executions, 3 s"), redrawn at most twice
/// a second, for a search that cannot know its length: hidden unless stderr is a terminal,
/// or unless `through_pipe` (the explore child, whose parent echoes its stderr to one).
pub fn counter_line(through_pipe: bool) -> indicatif::ProgressBar {
    let target = if through_pipe {
        indicatif::ProgressDrawTarget::term_like_with_hz(Box::new(console::Term::stderr()), 2)
    } else {
        indicatif::ProgressDrawTarget::stderr_with_hz(2)
    };
    let line = indicatif::ProgressBar::with_draw_target(None, target);
    line.set_style(
        indicatif::ProgressStyle::with_template("{msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    line
}

/// The words of a search's progress line: `exploring (rc11 world): 4096 execution graphs,
/// 3 s, 1365 per second`.
pub fn searching(what: &str, n: u64, unit: &str, started: Instant) -> String {
    let secs = started.elapsed().as_secs_f64();
    format!(
        "{what}: {n} {unit}, {secs:.0} s, {:.0} per second",
        n as f64 / secs.max(1e-3)
    )
}

/// A progress bar on stderr (hidden unless `visible`): `what` names the counted steps, e.g.
/// `"trial {pos}/{len}"`.
pub fn progress_bar(visible: bool, len: u64, what: &str) -> indicatif::ProgressBar {
    if !visible {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{spinner}} {what} {{wide_bar}} {{elapsed}} {{msg}}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// Runs `work` on every item, on `jobs` threads each taking the next item, the costliest
/// first by `cost` (an estimate; ties in item order), so that a long one does not start
/// last and run alone; and hands every result to `take` in item order (a result that comes
/// early waits for those before it). `take` returning false stops the run: no new item
/// starts, and the results still coming are dropped; so does `cancel`. The threads get a
/// main thread's stack (the model checkers recurse deeply). Returns whether every item's
/// result was handed to `take` (false: stopped, by `take` or `cancel`).
pub fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    cancel: &Cancel,
    cost: impl Fn(&T) -> u64,
    work: impl Fn(&T) -> R + Sync,
    mut take: impl FnMut(&T, R) -> bool,
) -> bool {
    use std::sync::atomic::AtomicUsize;
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cost(&items[i])));
    let order = &order;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            let (tx, next, stop, work) = (tx.clone(), &next, &stop, &work);
            let worker = move || {
                while let Some(&i) = order.get(next.fetch_add(1, Ordering::SeqCst)) {
                    if stop.load(Ordering::SeqCst) || cancel.requested() {
                        break;
                    }
                    if tx.send((i, work(&items[i]))).is_err() {
                        break;
                    }
                }
            };
            std::thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn_scoped(s, worker)
                .expect("a worker thread starts");
        }
        drop(tx);
        let mut early = std::collections::BTreeMap::new();
        let mut due = 0;
        for (i, r) in rx {
            early.insert(i, r);
            while let Some(r) = early.remove(&due) {
                if !take(&items[due], r) {
                    stop.store(true, Ordering::SeqCst);
                    return false;
                }
                due += 1;
            }
        }
        due == items.len()
    })
}

/// The stack of an [`in_parallel`] worker thread: a main thread's.
const WORKER_STACK: usize = 8 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    /// Results come back in item order whatever order the workers finish in, and a `take`
    /// that says stop ends the run there.
    #[test]
    fn in_parallel_hands_results_over_in_order_and_stops_when_told() {
        let items: Vec<u64> = (0..24).collect();
        // Later items finish first: item i sleeps (24 - i) × 200 µs.
        let work = |&i: &u64| {
            std::thread::sleep(std::time::Duration::from_micros((24 - i) * 200));
            i * i
        };
        let mut got = Vec::new();
        let complete = in_parallel(
            &items,
            4,
            &Cancel::new(),
            |_| 0,
            work,
            |&i, r| {
                got.push((i, r));
                true
            },
        );
        assert!(complete);
        assert_eq!(got, items.iter().map(|&i| (i, i * i)).collect::<Vec<_>>());
        let mut taken = 0;
        let complete = in_parallel(
            &items,
            4,
            &Cancel::new(),
            |_| 0,
            work,
            |_, _| {
                taken += 1;
                taken < 5
            },
        );
        assert_eq!((taken, complete), (5, false));
        // A cancelled run starts nothing.
        let cancel = Cancel::new();
        cancel.request();
        let mut any = false;
        let complete = in_parallel(
            &items,
            4,
            &cancel,
            |_| 0,
            work,
            |_, _| {
                any = true;
                true
            },
        );
        assert!(!any && !complete);
    }

    /// The costliest items start first (ties in item order); results still come in order.
    #[test]
    fn in_parallel_starts_the_costliest_first() {
        let items: Vec<u64> = vec![1, 5, 3, 5, 0];
        let started = std::sync::Mutex::new(Vec::new());
        let mut got = Vec::new();
        let work = |&i: &u64| started.lock().unwrap().push(i);
        in_parallel(
            &items,
            1,
            &Cancel::new(),
            |&c| c,
            work,
            |&i, ()| {
                got.push(i);
                true
            },
        );
        assert_eq!(started.into_inner().unwrap(), vec![5, 5, 3, 1, 0]);
        assert_eq!(got, items);
    }
}
