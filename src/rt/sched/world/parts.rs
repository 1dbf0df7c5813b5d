//! The parts of an execution's state: its objects and their kinds, a step's accesses (the
//! dependency relation's vocabulary), what a thread needs to go on, and the threads.

use std::collections::VecDeque;

/// An object's index in the execution.
pub type ObjId = usize;

/// What kind of object, for default names and for the dependency relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Atomic,
    Cell,
    Mutex,
    RwLock,
    Condvar,
    Chan,
    /// A worker, as something another thread joins.
    Thread,
}

/// One shared object.
#[derive(Clone, Debug)]
pub struct Obj {
    pub name: String,
    pub kind: Kind,
    /// Bumped whenever the object's observable state changes (the yield rule's "written").
    pub version: u64,
    /// An atomic's or the cell's value; a channel's queue length.
    pub value: u64,
    /// The worker (or [`MAIN`]) holding a mutex, or an rwlock's writer.
    pub holder: Option<usize>,
    /// An rwlock's readers.
    pub readers: usize,
    pub queue: VecDeque<u64>,
    /// A condvar's sleepers, in the order they went to sleep (notify_one wakes the first).
    pub sleepers: VecDeque<usize>,
}

/// How an operation touches an object, for the dependency relation of the exhaustive
/// search: two accesses conflict unless both are reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Access {
    Read(ObjId),
    Write(ObjId),
}

impl Access {
    pub fn obj(self) -> ObjId {
        match self {
            Access::Read(o) | Access::Write(o) => o,
        }
    }
    pub fn conflicts(self, other: Access) -> bool {
        self.obj() == other.obj() && !matches!((self, other), (Access::Read(_), Access::Read(_)))
    }
}

/// One event of an execution as the exhaustive search sees it: a step of one thread (a
/// worker's step, or one visible operation of main) and what it touched.
///
/// Invariant: what a step touches depends only on the thread's own history and the values
/// it read, never on what other threads did meanwhile (so two executions that order their
/// dependent steps alike have equal steps).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepRec {
    /// The worker, or `trace::MAIN`.
    pub thread: usize,
    pub accesses: Vec<Access>,
    /// Locks this step acquired, each with whether the acquire could block (`lock`, a
    /// condvar's wake-up, `read`/`write` of an rwlock; not a successful `try_lock`).
    pub acquired: Vec<(ObjId, bool)>,
    /// Locks this step released (unlock, guard drop, a condvar wait giving its mutex up).
    pub released: Vec<ObjId>,
    /// For a `notify_one` that had two or more sleepers to choose from: the one it woke;
    /// for a `compare_exchange_weak` that could fail spuriously: whether it did
    /// (`world::CAS_SUCCEEDS`, `world::CAS_FAILS_SPURIOUSLY`).
    pub woke: Option<usize>,
}

/// What a waiting thread needs before it can take its next step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Need {
    /// Nothing: it can go whenever it is chosen.
    Any,
    /// It yielded: it can go, but the default choice prefers someone else.
    Yielded,
    Lock(ObjId),
    ReadLock(ObjId),
    WriteLock(ObjId),
    Recv(ObjId),
    /// Asleep on a condvar until notified, then the mutex.
    Notified {
        cv: ObjId,
        mutex: ObjId,
    },
    Join(usize),
    /// The yield rule: spinning on values it already read; wakes when one of them changes.
    Changed(Vec<(ObjId, u64)>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    NotStarted,
    Running,
    Waiting(Need),
    Finished,
}

/// One thread (a worker, or main) of the execution.
#[derive(Clone, Debug)]
pub struct Thread {
    pub status: Status,
    /// The operation it will perform when it next runs (for the exhaustive search).
    pub pending: Option<Access>,
    /// A condvar sleeper that was notified (it still needs the mutex).
    pub notified: bool,
    /// A condvar sleeper that may wake without a notify (spurious wake-ups are on, and its
    /// previous `wait` call did not end in one: so a `while` loop around `wait` cannot
    /// wake spuriously forever).
    pub may_wake_spuriously: bool,
    /// Its last `wait` call ended in a spurious wake-up.
    pub woke_spuriously: bool,
    /// Its pending operation is a `notify_one` on this condvar (the waiter is a choice).
    pub notify_one: Option<ObjId>,
    /// Its pending operation is a `compare_exchange_weak` on this atomic expecting this
    /// value: where the value is the expected one, failing spuriously is a choice.
    pub weak_cas: Option<(ObjId, u64)>,
    /// Its last `compare_exchange_weak` failed spuriously (so the next may not: a retry
    /// loop cannot fail spuriously forever).
    pub failed_spuriously: bool,
    /// Where in the kernel's source its pending operation is (for `play`).
    pub location: Option<&'static std::panic::Location<'static>>,
    /// Objects read, with the version read, since its last yield (the yield rule).
    pub(in crate::rt::sched) reads: Vec<(ObjId, u64)>,
    /// Whether it changed anything since its last yield.
    pub(in crate::rt::sched) wrote: bool,
}

impl Thread {
    /// A worker just spawned: it starts after the current step.
    pub fn not_started() -> Self {
        Self::new()
    }
    pub(in crate::rt::sched) fn new() -> Self {
        Thread {
            status: Status::NotStarted,
            pending: None,
            notified: false,
            may_wake_spuriously: false,
            woke_spuriously: false,
            notify_one: None,
            weak_cas: None,
            failed_spuriously: false,
            location: None,
            reads: Vec::new(),
            wrote: false,
        }
    }
}
