//! What a screen of the game shows, as plain lines: the level and its goal, the kernel with
//! the line each thread runs next, the threads, the shared state, the history, and how the
//! run stands (or the "broken!" screen). The text printer (`report::play`) lays these out
//! one under the other; the full-screen interface ([`super::ui`]) in panels, in colour.

use super::game::{Game, Status, View};
use super::{goal, Kind};
use crate::experiment::{Experiment, Grade};
use crate::rt::sched::End;
use crate::trace::thread_name;

/// One line of the kernel's source.
#[derive(Clone, Debug)]
pub struct SourceLine {
    /// Its line number in its file; 0 for the heading of another lesson's file that the
    /// kernel calls (its text is then that file's path).
    pub number: u32,
    pub text: String,
    /// The threads whose next operation is on this line.
    pub here: Vec<usize>,
}

/// How the run stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Threads can still step.
    Playing,
    /// The run ended at the goal: broken.
    Broken,
    /// The run ended ACCEPTABLE.
    Held,
}

/// Everything one screen shows.
#[derive(Clone, Debug)]
pub struct Screen {
    /// `racy-atomic — 2 threads × 2 increments — step 3`
    pub title: String,
    pub goal: String,
    pub kernel: Vec<SourceLine>,
    /// One line per thread: `T0  ready    next: line 38   last read: a0 = 0`.
    pub threads: Vec<String>,
    pub ready: Vec<bool>,
    pub shared: Vec<String>,
    pub history: Vec<String>,
    pub standing: Standing,
    /// The verdict and what follows from it (several lines once the run ended).
    pub status: Vec<String>,
    /// One line: the verdict.
    pub verdict: String,
}

/// The lines from the kernel function (`pub fn kernel…`) to the end of the file — the
/// helpers it calls below it included — numbered as in the file.
fn kernel_lines(source: &str) -> Vec<(u32, &str)> {
    let lines: Vec<&str> = source.lines().collect();
    let Some(start) = lines.iter().position(|l| l.starts_with("pub fn kernel")) else {
        return Vec::new();
    };
    (start..lines.len())
        .map(|i| (i as u32 + 1, lines[i]))
        .collect()
}

/// The files whose code the workers run: the level's own (`None`), then, where its kernel
/// calls another lesson's (`condvar-if` runs `wait-while`'s takers), that lesson's file and
/// source. Locations in the lab's machinery (`src/…`, such as the start line) are in none.
fn other_files(exp: &Experiment, v: &View) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for (f, _) in v.workers.iter().filter_map(|w| w.at.as_ref()) {
        if let Some(other) = lesson_of(f).filter(|o| o.name != exp.name) {
            if !out.iter().any(|(g, _)| g == f) {
                out.push((f.clone(), other.source));
            }
        }
    }
    out
}

/// The catalogue entry whose lesson is file `f` (`experiments/wait_while.rs`), if any.
fn lesson_of(f: &str) -> Option<&'static Experiment> {
    let stem = f.strip_prefix("experiments/")?.strip_suffix(".rs")?;
    crate::experiments::find(&stem.replace('_', "-"))
}
impl Screen {
    /// The screen of `game` as it stands.
    pub fn of(game: &mut Game) -> Screen {
        let (exp, p) = (game.exp, game.params.clone());
        let v = game.view.clone();
        let kind = Kind::of(exp);
        let title = format!(
            "{} — {} threads × {} iteration{} — step {}{}",
            exp.name,
            p.threads,
            p.iters,
            if p.iters == 1 { "" } else { "s" },
            game.steps(),
            match kind {
                Kind::Bug => "",
                Kind::Fix => " — a fix: try to break it",
            }
        );
        let others = other_files(exp, &v);
        // Which block of the pane a location is in: another lesson's file, or the level's own.
        let block_of = |f: &str| -> Option<Option<&str>> {
            if f.starts_with("src/") {
                return None;
            }
            Some(others.iter().find(|(g, _)| g == f).map(|(g, _)| g.as_str()))
        };
        let mut kernel = Vec::new();
        let blocks = std::iter::once((None, exp.source))
            .chain(others.iter().map(|(f, src)| (Some(f.as_str()), *src)));
        for (block, source) in blocks {
            if let Some(f) = block {
                kernel.push(SourceLine {
                    number: 0,
                    text: f.to_string(),
                    here: Vec::new(),
                });
            }
            kernel.extend(kernel_lines(source).into_iter().map(|(number, text)| {
                SourceLine {
                    number,
                    text: text.to_string(),
                    here: (0..v.workers.len())
                        .filter(|&t| {
                            v.workers[t]
                                .at
                                .as_ref()
                                .is_some_and(|(f, l)| block_of(f) == Some(block) && *l == number)
                                && v.workers[t].status != Status::Finished
                        })
                        .collect(),
                }
            }));
        }
        let threads = v
            .workers
            .iter()
            .enumerate()
            .map(|(t, w)| {
                let status = match &w.status {
                    Status::Ready => "ready".to_string(),
                    Status::Finished => "finished".to_string(),
                    Status::Blocked(what) => format!("blocked: waits for {what}"),
                };
                let at = match (&w.status, &w.at) {
                    (Status::Finished, _) | (_, None) => String::new(),
                    (_, Some((f, l))) => match block_of(f) {
                        Some(None) => format!("next: line {l}"),
                        Some(Some(other)) => format!("next: {other}:{l}"),
                        None => format!("next: the start line ({f}:{l})"),
                    },
                };
                let read = match &w.last_read {
                    Some((o, val)) => format!("last read: {o} = {val}"),
                    None => String::new(),
                };
                let mut s = format!("[{t}] {}  {status:<10}", thread_name(t));
                for part in [at, read] {
                    if !part.is_empty() {
                        s.push_str("  ");
                        s.push_str(&part);
                    }
                }
                s.trim_end().to_string()
            })
            .collect();
        let ready = v
            .workers
            .iter()
            .map(|w| w.status == Status::Ready)
            .collect();
        let shared = v
            .shared
            .iter()
            .map(|(name, state)| {
                if state.parse::<u64>().is_ok() {
                    format!("{name} = {state}")
                } else {
                    format!("{name}: {state}")
                }
            })
            .collect();
        let history = v
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                format!(
                    "{:>3}  {:<4}  {}",
                    i + 1,
                    thread_name(e.thread),
                    e.describe()
                )
            })
            .collect();
        let standing = match (&v.grade, v.won()) {
            (None, _) => Standing::Playing,
            (Some(_), true) => Standing::Broken,
            (Some(_), false) => Standing::Held,
        };
        let (status, verdict) = status_lines(game, &standing);
        Screen {
            title,
            goal: goal(exp, &p),
            kernel,
            threads,
            ready,
            shared,
            history,
            standing,
            status,
            verdict,
        }
    }
}

/// The verdict line and the lines that follow it.
fn status_lines(game: &mut Game, standing: &Standing) -> (Vec<String>, String) {
    let v = game.view.clone();
    let steps = game.steps();
    let outcome = match (&v.end, &v.outcome) {
        (_, Some(o)) if o.is_value() => format!("final {o}, expected {}", game.params.expected()),
        (_, Some(o)) => o.to_string(),
        (Some(End::Deadlock(_)), None) => "deadlock".into(),
        (Some(End::Livelock(_)), None) => "livelock".into(),
        (Some(End::Panicked(_)), None) => "a panic".into(),
        _ => "no outcome".into(),
    };
    let (grade, meaning) = v
        .grade
        .clone()
        .unwrap_or((Grade::Acceptable, String::new()));
    match standing {
        Standing::Playing => {
            let ready: Vec<String> = v.enabled().iter().map(|t| t.to_string()).collect();
            let verdict = format!(
                "step {steps}: the run goes on; thread{} {} can step",
                if ready.len() == 1 { "" } else { "s" },
                ready.join(", ")
            );
            (vec![verdict.clone()], verdict)
        }
        Standing::Broken => {
            let proof = game.proof().clone();
            let shortest = match proof.shortest {
                Some(s) => format!("the shortest possible is {s}"),
                None => "the shortest possible is unknown (too many states to search)".into(),
            };
            let verdict = format!(
                "BROKEN in {steps} steps: {} ({outcome}), graded {}",
                meaning,
                grade.as_str()
            );
            let lines = vec![
                format!("*** BROKEN! *** {meaning} ({outcome}) — {}", grade.as_str()),
                format!(
                    "You broke it in {steps} steps; {shortest} ({}).",
                    census(&proof)
                ),
                "Replay it:".into(),
                format!("  {}", game.replay_line()),
            ];
            (lines, verdict)
        }
        Standing::Held => {
            let proof = game.proof().clone();
            let why = if proof.unbreakable() && proof.complete {
                let all = match proof.classes {
                    1 => "the only class of interleavings ends".to_string(),
                    k => format!("all {k} classes of interleavings end"),
                };
                format!(
                    "It cannot be broken at this size: {all} ACCEPTABLE (exhaustive search, sequentially consistent)."
                )
            } else if proof.unbreakable() {
                format!(
                    "It cannot be broken at this size: no reachable state fails (a search over every state; the first {} classes of interleavings all end ACCEPTABLE).",
                    proof.classes
                )
            } else {
                match proof.shortest {
                    Some(s) => format!(
                        "Not broken this time, but it can be: in {s} steps at the fewest ({}). u undoes, r restarts, h hints.",
                        census(&proof)
                    ),
                    None => "Not broken this time. u undoes, r restarts, h hints.".into(),
                }
            };
            let verdict = format!(
                "ended {} after {steps} steps: {meaning} ({outcome}); not broken",
                grade.as_str()
            );
            (vec![verdict.clone(), why], verdict)
        }
    }
}

/// How many classes of interleavings fail, as far as the enumeration went.
fn census(proof: &super::search::Proof) -> String {
    if proof.complete {
        format!(
            "exhaustive search at this size: {} of {} classes of interleavings fail",
            proof.failing, proof.classes
        )
    } else {
        format!(
            "{} of the first {} classes of interleavings fail; there are more",
            proof.failing, proof.classes
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kernel_and_its_helpers_are_cut_from_the_file() {
        let src = "//! x\n\nuse y;\n\npub fn kernel<R: Rt>(p: &Params) -> Run {\n    a\n}\n\nfn other() {}\n";
        let k = kernel_lines(src);
        assert_eq!(k.len(), 5);
        assert_eq!(k[0].0, 5);
        assert_eq!(k[2].1, "}");
        assert_eq!(k[4], (9, "fn other() {}"));
    }
}
