//! # treiber-tagged — a lock-free stack whose head carries a version tag
//!
//! **Question.** A Treiber stack of two reusable nodes (A → B): `head` holds the top
//! node's index, each node an atomic `next`. Pop reads `head`, reads the top node's `next`,
//! and swings `head` to it with `compare_exchange`; push writes the current head into the
//! node's `next` and swings `head` to the node. N threads each M times pop two nodes and push
//! them back. Here `head` also holds a tag, incremented by every successful exchange. Is the
//! stack intact at the end: both nodes, no cycle?
//!
//! **Expect.** Always. A `compare_exchange` on the index alone asks "is A still on top?",
//! not "has nothing happened since I looked?"; the tag makes it ask the second. A pop
//! that read `head` = A(tag 5) fails if anyone popped and pushed A back meanwhile, because
//! `head` is now A(tag 7). This is the fix of `treiber-aba` (IBM's counted pointers; other
//! fixes never reuse a node while a thread may hold it: hazard pointers, epochs). `explore`
//! proves it at 2 × 1.
//!
//! **Outcomes.** `ops` = N × M rounds, `nodes` = 2 and `cycle` = 0: ACCEPTABLE; anything else
//! FORBIDDEN.

use crate::prelude::*;

pub const EXPERIMENT: Experiment = experiment! {
    family: "lock-free",
    summary: "Treiber stack with a tagged head: ABA cannot fool the compare_exchange",
    class: Class::Fixed,
    atomics: &["head", "next_a", "next_b"],
    proof: Size {
        threads: 2,
        iters: 1,
    },
    play: Play::Not("too large to search by hand at 2 × 1 (520 classes, each a dozen moves): explore it"),
    judge: Some(judge),
    default_threads: 4,
    default_iters: 100_000,
};

/// The nodes on the stack at the start.
pub const NODES: u64 = 2;
const INDEX: u64 = 0xffff_ffff;

/// The stack must end with every node on it once.
pub fn judge(p: &Params, o: &Outcome) -> (Grade, &'static str) {
    if o.primary() != p.expected() {
        return (Grade::Forbidden, "rounds miscounted: a bug in the lab");
    }
    if o.get("nodes") == Some(NODES) && o.get("cycle") == Some(0) {
        return (Grade::Acceptable, "the stack is intact");
    }
    (
        Grade::Interesting,
        "the stack is corrupt: a compare_exchange took a node that had been popped and pushed back (ABA)",
    )
}

/// The stack: `head` (tag in the high half, node index in the low half; 0 is empty) and
/// the nodes' `next` (index 1 is A).
pub struct Stack<R: Rt> {
    head: R::AtomicU64,
    next: Vec<R::AtomicU64>,
    tagged: bool,
}

impl<R: Rt> Stack<R> {
    /// A → B.
    pub fn new(tagged: bool) -> Self {
        Stack {
            head: RtAtomic::new(1),
            next: (1..=NODES)
                .map(|i| RtAtomic::new(if i < NODES { i + 1 } else { 0 }))
                .collect(),
            tagged,
        }
    }
    fn swing(&self, old: u64, to: u64) -> u64 {
        let tag = if self.tagged { (old >> 32) + 1 } else { 0 };
        (tag << 32) | to
    }
    pub fn pop(&self) -> Option<u64> {
        loop {
            let h = self.head.load(Ordering::Acquire);
            let top = h & INDEX;
            if top == 0 {
                return None;
            }
            let below = self.next[top as usize - 1].load(Ordering::Relaxed);
            let new = self.swing(h, below);
            // ABA: `head` may be this very value again with another node below `top`.
            let swung = self
                .head
                .compare_exchange(h, new, Ordering::AcqRel, Ordering::Relaxed);
            if swung.is_ok() {
                return Some(top);
            }
        }
    }
    pub fn push(&self, node: u64) {
        loop {
            let h = self.head.load(Ordering::Relaxed);
            self.next[node as usize - 1].store(h & INDEX, Ordering::Relaxed);
            let new = self.swing(h, node);
            let swung = self
                .head
                .compare_exchange(h, new, Ordering::Release, Ordering::Relaxed);
            if swung.is_ok() {
                return;
            }
        }
    }
    /// Walks the stack from the top: the distinct nodes found, and whether a node came twice.
    pub fn walk(&self) -> (u64, u64) {
        let mut seen = Vec::new();
        let mut at = self.head.load(Ordering::SeqCst) & INDEX;
        while at != 0 {
            if seen.contains(&at) {
                return (seen.len() as u64, 1);
            }
            seen.push(at);
            at = self.next[at as usize - 1].load(Ordering::SeqCst);
        }
        (seen.len() as u64, 0)
    }
}

pub fn churn<R: Rt>(p: &Params, tagged: bool) -> Run {
    let s = Arc::new(Stack::<R>::new(tagged));
    let m = p.iters;
    let (ops, elapsed) = workers::<R, _>(p, &s, move |stack, _| {
        for _ in 0..m {
            let (a, b) = (stack.pop(), stack.pop());
            for node in [a, b].into_iter().flatten() {
                stack.push(node);
            }
        }
        m
    });
    let (nodes, cycle) = s.walk();
    let fields = [("ops", ops), ("nodes", nodes), ("cycle", cycle)];
    Run::of(Outcome::of(&fields), elapsed)
}

pub fn kernel<R: Rt>(p: &Params) -> Run {
    churn::<R>(p, true)
}
