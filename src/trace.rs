//! What each thread did: the trace recorded by the loom and scheduled worlds, and its
//! rendering as a per-thread timeline (one column per thread).
//!
//! loom itself never shows the interleaving it found; this is the lab's answer to that.

mod timeline;
pub use timeline::{summary_steps, timeline, timeline_of};

use serde::Serialize;
use std::fmt::Write as _;

/// The main thread (the one that creates the shared state and reads the result).
pub const MAIN: usize = usize::MAX;

/// One visible operation of one thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Worker index (0-based), or [`MAIN`].
    #[serde(serialize_with = "ser_thread")]
    pub thread: usize,
    pub op: Op,
    /// The object touched: `a0`, `a1`… for atomics, `A`, `B`… for locks, `cell`, `chan`.
    pub object: String,
    /// The value read (for a read-modify-write: the value it replaced), written or sent.
    pub value: u64,
    /// For a read-modify-write that wrote (fetch_add, swap, a successful cas): what it wrote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<u64>,
    /// For a load (loom world) that did not return the last store to run: that store's value.
    /// loom does not expose its modification order, so this is not "stale by mo".
    pub stale_latest: Option<u64>,
    /// For a read in a world that knows `rf` (rc11): the write it read from, `init` or
    /// `step N`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// For such a read, when a write newer in modification order than the one it read had
    /// already run: the first such write ("step N wrote V"). The read was stale by
    /// modification order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newer_in_mo: Option<String>,
    /// Source location of the access (racy cell accesses).
    pub location: Option<String>,
}

fn ser_thread<S: serde::Serializer>(t: &usize, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&thread_name(*t))
}

/// Kinds of operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Load,
    Store,
    FetchAdd,
    FetchSub,
    CasOk,
    CasFail,
    /// `compare_exchange_weak` failed although the value was the expected one (a spurious
    /// failure, which std allows).
    CasSpurious,
    Swap,
    Lock,
    Unlock,
    /// `try_lock` found the lock held.
    TryLockFail,
    /// A reader took / released a reader-writer lock (`Lock`/`Unlock` are the writer's).
    ReadLock,
    ReadUnlock,
    /// Released the lock and went to sleep on a condition variable.
    Wait,
    /// Woke on a condition variable and holds the lock again.
    Woken,
    /// Woke on a condition variable without a notify (a spurious wake-up) and holds the
    /// lock again.
    Spurious,
    Notify,
    NotifyAll,
    /// `yield_now` or `spin_loop`: handed the turn to another thread.
    Yield,
    Fence,
    Send,
    Recv,
    Read,
    Write,
    /// An access that loom stopped as a data race (recorded before loom checks it).
    RacyRead,
    RacyWrite,
}

/// A source location as the timeline prints it (`experiments/unsynced.rs:38:23`).
pub fn location(l: &std::panic::Location<'_>) -> String {
    format!(
        "{}:{}:{}",
        l.file().replace("src/../", ""),
        l.line(),
        l.column()
    )
}

pub fn thread_name(t: usize) -> String {
    if t == MAIN {
        "main".to_string()
    } else {
        format!("T{t}")
    }
}

impl Event {
    /// The cell text of this event in a timeline.
    pub fn describe(&self) -> String {
        let o = &self.object;
        let v = self.value;
        let mut s = match self.op {
            Op::Load => format!("load {o} → {v}"),
            Op::Store => format!("store {o} ← {v}"),
            Op::FetchAdd => format!(
                "fetch_add {o} +{} (was {v})",
                self.written.map_or(1, |w| w.wrapping_sub(v))
            ),
            Op::FetchSub => format!(
                "fetch_sub {o} -{} (was {v})",
                self.written.map_or(1, |w| v.wrapping_sub(w))
            ),
            Op::Swap => format!("swap {o} ← {} (was {v})", self.written.unwrap_or_default()),
            Op::CasOk => format!("cas {o} {v}→{} ok", self.written.unwrap_or(v + 1)),
            Op::CasFail => format!("cas {o} failed (saw {v})"),
            Op::CasSpurious => format!("cas_weak {o} failed spuriously (saw {v}, as expected)"),
            Op::Lock => format!("lock {o}"),
            Op::Unlock => format!("unlock {o}"),
            Op::TryLockFail => format!("try_lock {o} failed (held)"),
            Op::ReadLock => format!("read-lock {o}"),
            Op::ReadUnlock => format!("read-unlock {o}"),
            Op::Wait => format!("wait {o}"),
            Op::Woken => format!("woken on {o}"),
            Op::Spurious => format!("woken on {o} spuriously (no notify)"),
            Op::Notify => format!("notify_one {o}"),
            Op::NotifyAll => format!("notify_all {o}"),
            Op::Yield => "yield".to_string(),
            Op::Fence => "fence".to_string(),
            Op::Send => format!("send {v}"),
            Op::Recv => format!("recv {v}"),
            Op::Read => format!("read {o} → {v}"),
            Op::Write => format!("write {o} ← {v}"),
            Op::RacyRead => format!("read {o}  ✗ RACE"),
            Op::RacyWrite => format!("write {o}  ✗ RACE"),
        };
        if let Some(latest) = self.stale_latest {
            // What loom can know: the last store to run, not the modification order.
            let _ = write!(s, " (older than the last store to run: {latest})");
        }
        if let Some(src) = &self.source {
            let _ = write!(s, " ⟵ {src}");
        }
        if let Some(newer) = &self.newer_in_mo {
            let _ = write!(s, " (stale by mo: {newer})");
        }
        s
    }

    fn is_read(&self) -> bool {
        matches!(self.op, Op::Load | Op::Read)
    }
    fn is_write(&self) -> bool {
        matches!(self.op, Op::Store | Op::Write)
    }

    /// An event of a world: no location, nothing stale, nothing written back.
    pub fn new(thread: usize, op: Op, object: impl Into<String>, value: u64) -> Self {
        Event {
            thread,
            op,
            object: object.into(),
            value,
            written: None,
            stale_latest: None,
            source: None,
            newer_in_mo: None,
            location: None,
        }
    }
}

/// One sentence saying what went wrong in a counter trace, if anything did: which threads
/// read the same value (or a stale one) so that their increments overwrote each other.
pub fn explain_lost_update(events: &[Event], expected: u64, final_value: u64) -> Option<String> {
    if final_value >= expected {
        return None;
    }
    let why = why_lost(events, expected, final_value)?;
    // Under a weak memory model (loom's, RC11), unsynchronised stores are ordered by the
    // modification order, not by the time they ran: the last store to run need not stay.
    let last_store = events.iter().rev().find(|e| e.is_write()).map(|e| e.value);
    match last_store {
        Some(v) if v != final_value => Some(format!(
            "{why}. Note: the last store to run wrote {v}, yet the counter ends at {final_value}: \
             with no synchronisation between the threads, the memory model may place a store that \
             ran later *earlier* in the counter's modification order"
        )),
        _ => Some(why),
    }
}

fn why_lost(events: &[Event], expected: u64, final_value: u64) -> Option<String> {
    let lost = expected - final_value;
    let plural = if lost == 1 { "" } else { "s" };
    // An increment built from one compare-exchange drops itself when the exchange fails:
    // nothing is overwritten (the `cas-once` lessons).
    if let Some(f) = events
        .iter()
        .find(|e| matches!(e.op, Op::CasFail | Op::CasSpurious))
    {
        let how = if f.op == Op::CasSpurious {
            "failed spuriously (the value was the expected one)"
        } else {
            "failed (another thread had changed it)"
        };
        return Some(format!(
            "{}'s compare-exchange on {} {how} and was not retried; {lost} increment{plural} dropped (final {final_value}, expected {expected})",
            thread_name(f.thread),
            f.object,
        ));
    }
    // Find the first read whose written-back value was overwritten: two reads of the same
    // object returning the same value, by different threads, each followed by a write.
    for (i, a) in events.iter().enumerate() {
        if !a.is_read() {
            continue;
        }
        for b in &events[i + 1..] {
            if b.is_read() && b.thread != a.thread && b.object == a.object && b.value == a.value {
                let writes_a = writes_after(events, a);
                let writes_b = writes_after(events, b);
                if writes_a && writes_b {
                    return Some(format!(
                        "{} and {} both read {}; {} increment{} lost (final {final_value}, expected {expected})",
                        thread_name(a.thread),
                        thread_name(b.thread),
                        a.value,
                        lost,
                        if lost == 1 { "" } else { "s" }
                    ));
                }
            }
        }
    }
    if let Some(s) = events.iter().find(|e| e.stale_latest.is_some()) {
        return Some(format!(
            "{} read {}, older than the last store to run ({}); {lost} increment{} lost (final {final_value}, expected {expected})",
            thread_name(s.thread),
            s.value,
            s.stale_latest.unwrap_or_default(),
            if lost == 1 { "" } else { "s" }
        ));
    }
    Some(format!(
        "a later store overwrote an earlier one; {lost} increment{} lost (final {final_value}, expected {expected})",
        if lost == 1 { "" } else { "s" }
    ))
}

fn writes_after(events: &[Event], read: &Event) -> bool {
    let pos = events
        .iter()
        .position(|e| std::ptr::eq(e, read))
        .unwrap_or(0);
    events[pos + 1..]
        .iter()
        .any(|e| e.thread == read.thread && e.object == read.object && e.is_write())
}

/// The shared state after each event of a trace, as one line: every atomic's and the cell's
/// current value, who holds which lock, and what each thread last read (its private copy —
/// the value its next store will be computed from). For stepping through an interleaving.
/// Only the states after the steps `shown` (0-based, ascending) are kept.
pub fn states_at(events: &[Event], shown: &[usize]) -> Vec<String> {
    let mut shown = shown.iter().peekable();
    use std::collections::BTreeMap;
    let mut memory: BTreeMap<String, u64> = BTreeMap::new();
    let mut holders: BTreeMap<String, usize> = BTreeMap::new();
    let mut last_read: BTreeMap<usize, (String, u64)> = BTreeMap::new();
    let mut out = Vec::with_capacity(shown.len());
    for (i, e) in events.iter().enumerate() {
        match e.op {
            Op::Load | Op::Read => {
                // Before any store, a read shows the initial value (the scheduled world is
                // sequentially consistent: a read returns what memory holds).
                memory.entry(e.object.clone()).or_insert(e.value);
                last_read.insert(e.thread, (e.object.clone(), e.value));
            }
            Op::Store | Op::Write => {
                memory.insert(e.object.clone(), e.value);
            }
            Op::FetchAdd | Op::FetchSub | Op::CasOk | Op::Swap => {
                memory.insert(e.object.clone(), e.written.unwrap_or(e.value + 1));
            }
            Op::CasFail | Op::CasSpurious => {
                last_read.insert(e.thread, (e.object.clone(), e.value));
            }
            Op::Lock => {
                holders.insert(e.object.clone(), e.thread);
            }
            Op::Unlock => {
                holders.remove(&e.object);
            }
            // The worlds record a condvar wait as `unlock M, wait cv … woken cv, lock M`.
            Op::Wait
            | Op::Woken
            | Op::Spurious
            | Op::Send
            | Op::Recv
            | Op::RacyRead
            | Op::RacyWrite
            | Op::TryLockFail
            | Op::ReadLock
            | Op::ReadUnlock
            | Op::Notify
            | Op::NotifyAll
            | Op::Yield
            | Op::Fence => {}
        }
        if shown.peek() != Some(&&i) {
            continue;
        }
        shown.next();
        let mut parts: Vec<String> = memory.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        parts.extend(
            holders
                .iter()
                .map(|(l, t)| format!("{} holds {l}", thread_name(*t))),
        );
        parts.extend(
            last_read
                .iter()
                .map(|(t, (o, v))| format!("{} read {o} = {v}", thread_name(*t))),
        );
        if parts.len() > STATE_PARTS {
            let more = parts.len() - STATE_PARTS;
            parts.truncate(STATE_PARTS);
            parts.push(format!("… and {more} more"));
        }
        out.push(parts.join(" · "));
    }
    out
}

/// The most facts one state line shows (values, holders, last reads): 64 threads' last
/// reads once made a line of 130 KB.
const STATE_PARTS: usize = 16;

/// A fraction as a percentage with one decimal, or as many as it takes for a fraction
/// that is not zero to show two significant digits (8 of 6,000,000 is `0.00013%`, never
/// `0.0%`).
pub fn percent(x: f64) -> String {
    let p = 100.0 * x;
    if p == 0.0 || p.abs() >= 0.1 || !p.is_finite() {
        return format!("{p:.1}%");
    }
    let digits = (1.0 - p.abs().log10().floor()) as usize;
    format!("{p:.digits$}%", digits = digits.min(12))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(thread: usize, op: Op, value: u64) -> Event {
        Event::new(thread, op, "a0", value)
    }

    #[test]
    fn names_the_two_threads_that_read_the_same_value() {
        let t = [
            ev(0, Op::Load, 0),
            ev(1, Op::Load, 0),
            ev(1, Op::Store, 1),
            ev(0, Op::Store, 1),
        ];
        let s = explain_lost_update(&t, 2, 1).unwrap();
        assert!(
            s.starts_with("T0 and T1 both read 0; 1 increment lost"),
            "{s}"
        );
        assert!(explain_lost_update(&t, 2, 2).is_none());
    }

    #[test]
    fn says_when_the_last_store_is_not_the_final_value() {
        let t = [
            ev(0, Op::Load, 0),
            ev(1, Op::Load, 0),
            ev(0, Op::Store, 1),
            ev(1, Op::Store, 7),
        ];
        let s = explain_lost_update(&t, 2, 1).unwrap();
        assert!(s.contains("the last store to run wrote 7"), "{s}");
    }

    #[test]
    fn a_stale_read_is_named() {
        let mut stale = ev(1, Op::Load, 0);
        stale.stale_latest = Some(1);
        let t = [
            ev(0, Op::Load, 0),
            ev(0, Op::Store, 1),
            stale.clone(),
            ev(1, Op::Store, 1),
        ];
        let s = explain_lost_update(&t, 2, 1).unwrap();
        assert!(s.contains("both read 0"), "{s}");
        assert!(timeline(&t).contains("(older than the last store to run: 1)"));
    }

    #[test]
    fn timeline_has_one_column_per_thread() {
        let t = [ev(0, Op::Load, 0), ev(1, Op::Load, 0)];
        let tl = timeline(&t);
        let lines: Vec<&str> = tl.lines().collect();
        assert!(lines[0].contains("T0") && lines[0].contains("T1"));
        assert!(lines[1].contains("load a0 → 0") && lines[1].trim_end().ends_with('·'));
        assert!(lines[2].contains("·") && lines[2].trim_end().ends_with("load a0 → 0"));
    }
}
