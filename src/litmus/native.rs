//! The native run of a litmus test: N long-lived threads meet at a spinning start line
//! before every iteration, each on fresh variables, and the outcomes are counted — what this
//! hardware does.

use super::{Actors, Outcome, Vars};
use crate::machine::Cancel;
use crate::rt::{MemOrder, Native, Rt};
use crossbeam_utils::CachePadded;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// What the native run counted.
#[derive(Clone, Debug, Default)]
pub struct NativeRun {
    pub counts: BTreeMap<Outcome, u64>,
    /// Iterations in which all actors ran at once: the intervals from a clock reading just
    /// before each actor's body to one just after it all intersect (so "at once" is within
    /// the clock's cost, tens of nanoseconds).
    pub overlapped: u64,
    /// Iterations in which all actors started their bodies within [`NEAR_NS`] of each
    /// other: a store may still be on its way to the other cores after a body ends, so
    /// these iterations can still interact.
    pub near: u64,
}

/// "Nearly at once", in nanoseconds (see [`NativeRun::near`]).
pub const NEAR_NS: u64 = 1_000;

/// Waits until every other actor has announced iteration `i` in `flags`: spins, then (after
/// a while, so that more actors than cores still make progress) yields.
/// `false` if Ctrl-C came while waiting (an actor that stopped never arrives).
fn wait_all(flags: &[CachePadded<AtomicU64>], me: usize, i: u64, cancel: &Cancel) -> bool {
    let mut spins = 0u32;
    for (j, f) in flags.iter().enumerate() {
        while j != me && f.load(Ordering::Acquire) < i {
            if cancel.requested() {
                return false;
            }
            if spins < 1 << 12 {
                spins += 1;
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }
    true
}

/// When each actor ran its body in one iteration: (start, end) in nanoseconds.
type Times = Vec<CachePadded<[AtomicU64; 2]>>;

/// Whether the actors' intervals in `times` all intersect, and whether they all started
/// within [`NEAR_NS`] of each other: each 1 (yes) or 0 (no).
fn at_once(times: &Times) -> (u64, u64) {
    let starts = || times.iter().map(|t| t[0].load(Ordering::Relaxed));
    let (first, last) = (starts().min(), starts().max());
    let end = times.iter().map(|t| t[1].load(Ordering::Relaxed)).min();
    let near = match (first, last) {
        (Some(f), Some(l)) => l - f < NEAR_NS,
        _ => false,
    };
    (u64::from(last < end), u64::from(near))
}

/// Runs `iters` iterations natively and counts the outcomes.
pub fn run_native<A: Actors>(iters: u64, o: MemOrder, cancel: &Cancel) -> NativeRun {
    let n = A::REGS.len();
    let vars: Arc<Vec<Vars<<Native as Rt>::AtomicU64>>> =
        Arc::new((0..iters).map(|_| Vars::new()).collect());
    // Each actor announces the iteration it reached; none starts iteration i before all the
    // others have reached it.
    let reached: Arc<Vec<CachePadded<AtomicU64>>> =
        Arc::new((0..n).map(|_| Default::default()).collect());
    // The actors' times, for odd and even iterations: actor 0 judges iteration i - 1 at the
    // start line of iteration i, where every actor has written its times and none can yet
    // overwrite them (that is iteration i + 1, past a start line actor 0 has not reached).
    let times: Arc<[Times; 2]> =
        Arc::new([0, 1].map(|_| (0..n).map(|_| Default::default()).collect()));
    let epoch = Instant::now();
    let handles: Vec<_> = (0..n)
        .map(|me| {
            let (vars, reached, times) = (vars.clone(), reached.clone(), times.clone());
            let cancel = cancel.clone();
            std::thread::spawn(move || {
                let mut seen: Vec<[u8; 2]> = Vec::with_capacity(iters as usize);
                let (mut overlapped, mut near) = (0, 0);
                let small = |x: u64| u8::try_from(x).expect("litmus registers hold small values");
                for (i, v) in vars.iter().enumerate() {
                    let i = i as u64 + 1;
                    if cancel.requested() {
                        break; // Ctrl-C: the iterations every actor finished are counted
                    }
                    reached[me].store(i, Ordering::Release);
                    if !wait_all(&reached, me, i, &cancel) {
                        break;
                    }
                    let start = epoch.elapsed().as_nanos() as u64;
                    let r = A::actor::<Native>(me, v, o);
                    let end = epoch.elapsed().as_nanos() as u64;
                    let t = &times[i as usize % 2][me];
                    t[0].store(start, Ordering::Relaxed);
                    t[1].store(end, Ordering::Relaxed);
                    // The previous iteration's timing, after the body (not between the start
                    // line and the body): every actor wrote it before reaching this one, and
                    // none rewrites it before actor 0 lets iteration i + 1 start.
                    if me == 0 && i > 1 {
                        let (both, close) = at_once(&times[(i as usize - 1) % 2]);
                        (overlapped, near) = (overlapped + both, near + close);
                    }
                    seen.push([small(r[0]), small(r[1])]);
                }
                (seen, overlapped, near)
            })
        })
        .collect();
    let seen: Vec<(Vec<[u8; 2]>, u64, u64)> = handles
        .into_iter()
        .map(|h| h.join().unwrap_or_default())
        .collect();
    // Every actor is joined: the last iteration's times are all written.
    let (both, close) = at_once(&times[iters as usize % 2]);
    let mut run = NativeRun {
        overlapped: seen[0].1 + both,
        near: seen[0].2 + close,
        ..NativeRun::default()
    };
    for (i, v) in vars.iter().enumerate() {
        let mut out = Vec::new();
        for (a, regs) in A::REGS.iter().enumerate() {
            let Some(r) = seen[a].0.get(i) else {
                return run; // an actor panicked: count what all of them finished
            };
            out.extend(r[..regs.len()].iter().map(|&x| u64::from(x)));
        }
        out.extend(A::FINAL.iter().map(|&f| v.get(f).load(Ordering::Relaxed)));
        *run.counts.entry(out).or_insert(0) += 1;
    }
    run
}
