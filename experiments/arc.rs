//! # arc — a hand-made `Arc`: Release on the decrement, Acquire before the free
//!
//! **Question.** A reference-counted object built by hand, as *Rust Atomics and Locks*
//! builds `Arc` in chapter 6: the data (a plain cell) and a count of references. M objects,
//! each shared by N threads, its count starting at N. Each thread uses every object (reads
//! its data), then drops its reference: `fetch_sub(1, Release)`, and the thread that takes
//! the count from 1 to 0 runs an Acquire fence and frees the data. Can a thread's read ever
//! touch freed data?
//!
//! **Expect.** Never. Every other thread's use comes before its Release decrement; the last
//! decrement reads the end of that chain of read-modify-writes, and its Acquire fence makes
//! all of those uses happen before the free. This is exactly what `std::sync::Arc::drop`
//! does. The lab tracks freed objects: a read that races with the free, or reads freed
//! memory, is a USE AFTER FREE in every world. Drop the Release and the fence and the free
//! may overtake a use (`arc-relaxed`). `explore` proves it at 2 × 1 in the weak-memory
//! worlds as well as under sequential consistency.
//!
//! **Outcomes.** `uses` = N × M, `frees` = M, `use_after_free` = 0: ACCEPTABLE; anything
//! else FORBIDDEN.

use crate::prelude::*;
use crate::rt::FREED;

pub const EXPERIMENT: Experiment = experiment! {
    family: "refcount",
    summary: "hand-made Arc: Release decrement, Acquire fence before the free",
    class: Class::Fixed,
    proof: Size {
        threads: 2,
        iters: 1,
    },
    judge: Some(judge),
    default_threads: 4,
    default_iters: 100_000,
};

/// Every object used N times and freed once, never used after.
pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    let counted = o.primary() == p.expected() && o.get("frees") == Some(p.iters);
    match o.get("use_after_free") {
        Some(0) if counted => (
            Grade::Acceptable,
            "every use before the free, one free each",
        ),
        Some(_) if counted => (Grade::Interesting, "a thread read freed data"),
        _ => (
            Grade::Forbidden,
            "uses or frees miscounted, or freed data read: a bug",
        ),
    }
}

/// One shared object: its data and its count of references.
struct Shared<R: Rt> {
    data: R::Cell,
    refs: R::AtomicU64,
}

/// M objects shared by N threads; `decrement`: the drop's ordering; `fence`: the Acquire
/// fence of the thread that frees.
pub fn share<R: Rt>(p: &Params, decrement: Ordering, fence: bool) -> Run {
    let (n, m) = (p.threads as u64, p.iters);
    let objects: Vec<Shared<R>> = (0..m)
        .map(|i| Shared {
            data: RtCell::new(i + 1),
            refs: RtAtomic::new(n),
        })
        .collect();
    let s = Arc::new(objects);
    let (tally, elapsed) = workers_counting::<R, _, _>(p, &s, move |objects, _| {
        let (mut frees, mut after) = (0, 0);
        for o in objects {
            if o.data.read() == FREED {
                after += 1; // the object was gone before this use
            }
            // Drop this thread's reference; the last one frees.
            if o.refs.fetch_sub(1, decrement) == 1 {
                if fence {
                    R::fence(Ordering::Acquire);
                }
                o.data.free();
                frees += 1;
            }
        }
        (m, frees | after << 32)
    });
    let (uses, packed) = tally;
    let (frees, after) = (packed & 0xffff_ffff, packed >> 32);
    let fields = [("uses", uses), ("frees", frees), ("use_after_free", after)];
    Run::of(Outcome::of(&fields), elapsed)
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    share::<R>(p, Ordering::Release, true)
}
