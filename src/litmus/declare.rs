//! What a litmus test declares: its actors over the shared variables `x`, `y`, `z`, the
//! registers they read, what the memory model allows per ordering (with its citation), and
//! what each outcome means. The catalogue's `experiments/litmus_*.rs` build these.

use super::NativeRun;
use crate::experiment::Grade;
use crate::machine::Cancel;
use crate::rt::{MemOrder, Rt, RtAtomic};
use serde::Serialize;

/// The most iterations of one litmus run (24 bytes of variables and at most 8 of results
/// per iteration: 160 MB).
pub const MAX_ITERS: u64 = 5_000_000;

/// The most actors of one test: loom runs at most four threads besides main.
pub const MAX_ACTORS: usize = 4;

/// What one actor read: at most two registers (unused ones are 0, and not part of the
/// outcome: [`Actors::REGS`] says how many count).
pub type Regs = [u64; 2];

/// The shared variables of one iteration, all 0 at the start.
pub struct Vars<A> {
    pub x: A,
    pub y: A,
    pub z: A,
}

impl<A: RtAtomic<u64>> Vars<A> {
    pub fn new() -> Self {
        Vars {
            x: A::new(0),
            y: A::new(0),
            z: A::new(0),
        }
    }
    pub(super) fn get(&self, v: Var) -> &A {
        match v {
            Var::X => &self.x,
            Var::Y => &self.y,
            Var::Z => &self.z,
        }
    }
}

impl<A: RtAtomic<u64>> Default for Vars<A> {
    fn default() -> Self {
        Self::new()
    }
}

/// A shared variable, named for the outcome when read at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Var {
    X,
    Y,
    Z,
}

impl Var {
    pub fn name(self) -> &'static str {
        match self {
            Var::X => "x",
            Var::Y => "y",
            Var::Z => "z",
        }
    }
}

/// The actors of a litmus test, over the shared variables `x`, `y`, `z`.
pub trait Actors: 'static {
    /// Per actor, the names of the registers it returns (at most two each); the number of
    /// actors is the length (2 to [`MAX_ACTORS`]).
    const REGS: &'static [&'static [&'static str]];
    /// Variables read once every actor has finished, appended to the outcome.
    const FINAL: &'static [Var] = &[];
    /// Actor `me`'s program; returns its registers.
    fn actor<R: Rt>(me: usize, v: &Vars<R::AtomicU64>, o: MemOrder) -> Regs;
}

/// Whether the memory model allows an outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    Allowed,
    Forbidden,
}

impl Model {
    pub fn as_str(self) -> &'static str {
        match self {
            Model::Allowed => "allowed",
            Model::Forbidden => "forbidden",
        }
    }
}

/// An outcome: the registers' values, in [`Shape::registers`] order.
pub type Outcome = Vec<u64>;

/// The shape of a test, read off its [`Actors`].
#[derive(Clone, Debug)]
pub struct Shape {
    pub actors: usize,
    /// Every register of the outcome, actors' registers first, then final values.
    pub registers: Vec<&'static str>,
}

/// The shape of `A`.
pub fn shape<A: Actors>() -> Shape {
    let mut registers: Vec<&'static str> = A::REGS.iter().flat_map(|r| r.iter().copied()).collect();
    registers.extend(A::FINAL.iter().map(|v| v.name()));
    Shape {
        actors: A::REGS.len(),
        registers,
    }
}

/// What one outcome means.
#[derive(Clone, Copy, Debug)]
pub struct Meanings {
    /// The interesting outcome, where the model allows it.
    pub allowed: &'static str,
    /// The interesting outcome, where the model forbids it.
    pub forbidden: &'static str,
    /// Every other outcome (each is some interleaving of the actors).
    pub other: &'static str,
}

/// One litmus test of the catalogue.
pub struct Litmus {
    pub name: &'static str,
    pub summary: &'static str,
    /// The experiment file: its lesson and its actors.
    pub source: &'static str,
    /// The outcome this test is about: the one no interleaving produces.
    pub interesting: &'static [u64],
    /// What the published C11 model says of the interesting outcome, per ordering.
    pub model: fn(MemOrder) -> Model,
    /// Where the model's answers come from.
    pub citation: &'static str,
    pub meanings: Meanings,
    pub shape: fn() -> Shape,
    pub native: fn(u64, MemOrder, &Cancel) -> NativeRun,
    pub loom: fn(MemOrder) -> Outcome,
    /// The actors as an rc11 kernel (`crate::litmus::rc11::kernel::<A>`): what the rc11
    /// world explores, and what the model is computed from.
    pub rc11: fn(MemOrder) -> crate::rt::rc11::explore::Kernel<Outcome>,
    /// Where loom disagrees with the model on this test, and which of loom's limits makes
    /// it, per ordering: `verify` reports a declared disagreement as a KNOWN GAP and fails an
    /// undeclared one, or a declared one that does not show.
    pub loom_limit: fn(MemOrder) -> Option<LoomLimit>,
}

/// A limit of loom's model that makes it disagree with the C11 model on a litmus test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoomLimit {
    /// loom treats SeqCst accesses as AcqRel (no single total order of SeqCst accesses): it
    /// produces an outcome SeqCst forbids — a false alarm.
    SeqCstAsAcqRel,
    /// Under loom a load reads only stores that already ran, so it never explores a load
    /// seeing a later store (load buffering): it misses an outcome the model allows — a gap.
    NoLoadBuffering,
}

impl LoomLimit {
    /// What it makes loom do, in a sentence.
    pub fn reason(self) -> &'static str {
        match self {
            LoomLimit::SeqCstAsAcqRel => {
                "loom false alarm: loom treats SeqCst accesses as AcqRel (no single total order of \
                 SeqCst accesses)"
            }
            LoomLimit::NoLoadBuffering => {
                "loom gap: under loom a load reads only stores that already ran, so loom never \
                 explores a load seeing a later store (load buffering)"
            }
        }
    }
}

/// No disagreement declared: loom agrees with the model under every ordering.
pub fn loom_agrees(_: MemOrder) -> Option<LoomLimit> {
    None
}

impl Litmus {
    /// How an outcome reads ("r0=0, r1=0").
    pub fn label(&self, out: &[u64]) -> String {
        let shape = (self.shape)();
        shape
            .registers
            .iter()
            .zip(out)
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Grades an outcome under an ordering: the interesting one is INTERESTING where the
    /// model allows it and FORBIDDEN where it does not; every other one is an interleaving.
    pub fn grade(&self, o: MemOrder, out: &[u64]) -> (Grade, &'static str) {
        if out != self.interesting {
            return (Grade::Acceptable, self.meanings.other);
        }
        match (self.model)(o) {
            Model::Allowed => (Grade::Interesting, self.meanings.allowed),
            Model::Forbidden => (Grade::Forbidden, self.meanings.forbidden),
        }
    }
}
