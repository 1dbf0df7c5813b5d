//! The scheduled world: real threads that take turns by an explicit schedule.
//!
//! Only one worker runs at a time. A worker runs until its next visible operation (an atomic
//! access, a lock, a cell access, a send or a receive) and waits there. When no worker runs,
//! and every worker is waiting or finished, the scheduler decides who goes next:
//!
//! * if only one waiting worker can proceed, it does: no schedule entry is used;
//! * otherwise the next entry of the schedule names the worker to run; entries that name a
//!   finished or blocked worker are skipped;
//! * when the schedule runs out, the worker that ran last keeps running (or, if it cannot,
//!   the lowest-numbered worker that can).
//!
//! So a schedule only lists the *choices*, and proptest can shrink it towards the shortest
//! story. A blocked worker (waiting for a held lock, or receiving from an empty channel) is
//! never chosen; when every unfinished worker is blocked, that is a deadlock, and the run
//! ends with every worker unwound. The world is sequentially consistent: a load always sees
//! the latest store (stale reads are loom's department).

use super::{Rt, RtAtomic, RtCell, RtMutex, RtReceiver, RtSender};
use crate::trace::{Event, Op, MAIN};
use parking_lot::{Condvar, Mutex};
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The scheduled world. See the module docs.
pub struct Sched;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Need {
    Any,
    Lock(String),
    Recv(u32),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum TState {
    NotStarted,
    Running,
    Waiting(Need),
    Finished,
}

struct State {
    threads: Vec<TState>,
    spawned: usize,
    running: Option<usize>,
    schedule: Vec<usize>,
    pos: usize,
    /// Decides once the schedule has run out (the default order when `None`).
    chooser: Option<Pct>,
    last: Option<usize>,
    ran_out: bool,
    /// The worker chosen at every decision point, including the default ones.
    decisions: Vec<usize>,
    holders: HashMap<String, usize>,
    queues: HashMap<u32, u64>,
    events: Vec<Event>,
    deadlock: bool,
    deadlock_waiting: Option<Vec<(usize, String)>>,
    next_atomic: u32,
    next_mutex: u32,
    next_chan: u32,
}

struct Shared {
    state: Mutex<State>,
    cv: Condvar,
}

/// The payload a worker unwinds with when the run ends in a deadlock.
struct Deadlocked;

thread_local! {
    static CUR: RefCell<Option<(Arc<Shared>, usize)>> = const { RefCell::new(None) };
}

fn current() -> (Arc<Shared>, usize) {
    CUR.with(|c| c.borrow().clone())
        .expect("the scheduled world is only used inside sched::run")
}

/// What one scheduled run did.
#[derive(Debug, Clone)]
pub struct SchedRun<T> {
    /// The kernel's result, or `None` if the run deadlocked.
    pub result: Option<T>,
    pub events: Vec<Event>,
    /// The worker chosen at every decision point (the schedule as it was actually used,
    /// completed by the default order once the given schedule ran out).
    pub decisions: Vec<usize>,
    /// How many entries of the given schedule were used (skipped entries included).
    pub used: usize,
    /// Whether the given schedule ran out before the run ended.
    pub ran_out: bool,
    /// For a deadlock: each blocked worker and the lock it waits for.
    pub waiting: Vec<(usize, String)>,
}

/// Runs `kernel` (which spawns exactly `threads` workers through [`Sched`]) under `schedule`.
///
/// A panic in the kernel other than the scheduler's own deadlock unwinding is propagated.
pub fn run<T>(threads: usize, schedule: &[usize], kernel: impl FnOnce() -> T) -> SchedRun<T> {
    run_with(threads, schedule, None, kernel)
}

/// Runs `kernel` under a PCT schedule (probabilistic concurrency testing, as in shuttle):
/// the decisions it takes are recorded in [`SchedRun::decisions`], which replays the run.
pub fn run_pct<T>(threads: usize, pct: Pct, kernel: impl FnOnce() -> T) -> SchedRun<T> {
    run_with(threads, &[], Some(pct), kernel)
}

/// The PCT scheduler (Burckhardt et al., "A Randomized Scheduler with Probabilistic
/// Guarantees of Finding Bugs", 2010): every worker gets a random distinct priority, the
/// highest-priority worker that can proceed runs, and at `depth - 1` random decision points
/// the worker that was running drops below all others. A bug that needs `d` ordering
/// constraints is found with probability at least 1 / (n · k^(d-1)) per run, for n workers
/// and k decisions — far better than uniform random choice for deep bugs.
pub struct Pct {
    priority: Vec<u64>,
    change_points: Vec<u64>,
    step: u64,
}

impl Pct {
    /// A PCT scheduler for `threads` workers, about `steps` decisions and bug depth `depth`,
    /// drawn from `seed`.
    pub fn new(threads: usize, steps: u64, depth: usize, seed: u64) -> Self {
        let mut rng = SplitMix(seed);
        let d = depth.max(1) as u64;
        // Distinct initial priorities d..d+n, shuffled (Fisher–Yates).
        let mut priority: Vec<u64> = (0..threads as u64).map(|i| d + i).collect();
        for i in (1..priority.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            priority.swap(i, j);
        }
        let change_points = (0..d - 1).map(|_| 1 + rng.next() % steps.max(1)).collect();
        Pct {
            priority,
            change_points,
            step: 0,
        }
    }

    fn choose(&mut self, eligible: &[usize], last: Option<usize>) -> usize {
        self.step += 1;
        if let (Some(j), Some(l)) = (
            self.change_points.iter().position(|&c| c == self.step),
            last,
        ) {
            // The j-th change point (0-based): the running worker drops to d - 2 - j, below
            // every initial priority (d and up) and below every earlier change point's.
            self.priority[l] = (self.change_points.len() - j) as u64 - 1;
        }
        *eligible
            .iter()
            .max_by_key(|&&t| self.priority[t])
            .unwrap_or(&eligible[0])
    }
}

/// A small deterministic generator (SplitMix64) for PCT's draws.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn run_with<T>(
    threads: usize,
    schedule: &[usize],
    chooser: Option<Pct>,
    kernel: impl FnOnce() -> T,
) -> SchedRun<T> {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            threads: vec![TState::NotStarted; threads],
            spawned: 0,
            running: None,
            schedule: schedule.to_vec(),
            pos: 0,
            chooser,
            last: None,
            ran_out: false,
            decisions: Vec::new(),
            holders: HashMap::new(),
            queues: HashMap::new(),
            events: Vec::new(),
            deadlock: false,
            deadlock_waiting: None,
            next_atomic: 0,
            next_mutex: 0,
            next_chan: 0,
        }),
        cv: Condvar::new(),
    });
    let prev = CUR.with(|c| c.replace(Some((shared.clone(), MAIN))));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(kernel));
    CUR.with(|c| *c.borrow_mut() = prev);
    let mut st = shared.state.lock();
    let result = match outcome {
        Ok(v) => Some(v),
        Err(p) if p.is::<Deadlocked>() => None,
        Err(p) => {
            drop(st);
            std::panic::resume_unwind(p)
        }
    };
    let waiting = st
        .threads
        .iter()
        .enumerate()
        .filter_map(|(t, s)| match s {
            TState::Waiting(Need::Lock(l)) => Some((t, l.clone())),
            _ => None,
        })
        .collect::<Vec<_>>();
    let waiting = if result.is_none() {
        st.deadlock_waiting.take().unwrap_or(waiting)
    } else {
        waiting
    };
    SchedRun {
        result,
        events: std::mem::take(&mut st.events),
        decisions: std::mem::take(&mut st.decisions),
        used: st.pos,
        ran_out: st.ran_out,
        waiting,
    }
}

impl State {
    fn can_proceed(&self, need: &Need) -> bool {
        match need {
            Need::Any => true,
            Need::Lock(l) => !self.holders.contains_key(l),
            Need::Recv(c) => self.queues.get(c).copied().unwrap_or(0) > 0,
        }
    }

    /// Called with the state locked whenever a worker stops running.
    fn decide(&mut self) {
        if self.running.is_some() || self.deadlock {
            return;
        }
        if self
            .threads
            .iter()
            .any(|s| matches!(s, TState::NotStarted | TState::Running))
        {
            return;
        }
        let eligible: Vec<usize> = (0..self.threads.len())
            .filter(|&t| matches!(&self.threads[t], TState::Waiting(n) if self.can_proceed(n)))
            .collect();
        let pick = match eligible.len() {
            0 => {
                if self.threads.iter().any(|s| matches!(s, TState::Waiting(_))) {
                    self.deadlock = true;
                    self.deadlock_waiting = Some(
                        (0..self.threads.len())
                            .filter_map(|t| match &self.threads[t] {
                                TState::Waiting(Need::Lock(l)) => Some((t, l.clone())),
                                TState::Waiting(Need::Recv(c)) => Some((t, format!("chan{c}"))),
                                _ => None,
                            })
                            .collect(),
                    );
                }
                return;
            }
            1 => eligible[0],
            _ => {
                let mut chosen = None;
                while self.pos < self.schedule.len() {
                    let t = self.schedule[self.pos];
                    self.pos += 1;
                    if eligible.contains(&t) {
                        chosen = Some(t);
                        break;
                    }
                }
                let last = self.last;
                let t = chosen.unwrap_or_else(|| match self.chooser.as_mut() {
                    Some(pct) => pct.choose(&eligible, last),
                    None => {
                        self.ran_out = true;
                        match last {
                            Some(l) if eligible.contains(&l) => l,
                            _ => eligible[0],
                        }
                    }
                });
                self.decisions.push(t);
                t
            }
        };
        self.running = Some(pick);
        self.last = Some(pick);
    }
}

impl Shared {
    /// Stops the calling worker before a visible operation until the scheduler picks it.
    fn point(&self, me: usize, need: Need) {
        let mut st = self.state.lock();
        st.threads[me] = TState::Waiting(need);
        if st.running == Some(me) {
            st.running = None;
        }
        st.decide();
        self.cv.notify_all();
        loop {
            if st.deadlock {
                drop(st);
                std::panic::resume_unwind(Box::new(Deadlocked));
            }
            if st.running == Some(me) {
                st.threads[me] = TState::Running;
                return;
            }
            self.cv.wait(&mut st);
        }
    }

    fn finish(&self, me: usize) {
        let mut st = self.state.lock();
        st.threads[me] = TState::Finished;
        if st.running == Some(me) {
            st.running = None;
        }
        // A worker unwinding out of a deadlock releases nothing it did not hold.
        st.holders.retain(|_, h| *h != me);
        st.decide();
        self.cv.notify_all();
    }

    fn record(&self, me: usize, op: Op, object: String, value: u64, location: Option<String>) {
        if me != MAIN {
            self.state.lock().events.push(Event {
                thread: me,
                op,
                object,
                value,
                stale_latest: None,
                location,
            });
        }
    }
}

/// Marks a worker finished however its closure ends (normally or unwinding).
struct ExitGuard(Arc<Shared>, usize);

impl Drop for ExitGuard {
    fn drop(&mut self) {
        self.0.finish(self.1);
    }
}

/// Runs `op` as one visible operation of the calling thread: scheduled for a worker,
/// immediate for the main thread (which only acts before the workers start, after they are
/// joined, or as a channel's receiving owner).
fn visible<T>(need: Need, op: impl FnOnce(&Shared, usize) -> T) -> T {
    let (shared, me) = current();
    if me != MAIN {
        shared.point(me, need);
    }
    op(&shared, me)
}

/// A sequentially consistent atomic: only one worker runs at a time.
pub struct SchedAtomic {
    v: AtomicU64,
    name: String,
}

impl RtAtomic for SchedAtomic {
    fn new(v: u64) -> Self {
        let (shared, _) = current();
        let mut st = shared.state.lock();
        st.next_atomic += 1;
        SchedAtomic {
            v: AtomicU64::new(v),
            name: format!("a{}", st.next_atomic - 1),
        }
    }
    fn load(&self, _: Ordering) -> u64 {
        visible(Need::Any, |s, me| {
            let v = self.v.load(Ordering::SeqCst);
            s.record(me, Op::Load, self.name.clone(), v, None);
            v
        })
    }
    fn store(&self, v: u64, _: Ordering) {
        visible(Need::Any, |s, me| {
            self.v.store(v, Ordering::SeqCst);
            s.record(me, Op::Store, self.name.clone(), v, None);
        })
    }
    fn fetch_add(&self, v: u64, _: Ordering) -> u64 {
        visible(Need::Any, |s, me| {
            let old = self.v.fetch_add(v, Ordering::SeqCst);
            s.record(me, Op::FetchAdd, self.name.clone(), old, None);
            old
        })
    }
    fn compare_exchange(&self, c: u64, n: u64, _: Ordering, _: Ordering) -> Result<u64, u64> {
        visible(Need::Any, |s, me| {
            let r = self
                .v
                .compare_exchange(c, n, Ordering::SeqCst, Ordering::SeqCst);
            match r {
                Ok(old) => s.record(me, Op::CasOk, self.name.clone(), old, None),
                Err(seen) => s.record(me, Op::CasFail, self.name.clone(), seen, None),
            }
            r
        })
    }
}

/// The racy cell of the scheduled world. Turn-taking already orders every access (the
/// scheduler's lock hands each turn over), so an atomic with `Relaxed` accesses behaves
/// exactly like the unsynchronised cell would under this interleaving — without the UB.
pub struct SchedCell {
    v: AtomicU64,
}

impl RtCell for SchedCell {
    fn new(v: u64) -> Self {
        SchedCell {
            v: AtomicU64::new(v),
        }
    }
    #[track_caller]
    fn read(&self) -> u64 {
        let loc = crate::trace::location(std::panic::Location::caller());
        visible(Need::Any, |s, me| {
            let v = self.v.load(Ordering::Relaxed);
            s.record(me, Op::Read, "cell".into(), v, Some(loc));
            v
        })
    }
    #[track_caller]
    fn write(&self, v: u64) {
        let loc = crate::trace::location(std::panic::Location::caller());
        visible(Need::Any, |s, me| {
            self.v.store(v, Ordering::Relaxed);
            s.record(me, Op::Write, "cell".into(), v, Some(loc));
        })
    }
    #[track_caller]
    fn add_plain(&self, m: u64) {
        for _ in 0..m {
            let v = RtCell::read(self);
            RtCell::write(self, v + 1);
        }
    }
}

/// A lock whose waiting is decided by the scheduler; the inner std lock is only ever taken
/// by the one worker the scheduler let through, so it never blocks.
pub struct SchedMutex<T> {
    inner: std::sync::Mutex<T>,
    name: String,
}

pub struct SchedGuard<'a, T> {
    inner: Option<std::sync::MutexGuard<'a, T>>,
    name: &'a str,
}

impl<T> Deref for SchedGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_ref().expect("guard is live")
    }
}
impl<T> DerefMut for SchedGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_mut().expect("guard is live")
    }
}
impl<T> Drop for SchedGuard<'_, T> {
    fn drop(&mut self) {
        drop(self.inner.take());
        let (shared, me) = current();
        if me != MAIN {
            let mut st = shared.state.lock();
            st.holders.remove(self.name);
            if !std::thread::panicking() {
                st.events.push(Event {
                    thread: me,
                    op: Op::Unlock,
                    object: self.name.to_string(),
                    value: 0,
                    stale_latest: None,
                    location: None,
                });
            }
        }
    }
}

impl<T: Send + 'static> RtMutex<T> for SchedMutex<T> {
    type Guard<'a> = SchedGuard<'a, T>;
    fn new(v: T) -> Self {
        let (shared, _) = current();
        let mut st = shared.state.lock();
        st.next_mutex += 1;
        let name = char::from(b'A' + ((st.next_mutex - 1) % 26) as u8).to_string();
        SchedMutex {
            inner: std::sync::Mutex::new(v),
            name,
        }
    }
    fn lock(&self) -> SchedGuard<'_, T> {
        visible(Need::Lock(self.name.clone()), |s, me| {
            if me != MAIN {
                s.state.lock().holders.insert(self.name.clone(), me);
                s.record(me, Op::Lock, self.name.clone(), 0, None);
            }
        });
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        SchedGuard {
            inner: Some(inner),
            name: &self.name,
        }
    }
}

#[derive(Clone)]
pub struct SchedSender {
    tx: std::sync::mpsc::Sender<u64>,
    id: u32,
}
pub struct SchedReceiver {
    rx: std::sync::mpsc::Receiver<u64>,
    id: u32,
}

impl RtSender for SchedSender {
    fn send(&self, v: u64) {
        visible(Need::Any, |s, me| {
            self.tx.send(v).expect("the receiver outlives every sender");
            *s.state.lock().queues.entry(self.id).or_default() += 1;
            s.record(me, Op::Send, "chan".into(), v, None);
            // A receiving main thread may be waiting on the std channel: nothing to notify.
        })
    }
}

impl RtReceiver for SchedReceiver {
    fn recv(&self) -> u64 {
        let (shared, me) = current();
        if me != MAIN {
            shared.point(me, Need::Recv(self.id));
        }
        let v = self.rx.recv().expect("the kernel receives an exact count");
        *shared.state.lock().queues.entry(self.id).or_default() -= 1;
        shared.record(me, Op::Recv, "chan".into(), v, None);
        v
    }
}

impl Rt for Sched {
    const NAME: &'static str = "scheduled";
    type AtomicU64 = SchedAtomic;
    type Cell = SchedCell;
    type Mutex<T: Send + 'static> = SchedMutex<T>;
    type PlMutex<T: Send + 'static> = SchedMutex<T>;
    type Sender = SchedSender;
    type Receiver = SchedReceiver;
    type Join<T: Send + 'static> = std::thread::JoinHandle<T>;
    type Gate = ();

    fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Self::Join<T> {
        let (shared, _) = current();
        let tid = {
            let mut st = shared.state.lock();
            assert!(
                st.spawned < st.threads.len(),
                "kernel spawned more workers than declared"
            );
            st.spawned += 1;
            st.spawned - 1
        };
        std::thread::spawn(move || {
            CUR.with(|c| *c.borrow_mut() = Some((shared.clone(), tid)));
            let _exit = ExitGuard(shared, tid);
            f()
        })
    }
    fn join<T: Send + 'static>(h: Self::Join<T>) -> T {
        match h.join() {
            Ok(v) => v,
            Err(p) => std::panic::resume_unwind(p),
        }
    }
    fn channel() -> (SchedSender, SchedReceiver) {
        let (shared, _) = current();
        let id = {
            let mut st = shared.state.lock();
            st.next_chan += 1;
            st.next_chan - 1
        };
        let (tx, rx) = std::sync::mpsc::channel();
        (SchedSender { tx, id }, SchedReceiver { rx, id })
    }
    fn gate(_: usize) {}
    fn wait(_: &()) {}
    fn window(_: u32) {}
    fn now() -> Option<std::time::Instant> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rt::RtAtomic;

    /// `n` workers, each: load, then store v + 1.
    fn racy_n(n: usize) -> u64 {
        let c = Arc::new(SchedAtomic::new(0));
        let hs: Vec<_> = (0..n)
            .map(|_| {
                let c = c.clone();
                Sched::spawn(move || {
                    let v = c.load(Ordering::SeqCst);
                    c.store(v + 1, Ordering::SeqCst);
                })
            })
            .collect();
        hs.into_iter().for_each(Sched::join);
        c.v.load(Ordering::SeqCst)
    }

    fn racy() -> u64 {
        racy_n(2)
    }

    #[test]
    fn the_default_order_runs_one_worker_to_the_end() {
        let r = run(2, &[], racy);
        assert_eq!(r.result, Some(2));
        assert!(r.ran_out);
        assert_eq!(r.decisions, vec![0, 0]);
    }

    #[test]
    fn a_switch_between_load_and_store_loses_an_update() {
        let r = run(2, &[0, 1], racy);
        assert_eq!(r.result, Some(1));
        let ops: Vec<(usize, Op)> = r.events.iter().map(|e| (e.thread, e.op)).collect();
        assert_eq!(
            ops,
            [(0, Op::Load), (1, Op::Load), (1, Op::Store), (0, Op::Store)]
        );
    }

    #[test]
    fn entries_naming_finished_workers_are_skipped() {
        // T0 loads and stores (two decisions) and finishes; the third entry names T0 again,
        // is skipped, and the fourth picks T2 over T1.
        let r = run(3, &[0, 0, 0, 2], || racy_n(3));
        assert_eq!(r.used, 4);
        assert_eq!(&r.decisions[..3], &[0, 0, 2]);
        let threads: Vec<usize> = r.events.iter().map(|e| e.thread).collect();
        assert_eq!(&threads[..3], &[0, 0, 2]);
        assert_eq!(r.result, Some(3));
    }
}
