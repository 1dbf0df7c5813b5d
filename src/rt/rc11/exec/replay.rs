//! The order a run replays its graph in: a thread replays a read only once the write it
//! reads from has run, and adds a new event only once the whole graph has replayed (lowest
//! thread first). What a kernel keeps outside the graph — the data a lock guards, a
//! receiver's count — then sees what the graph says it saw.

use super::*;

impl Exec {
    /// The last event thread `t` ran (replayed or added).
    pub(super) fn last_event(&self, t: usize) -> Ev {
        Ev {
            t,
            i: self.pos[t] - 1,
        }
    }

    /// Whether event `e` has run in this run (replayed or added).
    fn ran(&self, e: Ev) -> bool {
        self.pos.get(e.t).is_some_and(|&p| p > e.i)
    }

    /// Whether every event of the graph has been replayed.
    fn replayed_all(&self) -> bool {
        (0..self.g.th.len()).all(|t| self.pos.get(t).copied().unwrap_or(0) >= self.g.th[t].len())
    }

    /// Whether thread `t` may take its next step now: a replayed read once its source has
    /// run; a new event once the whole graph has replayed and no lower thread waits to add
    /// one (new events are added lowest thread first, as before replay existed).
    pub(super) fn may_go(&self, t: usize) -> bool {
        let i = self.pos[t];
        match self.g.th.get(t).and_then(|v| v.get(i)) {
            Some(n) => match n.kind {
                Kind::Read { rf, .. } => self.ran(rf),
                _ => true,
            },
            None => {
                self.replayed_all()
                    && !(0..t).any(|u| self.status[u] == Status::Replay && self.may_go(u))
            }
        }
    }
}
