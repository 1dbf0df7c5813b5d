//! The game's engine: a level, the moves played so far, and the view of the execution they
//! lead to. Executions are deterministic, so the game keeps no live execution: every move,
//! undo and restart replays the moves from the start, and a view is read off the result.
//! (A scheduled execution owns its OS thread's world while it runs, so holding one open
//! would also stop the hint's search from running its own.)

use super::search::{self, Proof};
use crate::experiment::{Ending, Experiment, Grade, Outcome, Params};
use crate::hunt;
use crate::rt::sched::{self, End, Execution};
use crate::trace::{Event, Op};

/// One move of the player.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// Step this worker by one visible operation.
    Step(usize),
    /// Take the last step back.
    Undo,
}

/// Parses `0,1,u,1` (commas or spaces between moves).
pub fn parse_moves(s: &str) -> Result<Vec<Move>, String> {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|tok| match tok {
            "u" | "U" => Ok(Move::Undo),
            _ => tok.parse().map(Move::Step).map_err(|_| {
                format!("malformed move '{tok}': expected a thread number (0, 1, …) or u (undo)")
            }),
        })
        .collect()
}

/// What a worker is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// It can take the next step.
    Ready,
    /// It waits (for a lock, a message, a notify, a join, a change it spins on).
    Blocked(String),
    Finished,
}

/// One worker as the screen shows it.
#[derive(Clone, Debug)]
pub struct Worker {
    pub status: Status,
    /// Where it waits: the file (as the timeline prints it) and line of its next operation.
    pub at: Option<(String, u32)>,
    /// Its private copy: the object it last read and the value it got (what its next store
    /// is computed from).
    pub last_read: Option<(String, u64)>,
}

/// The state a sequence of moves leads to.
#[derive(Clone, Debug)]
pub struct View {
    pub workers: Vec<Worker>,
    /// Every shared object and its state (`a0` → `3`, `A` → `held by T1`).
    pub shared: Vec<(String, String)>,
    /// The events so far, with the experiment's names for its objects.
    pub events: Vec<Event>,
    /// How the run ended, once it has; its outcome if it finished; its grade.
    pub end: Option<End>,
    pub outcome: Option<Outcome>,
    pub grade: Option<(Grade, String)>,
    /// The moves made where two or more workers could go: the schedule `replay` takes.
    pub schedule: Vec<usize>,
}

impl View {
    /// The workers that can step now.
    pub fn enabled(&self) -> Vec<usize> {
        (0..self.workers.len())
            .filter(|&t| self.workers[t].status == Status::Ready)
            .collect()
    }
    /// How the run ended, once it has, as every world says it.
    pub fn ending(&self) -> Option<Ending> {
        self.end
            .as_ref()
            .map(|e| crate::explore::scheduled::ending_of(e, self.outcome.clone()))
    }
    /// Whether the run reached the goal: it ended, graded anything but ACCEPTABLE.
    pub fn won(&self) -> bool {
        matches!(&self.grade, Some((g, _)) if *g != Grade::Acceptable)
    }
}

/// A move that cannot be made: which one (0-based among the moves given) and why.
#[derive(Clone, Debug)]
pub struct Illegal {
    pub index: usize,
    pub reason: String,
}

/// Grades an ended run as `hunt` and `replay` do.
pub fn grade(exp: &Experiment, p: &Params, end: &End, result: Option<Outcome>) -> (Grade, String) {
    hunt::grade_run(exp, p, end, result)
}

/// Starts `exp`'s kernel in the scheduled world, up to its first decision.
pub fn start(exp: &Experiment, p: &Params, record: bool) -> Execution<Outcome> {
    let (kernel, params) = (exp.kernels.sched, p.clone());
    let limit = sched::step_limit(p.threads, p.iters);
    Execution::start(p.threads, record, limit, move || kernel(&params).outcome)
}

/// The game's [`Chooser`](sched::Chooser): the player's moves, one per step, until they run
/// out or one is illegal. `notify_one` wakes the longest sleeper (the game's rule), and the
/// schedule `replay` takes is written down on the way: the moves made where two or more
/// workers could go, and the waiter wherever there was one to name.
pub(super) struct Moves<'m> {
    moves: &'m [usize],
    threads: usize,
    /// The index of the next move.
    next: usize,
    pub(super) illegal: Option<Illegal>,
    pub(super) schedule: Vec<usize>,
}

impl<'m> Moves<'m> {
    /// Plays `moves` on `ex` (started by [`start`]) as far as they are legal.
    pub(super) fn play(ex: &mut Execution<Outcome>, moves: &'m [usize], threads: usize) -> Self {
        let mut m = Moves {
            moves,
            threads,
            next: 0,
            illegal: None,
            schedule: Vec::new(),
        };
        sched::drive(ex, &mut m);
        if m.illegal.is_none() && m.next < moves.len() {
            // The run ended with moves left: the next one cannot be made.
            m.illegal = Some(Illegal {
                index: m.next,
                reason: refusal(ex, threads, moves[m.next]),
            });
        }
        m
    }
}

impl sched::Chooser<Outcome> for Moves<'_> {
    fn thread(&mut self, ex: &Execution<Outcome>, enabled: &[usize]) -> Option<usize> {
        let &t = self.moves.get(self.next)?;
        if !enabled.contains(&t) {
            self.illegal = Some(Illegal {
                index: self.next,
                reason: refusal(ex, self.threads, t),
            });
            return None;
        }
        if enabled.len() >= 2 {
            self.schedule.push(t);
        }
        self.next += 1;
        Some(t)
    }

    fn waiter(&mut self, _: &Execution<Outcome>, _: usize, options: &[usize]) -> Option<usize> {
        self.schedule.push(options[0]);
        None
    }
}

/// Why worker `t` cannot step in `ex` (it is not enabled).
fn refusal(ex: &Execution<Outcome>, threads: usize, t: usize) -> String {
    if t >= threads {
        format!(
            "there is no thread {t} (threads are 0..={})",
            threads.saturating_sub(1)
        )
    } else if ex.end().is_some() {
        "the run has ended: no thread can step".to_string()
    } else if ex.finished(t) {
        format!("T{t} has finished")
    } else {
        match ex.blocked_on(t) {
            Some(what) => format!("T{t} is blocked: it waits for {what}"),
            None => format!("T{t} cannot step now"),
        }
    }
}

/// Replays `moves` (every one a step) and reads the view.
pub fn view(exp: &Experiment, p: &Params, moves: &[usize]) -> Result<View, Illegal> {
    let mut ex = start(exp, p, true);
    let played = Moves::play(&mut ex, moves, p.threads);
    if let Some(illegal) = played.illegal {
        drop(ex.finish());
        return Err(illegal);
    }
    let schedule = played.schedule;
    let enabled = ex.enabled();
    let end = ex.end().cloned();
    let stuck: Vec<(usize, String)> = match &end {
        Some(End::Deadlock(w) | End::Livelock(w)) => w.clone(),
        _ => Vec::new(),
    };
    let mut events = ex.events();
    exp.name_objects(&mut events);
    let workers = (0..p.threads)
        .map(|t| {
            let status = if enabled.contains(&t) {
                Status::Ready
            } else if let Some((_, what)) = stuck.iter().find(|(w, _)| *w == t) {
                Status::Blocked(what.clone())
            } else if end.is_some() || ex.finished(t) {
                Status::Finished
            } else {
                Status::Blocked(ex.blocked_on(t).unwrap_or_else(|| "its turn".into()))
            };
            let at = match status {
                Status::Finished => None,
                _ => ex
                    .location(t)
                    .map(|l| (l.file().replace("src/../", ""), l.line())),
            };
            Worker {
                status,
                at,
                last_read: last_read(&events, t),
            }
        })
        .collect();
    let mut shared: Vec<(String, String)> = ex
        .snapshot()
        .into_iter()
        .map(|(name, state)| (exp.object_name(&name).into_owned(), state))
        .collect();
    if !stuck.is_empty() {
        // A deadlocked or livelocked execution has been unwound by the time it reports its
        // end, releasing every lock: who held what is read back from the trace.
        for (name, state) in shared.iter_mut() {
            if let Some(t) = holder(&events, name) {
                *state = format!("held by {}", crate::trace::thread_name(t));
            }
        }
    }
    let (result, _, _) = ex.finish();
    let outcome = result.filter(|_| end == Some(End::Finished));
    let grade = end.as_ref().map(|e| grade(exp, p, e, outcome.clone()));
    Ok(View {
        workers,
        shared,
        events,
        end,
        outcome,
        grade,
        schedule,
    })
}

/// Who holds lock `name` at the end of a trace, if anyone.
fn holder(events: &[Event], name: &str) -> Option<usize> {
    let mut h = None;
    for e in events.iter().filter(|e| e.object == name) {
        match e.op {
            Op::Lock => h = Some(e.thread),
            Op::Unlock => h = None,
            _ => {}
        }
    }
    h
}

/// What worker `t` last read, as `trace::states` reads a trace: a load, a plain read or a
/// failed compare-and-swap.
fn last_read(events: &[Event], t: usize) -> Option<(String, u64)> {
    events
        .iter()
        .rev()
        .find(|e| {
            e.thread == t && matches!(e.op, Op::Load | Op::Read | Op::CasFail | Op::CasSpurious)
        })
        .map(|e| (e.object.clone(), e.value))
}

/// What the hint found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hint {
    /// Step this worker next: a shortest way to the goal from here is `path`.
    Step { thread: usize, path: Vec<usize> },
    /// Every way on from here ends ACCEPTABLE.
    NoneFromHere,
    /// The search gave up after replaying this many positions (its budget of steps).
    TooLarge(u64),
    /// The search was stopped (Ctrl-C, or a key) after this many positions.
    Stopped(u64),
}

/// One game: a level at a size, and the moves played.
pub struct Game {
    pub exp: &'static Experiment,
    pub params: Params,
    /// The moves in effect (undone ones removed): each a worker stepped once.
    pub moves: Vec<usize>,
    pub view: View,
    proof: Option<Proof>,
    /// Stops the searches behind the proof and the hint (Ctrl-C; in the full-screen game,
    /// a key): they report what they found so far.
    pub cancel: crate::machine::Cancel,
}

impl Game {
    /// A new game of `exp` at `params`, before the first move.
    pub fn new(exp: &'static Experiment, params: Params) -> Game {
        let view = view(exp, &params, &[]).unwrap_or_else(|i| panic!("{}", i.reason));
        Game {
            exp,
            params,
            moves: Vec::new(),
            view,
            proof: None,
            cancel: crate::machine::Cancel::ctrl_c(),
        }
    }

    /// Steps worker `t`, or says why it cannot.
    pub fn step(&mut self, t: usize) -> Result<(), String> {
        let mut moves = self.moves.clone();
        moves.push(t);
        let v = view(self.exp, &self.params, &moves).map_err(|i| i.reason)?;
        self.moves = moves;
        self.view = v;
        Ok(())
    }

    /// Takes the last step back (nothing happens before the first).
    pub fn undo(&mut self) {
        if self.moves.pop().is_some() {
            self.view = view(self.exp, &self.params, &self.moves).unwrap_or_else(|i| {
                panic!("a prefix of legal moves replayed differently: {}", i.reason)
            });
        }
    }

    /// Back to the start.
    pub fn restart(&mut self) {
        self.moves.clear();
        self.view = view(self.exp, &self.params, &[]).unwrap_or_else(|i| panic!("{}", i.reason));
    }

    /// Plays a script of moves (`--moves`) with as few replays as it can: one at the end,
    /// and one before each undo that follows new steps (an illegal step later undone is
    /// still refused). On an illegal move: its index in `moves`, the steps played before
    /// it, and why. Ctrl-C stops it (`Err` with index `moves.len()`).
    pub fn play_script(
        &mut self,
        moves: &[Move],
        cancel: &crate::machine::Cancel,
    ) -> Result<(), (usize, usize, String)> {
        let mut list = self.moves.clone();
        // For each step in `list`, the index of the move in `moves` that made it.
        let mut origin: Vec<usize> = vec![0; list.len()];
        let replay = |list: &[usize], origin: &[usize]| {
            view(self.exp, &self.params, list).map_err(|i| (origin[i.index], i.index, i.reason))
        };
        let mut fresh = false;
        for (k, m) in moves.iter().enumerate() {
            if cancel.requested() {
                return Err((moves.len(), list.len(), "interrupted by Ctrl-C".into()));
            }
            match *m {
                Move::Step(t) => {
                    list.push(t);
                    origin.push(k);
                    fresh = true;
                }
                Move::Undo => {
                    if fresh {
                        replay(&list, &origin)?;
                        fresh = false;
                    }
                    list.pop();
                    origin.pop();
                }
            }
        }
        self.view = replay(&list, &origin)?;
        self.moves = list;
        Ok(())
    }

    /// Plays one move.
    pub fn apply(&mut self, m: Move) -> Result<(), String> {
        match m {
            Move::Step(t) => self.step(t),
            Move::Undo => {
                self.undo();
                Ok(())
            }
        }
    }

    pub fn won(&self) -> bool {
        self.view.won()
    }

    /// Steps played so far.
    pub fn steps(&self) -> usize {
        self.moves.len()
    }

    /// The exhaustive search at this size (run once, on first use).
    pub fn proof(&mut self) -> &Proof {
        let (exp, p) = (self.exp, &self.params);
        let cancel = &self.cancel;
        self.proof
            .get_or_insert_with(|| search::prove(exp, p, cancel))
    }

    /// The next step of a shortest way to the goal from here.
    pub fn hint(&mut self) -> Hint {
        if self.proof().unbreakable() {
            return Hint::NoneFromHere;
        }
        search::hint(self.exp, &self.params, &self.moves, &self.cancel)
    }

    /// The command that replays this run.
    pub fn replay_line(&self) -> String {
        format!(
            "race-lab replay {} -t {} -i {} --schedule \"{}\"",
            self.exp.name,
            self.params.threads,
            self.params.iters,
            crate::schedule::format(&self.view.schedule)
        )
    }
}

#[cfg(test)]
mod tests;
