//! The one JSON family: every command's `--json` is an [`Envelope`] — `schema`
//! (`race-lab.<command>/2`), `command`, `params`, `machine` (`cpus`, `warnings`),
//! `outcomes[]` (one row shape everywhere: [`OutcomeRow`]), `verdict`, `interrupted` — and
//! then the command's own fields. The contract is `docs/schema/<command>.schema.json`,
//! written by hand; `tests/schema.rs` validates real output against it.
//!
//! The printers build the envelope from the engines' reports; the engines' structs stay as
//! they are (the hidden `__explore` child still speaks `ExploreReport` to its parent).

use crate::experiment::{Grade, Outcome};
use serde::Serialize;
use serde_json::{Map, Value};
use std::io::{self, Write};

/// The version every `race-lab.<command>/N` schema carries today.
pub const VERSION: u32 = 2;

/// The keys the envelope owns; a command's own fields never use them.
pub const KEYS: [&str; 7] = [
    "schema",
    "command",
    "params",
    "machine",
    "outcomes",
    "verdict",
    "interrupted",
];

/// The machine a report was measured on.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    /// CPUs this process may run on.
    pub cpus: usize,
    /// Busy-machine (and similar) warnings: always present, possibly empty.
    pub warnings: Vec<String>,
    /// CPUs' worth of time other processes used meanwhile, where it was measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_cpu_use: Option<f64>,
}

impl Machine {
    /// This machine, with these warnings.
    pub fn with(warnings: Vec<String>) -> Self {
        Machine {
            cpus: crate::machine::cpus(),
            warnings,
            other_cpu_use: None,
        }
    }
}

/// One graded outcome, the same keys in every command.
#[derive(Clone, Debug, Serialize)]
pub struct OutcomeRow {
    /// The outcome as its record of named fields (`{"value": 6}`, `{"r0": 0, "r1": 1}`);
    /// `null` when there is no single record: a deadlock, a range of values, a one-shot
    /// process experiment.
    pub outcome: Option<Outcome>,
    /// The outcome as the text tables print it (`6`, `3..=7`, `deadlock`, `r0=0, r1=1`).
    pub label: String,
    /// How many trials, executions, iterations or schedules ended with it.
    pub count: u64,
    pub grade: Grade,
    pub meaning: String,
    /// `count` over the total, where the command prints one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency: Option<f64>,
    /// The lowest and highest final value of a row that groups several (`run`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    /// Whether loom's model allows it (`litmus`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loom: Option<bool>,
    /// Whether the rc11 world produces it (`litmus`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rc11: Option<bool>,
}

impl OutcomeRow {
    /// A row with only the keys every row has.
    pub fn new(
        outcome: Option<Outcome>,
        label: impl Into<String>,
        count: u64,
        grade: Grade,
        meaning: impl Into<String>,
    ) -> Self {
        OutcomeRow {
            outcome,
            label: label.into(),
            count,
            grade,
            meaning: meaning.into(),
            frequency: None,
            min: None,
            max: None,
            loom: None,
            rc11: None,
        }
    }
}

/// A grade as the engines spell it in text (`ACCEPTABLE`, …); anything else is FORBIDDEN,
/// so that an unknown word can never pass for a good outcome.
pub fn grade_of(s: &str) -> Grade {
    match s {
        "ACCEPTABLE" => Grade::Acceptable,
        "INTERESTING" => Grade::Interesting,
        _ => Grade::Forbidden,
    }
}

/// One command's report in the family's shape.
#[derive(Clone, Debug, Serialize)]
pub struct Envelope {
    pub schema: String,
    pub command: &'static str,
    /// What the command was asked to do: experiment, threads, iters, ordering, …
    pub params: Map<String, Value>,
    pub machine: Machine,
    pub outcomes: Vec<OutcomeRow>,
    /// One line.
    pub verdict: String,
    /// Stopped by Ctrl-C: what is here is incomplete.
    pub interrupted: bool,
    /// The command's own fields, after the envelope's.
    #[serde(flatten)]
    pub body: Map<String, Value>,
}

impl Envelope {
    /// An envelope for `command` with nothing in it yet.
    pub fn new(command: &'static str) -> Self {
        Envelope {
            schema: format!("race-lab.{command}/{VERSION}"),
            command,
            params: Map::new(),
            machine: Machine::with(Vec::new()),
            outcomes: Vec::new(),
            verdict: String::new(),
            interrupted: false,
            body: Map::new(),
        }
    }

    pub fn params(mut self, params: Value) -> Self {
        self.params = object(params);
        self
    }

    pub fn machine(mut self, machine: Machine) -> Self {
        self.machine = machine;
        self
    }

    pub fn outcomes(mut self, rows: Vec<OutcomeRow>) -> Self {
        self.outcomes = rows;
        self
    }

    pub fn verdict(mut self, verdict: impl Into<String>) -> Self {
        self.verdict = verdict.into();
        self
    }

    pub fn interrupted(mut self, yes: bool) -> Self {
        self.interrupted = yes;
        self
    }

    /// The command's own fields: `engine`'s, less the envelope's keys and `moved` (the
    /// ones the envelope now carries under another name).
    pub fn body<T: Serialize>(mut self, engine: &T, moved: &[&str]) -> Self {
        let mut m = object(serde_json::to_value(engine).unwrap_or(Value::Null));
        for k in KEYS.iter().chain(moved) {
            m.remove(*k);
        }
        self.body.append(&mut m);
        self
    }

    /// One more field of the command's own.
    pub fn field(mut self, key: &str, value: impl Serialize) -> Self {
        debug_assert!(!KEYS.contains(&key), "{key} belongs to the envelope");
        self.body.insert(
            key.to_string(),
            serde_json::to_value(value).unwrap_or(Value::Null),
        );
        self
    }

    /// Writes the envelope as pretty JSON and a newline.
    pub fn write(&self, w: &mut dyn Write) -> io::Result<()> {
        super::json(w, self)
    }

    /// The envelope as a JSON value: what [`Envelope::write`] prints, for a command that
    /// keeps another's report (`report`).
    pub fn value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// A JSON object's map (an empty one for anything else).
pub fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_comes_first_and_the_body_cannot_shadow_it() {
        let e = Envelope::new("run")
            .params(serde_json::json!({"threads": 2}))
            .verdict("fine")
            .body(
                &serde_json::json!({"verdict": "old", "schema": "x/1", "extra": 1}),
                &[],
            );
        let mut out = Vec::new();
        e.write(&mut out).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["schema"], "race-lab.run/2");
        assert_eq!(v["verdict"], "fine");
        assert_eq!(v["extra"], 1);
        assert_eq!(v["machine"]["warnings"], serde_json::json!([]));
        let text = String::from_utf8(out).unwrap();
        assert!(text.find("\"schema\"") < text.find("\"extra\""), "{text}");
        assert_eq!(text.matches("\"verdict\"").count(), 1, "{text}");
    }

    #[test]
    fn unknown_grades_are_never_good() {
        assert_eq!(grade_of("ACCEPTABLE"), Grade::Acceptable);
        assert_eq!(grade_of("INTERESTING"), Grade::Interesting);
        assert_eq!(grade_of("acceptable"), Grade::Forbidden);
    }
}
