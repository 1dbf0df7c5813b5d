//! What `explore` reports, in either world: the outcome counts, the failing executions as
//! traces, a data race, a deadlock (or livelock), and the verdict. The `__explore` child
//! speaks this to its parent as JSON.

use crate::experiment::{Grade, Outcome};
use crate::trace::{self, Event};
use serde::{Deserialize, Serialize};

/// One final value and how many executions reached it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutcomeCount {
    pub value: u64,
    /// The outcome as tables print it (`6`, `in_cs=2, count=5`, `deadlock`).
    #[serde(default)]
    pub label: String,
    /// The outcome as its record of named fields.
    pub outcome: Outcome,
    pub executions: u64,
    pub grade: Grade,
    pub meaning: String,
}

/// One failing execution, as a trace.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Failing {
    pub final_value: u64,
    pub outcome: Outcome,
    pub explanation: String,
    pub events: Vec<EventOut>,
    pub timeline: String,
}

/// An event as it appears in JSON.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventOut {
    pub thread: String,
    pub op: String,
    pub object: String,
    pub value: u64,
    pub stale_latest: Option<u64>,
    /// The write a read read from, where the world knows `rf` (rc11): `init` or `step N`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// When a write newer in modification order than the one the read read had already run
    /// (rc11): the first such write, the one it missed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newer_in_mo: Option<String>,
    pub location: Option<String>,
    /// The event as the timeline shows it ("load a0 → 0").
    pub text: String,
}

impl From<&Event> for EventOut {
    fn from(e: &Event) -> Self {
        let op = serde_json::to_value(e.op)
            .ok()
            .and_then(|v| v.as_str().map(String::from));
        EventOut {
            thread: trace::thread_name(e.thread),
            op: op.unwrap_or_default(),
            object: e.object.clone(),
            value: e.value,
            stale_latest: e.stale_latest,
            source: e.source.clone(),
            newer_in_mo: e.newer_in_mo.clone(),
            location: e.location.clone(),
            text: e.describe(),
        }
    }
}

/// A data race found by loom.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RaceReport {
    /// loom's own message, first line.
    pub loom_message: String,
    /// One of the two accesses is the free of the cell ([`crate::rt::RtCell::free`]), or an
    /// access read the freed cell: a USE AFTER FREE.
    #[serde(default)]
    pub use_after_free: bool,
    /// The access loom stopped and the earlier conflicting one, "T1 write cell at file:line".
    pub accesses: Vec<String>,
    pub summary: String,
    pub events: Vec<EventOut>,
    pub timeline: String,
}

/// A deadlock found by loom.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeadlockReport {
    /// A livelock (the scheduled world's step bound), not a deadlock. Never serialised: the
    /// printers say it in words, and loom's reports (read back from its child) never are.
    #[serde(skip)]
    pub livelock: bool,
    pub loom_message: String,
    /// Each blocked thread and the lock it waits for; with what it holds.
    pub blocked: Vec<String>,
    pub summary: String,
    pub events: Vec<EventOut>,
    pub timeline: String,
}

/// Everything `race-lab explore` found.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExploreReport {
    pub schema: String,
    pub experiment: String,
    /// `loom` or `scheduled`.
    #[serde(default)]
    pub world: String,
    /// The memory model the world explores.
    #[serde(default)]
    pub model: String,
    pub threads: usize,
    pub iters: u64,
    /// What `explore` chose that was not asked for (the world, the size), and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<String>,
    /// The ordering, for experiments that take `--ordering`.
    pub ordering: Option<String>,
    pub preemption_bound: Option<usize>,
    /// Executions explored (the one that stopped on a race or deadlock included).
    pub executions: u64,
    /// True only if loom explored every execution within the bound.
    pub complete: bool,
    /// Why the exploration stopped early, if it did.
    pub stopped: Option<String>,
    pub seconds: f64,
    pub outcomes: Vec<OutcomeCount>,
    pub failing_executions: u64,
    pub failing: Vec<Failing>,
    pub race: Option<RaceReport>,
    pub deadlock: Option<DeadlockReport>,
    pub forbidden: bool,
    pub verdict: String,
    /// The rc11 world's execution graph of what the report shows first (the data race, the
    /// deadlock, the first failing execution, or for a proof one execution), drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph: Option<ExecGraph>,
}

/// An execution graph as `explore --graph` writes it and the HTML report shows it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExecGraph {
    /// What it is an execution of ("the data race", "the first failing execution", …).
    pub of: String,
    /// Graphviz text.
    pub dot: String,
    /// SVG, laid out by the lab (threads as columns, events as rows).
    pub svg: String,
}
