//! Read-modify-writes: what each kind writes given what it read — the atomics' own
//! (`fetch_add`, `swap`, `compare_exchange`…) and the ones the world's locks, condition
//! variables and channels are built from ([`SyncOp`]).

use crate::trace::Op;
use std::sync::atomic::Ordering;

use super::graph::read_part;

/// What a read-modify-write writes, given what it read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RmwOp {
    Add(u64),
    Sub(u64),
    Swap(u64),
    /// compare_exchange: `expected`, `new`.
    Cas(u64, u64),
    /// compare_exchange_weak: `expected`, `new`; `may`: it may fail spuriously (the
    /// thread's last one did not); `spurious`: it did (it read `expected` and wrote
    /// nothing) — the read's choice, false when asked.
    CasWeak {
        expected: u64,
        new: u64,
        may: bool,
        spurious: bool,
    },
    /// An operation of a lock, a condition variable or a channel (see [`SyncOp`]).
    Sync(SyncOp),
}

/// The read-modify-writes the world's synchronisation primitives are built from. Each is one
/// atomic step on the primitive's location, so the explorer orders them like any other
/// read-modify-writes: a lock is taken by the acquisition that reads its last release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SyncOp {
    /// Mutex (and a reader-writer lock's writer): 0 → [`HELD`]; `try` for `try_lock`.
    Lock { try_: bool },
    /// A reader of a reader-writer lock: readers + 1, unless a writer holds it.
    ReadLock,
    /// A reader leaving: readers − 1.
    ReadUnlock,
    /// A condition variable's waiter registering (under the lock): one more sleeper. The
    /// tokens issued so far (the value it read) are its `epoch`: it may take only later ones.
    Register,
    /// `notify_one`: one more wake-up token, if a sleeper has none.
    NotifyOne,
    /// `notify_all`: a token for every sleeper without one.
    NotifyAll,
    /// A sleeper that registered at `epoch` waking: takes the first token issued since that
    /// it finds free (a notify wakes only threads already waiting: a later sleeper cannot
    /// steal it); with `spurious`, leaves without one if there is none.
    Wake { epoch: u64, spurious: bool },
    /// A channel's send: the message, last in the channel's `mo`.
    Send(u64),
}

/// The value of a held lock (a writer, for a reader-writer lock).
pub const HELD: u64 = 1 << 63;

/// The most wake-up tokens one condition variable issues in one execution.
pub const MAX_TOKENS: u64 = 40;

/// A condition variable's value: which tokens were taken (bits 0‥40), how many were
/// issued (bits 40‥48), and how many sleepers have not woken yet (bits 48‥56).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CvState {
    pub taken: u64,
    pub issued: u64,
    pub sleepers: u64,
}

impl CvState {
    pub fn of(v: u64) -> CvState {
        CvState {
            taken: v & ((1 << MAX_TOKENS) - 1),
            issued: (v >> 40) & 0xff,
            sleepers: (v >> 48) & 0xff,
        }
    }
    fn value(self) -> u64 {
        self.taken | self.issued << 40 | self.sleepers << 48
    }
    /// Tokens issued and not taken.
    fn free(self) -> u64 {
        self.issued - u64::from(self.taken.count_ones())
    }
    /// The first token issued at or after `epoch` that nobody took.
    fn first_free(self, epoch: u64) -> Option<u64> {
        (epoch..self.issued).find(|&i| self.taken & (1 << i) == 0)
    }
    fn issue(mut self, n: u64) -> Option<u64> {
        if n == 0 {
            return None;
        }
        assert!(
            self.issued + n <= MAX_TOKENS,
            "more than {MAX_TOKENS} notifies of one condition variable in one execution: lower --iters"
        );
        self.issued += n;
        Some(self.value())
    }
}

impl SyncOp {
    fn apply(self, old: u64) -> Option<u64> {
        let cv = CvState::of(old);
        match self {
            SyncOp::Lock { .. } => (old == 0).then_some(HELD),
            SyncOp::ReadLock => (old != HELD).then_some(old + 1),
            SyncOp::ReadUnlock => Some(old.wrapping_sub(1)),
            SyncOp::Register => Some(
                CvState {
                    sleepers: cv.sleepers + 1,
                    ..cv
                }
                .value(),
            ),
            SyncOp::NotifyOne => cv.issue((cv.sleepers > cv.free()).into()),
            SyncOp::NotifyAll => cv.issue(cv.sleepers.saturating_sub(cv.free())),
            SyncOp::Wake { epoch, spurious } => match cv.first_free(epoch) {
                Some(i) => Some(
                    CvState {
                        taken: cv.taken | 1 << i,
                        sleepers: cv.sleepers - 1,
                        ..cv
                    }
                    .value(),
                ),
                None => spurious.then(|| {
                    CvState {
                        sleepers: cv.sleepers - 1,
                        ..cv
                    }
                    .value()
                }),
            },
            SyncOp::Send(v) => Some(v),
        }
    }

    /// Whether a [`SyncOp::Wake`] by a sleeper of `epoch` that read `old` woke without a
    /// token.
    pub fn woke_spuriously(epoch: u64, old: u64) -> bool {
        CvState::of(old).first_free(epoch).is_none()
    }
}

/// The read-modify-write a read part belongs to: its operation, its ordering (on success),
/// and a compare_exchange's ordering on failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rmw {
    pub op: RmwOp,
    pub ord: Ordering,
    pub fail: Ordering,
}

impl Rmw {
    /// The value written after reading `old`, or `None` (a failed compare_exchange).
    pub fn apply(self, old: u64, mask: u64) -> Option<u64> {
        match self.op {
            RmwOp::Add(v) => Some(old.wrapping_add(v) & mask),
            RmwOp::Sub(v) => Some(old.wrapping_sub(v) & mask),
            RmwOp::Swap(v) => Some(v),
            RmwOp::Cas(e, n) => (old == e).then_some(n),
            RmwOp::CasWeak { spurious: true, .. } => None,
            RmwOp::CasWeak { expected, new, .. } => (old == expected).then_some(new),
            RmwOp::Sync(s) => s.apply(old),
        }
    }

    /// The operation as its write part applies it: a weak compare-exchange's spurious
    /// failure was the read part's choice, so what writes is the exchange itself.
    pub fn as_written(self) -> Rmw {
        match self.op {
            RmwOp::CasWeak {
                expected, new, may, ..
            } => Rmw {
                op: RmwOp::CasWeak {
                    expected,
                    new,
                    may,
                    spurious: false,
                },
                ..self
            },
            _ => self,
        }
    }

    /// The ordering of the read part, given whether the operation wrote.
    pub fn read_ord(self, wrote: bool) -> Ordering {
        if wrote {
            read_part(self.ord)
        } else {
            self.fail
        }
    }

    /// The trace's name for this operation, given whether it wrote.
    pub fn trace_op(self, wrote: bool) -> Op {
        match self.op {
            RmwOp::Add(_) => Op::FetchAdd,
            RmwOp::Sub(_) => Op::FetchSub,
            RmwOp::Swap(_) => Op::Swap,
            RmwOp::Cas(..) if wrote => Op::CasOk,
            RmwOp::Cas(..) => Op::CasFail,
            RmwOp::CasWeak { .. } if wrote => Op::CasOk,
            RmwOp::CasWeak { spurious: true, .. } => Op::CasSpurious,
            RmwOp::CasWeak { .. } => Op::CasFail,
            RmwOp::Sync(SyncOp::Lock { try_: true }) if !wrote => Op::TryLockFail,
            RmwOp::Sync(SyncOp::Lock { .. }) => Op::Lock,
            RmwOp::Sync(SyncOp::ReadLock) => Op::ReadLock,
            RmwOp::Sync(SyncOp::ReadUnlock) => Op::ReadUnlock,
            RmwOp::Sync(SyncOp::Register) => Op::Wait,
            RmwOp::Sync(SyncOp::NotifyOne) => Op::Notify,
            RmwOp::Sync(SyncOp::NotifyAll) => Op::NotifyAll,
            RmwOp::Sync(SyncOp::Wake { .. }) => Op::Woken,
            RmwOp::Sync(SyncOp::Send(_)) => Op::Send,
        }
    }
}
