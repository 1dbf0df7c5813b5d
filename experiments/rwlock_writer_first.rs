//! # rwlock-writer-first — a writer that announces itself is not starved
//!
//! **Question.** A reader-writer lock in one atomic word: a writer bit, a "writer waiting"
//! bit, and the number of readers. Thread 0 writes M times; every other thread reads M
//! times. A reader gets in only if neither bit is set; the writer, finding readers inside,
//! sets "writer waiting" (its doorway) and gets in when the last reader leaves. How many
//! reader entries can happen while the writer waits (`longest_wait`)?
//!
//! **Expect.** At most N − 1: once the writer has announced itself, no new reader gets in,
//! so the writer waits only for the readers already inside. This is the writer-preferring
//! policy (Linux's rwsem, Windows' SRW lock behave so); its cost is that readers now wait
//! for writers. Without the announcement, readers that keep overlapping can keep a writer
//! out forever (`rwlock-reader-first`). `explore` proves the bound at 2 × 2.
//!
//! **Outcomes.** `ops` = N × M and `longest_wait` ≤ N − 1: ACCEPTABLE; anything else
//! FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "progress",
    summary: "writer-preferring rwlock: a waiting writer stops new readers",
    class: Class::Fixed,
    atomics: &["state", "entries", "longest"],
    judge: Some(super::ticket_fair::judge),
    default_threads: 2,
    default_iters: 100_000,
};

const WRITER: u64 = 1;
const WAITING: u64 = 2;
const READER: u64 = 4;

/// Thread 0 writes M times, the others read M times; `announce`: a waiting writer stops new
/// readers.
pub fn readers_and_writer<R: Rt>(p: &Params, announce: bool) -> Run {
    let s = Arc::new((R::AtomicU64::new(0), super::ticket_fair::Waits::<R>::new()));
    let m = p.iters;
    let (ops, elapsed) = workers::<R, _>(p, &s, move |(state, waits), me| {
        let keep_out = if announce { WRITER | WAITING } else { WRITER };
        for _ in 0..m {
            if me != 0 {
                loop {
                    let s = state.load(Ordering::Relaxed);
                    if s & keep_out == 0
                        && state
                            .compare_exchange(s, s + READER, Ordering::Acquire, Ordering::Relaxed)
                            .is_ok()
                    {
                        break;
                    }
                    R::yield_now();
                }
                waits.enter(None);
                state.fetch_sub(READER, Ordering::Release);
                continue;
            }
            let mut since = None;
            loop {
                let s = state.load(Ordering::Relaxed);
                if s & !WAITING == 0 {
                    let got =
                        state.compare_exchange(s, WRITER, Ordering::Acquire, Ordering::Relaxed);
                    if got.is_ok() {
                        break;
                    }
                } else if announce && s & WAITING == 0 {
                    let set = state.compare_exchange(
                        s,
                        s | WAITING,
                        Ordering::Relaxed,
                        Ordering::Relaxed,
                    );
                    if set.is_ok() {
                        since = Some(waits.line_up()); // the doorway: announced
                    }
                } else {
                    if !announce && since.is_none() {
                        since = Some(waits.line_up()); // first time shut out
                    }
                    R::yield_now();
                }
            }
            waits.enter(since);
            state.fetch_sub(WRITER, Ordering::Release);
        }
        m
    });
    let o = Outcome::of(&[("ops", ops), ("longest_wait", s.1.longest())]);
    Run::of(o, elapsed)
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    readers_and_writer::<R>(p, true)
}
