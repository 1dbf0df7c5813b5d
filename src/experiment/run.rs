//! What a kernel is given and what it gives back: its [`Params`], and a [`Run`] holding the
//! [`Outcome`] (a small record of named fields), the experiment's metric and the time.

use crate::rt::MemOrder;
use serde::{Serialize, Serializer};
use std::fmt;
use std::time::Duration;

/// What one run of a kernel ended with: a small record of named fields. A counter's
/// outcome is its final `value`; a lock's is how many threads were in the critical section
/// at once and the count it protected; a lazy initialiser's how often the initialiser ran.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Outcome(Vec<(String, u64)>);

impl Outcome {
    /// A counter's outcome: its final value.
    pub fn value(v: u64) -> Self {
        Outcome(vec![("value".to_string(), v)])
    }
    /// An outcome of several named fields, in the order given.
    pub fn of(fields: &[(&str, u64)]) -> Self {
        Outcome(fields.iter().map(|(n, v)| (n.to_string(), *v)).collect())
    }
    /// A field's value.
    pub fn get(&self, name: &str) -> Option<u64> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }
    /// The first field: a counter's value.
    pub fn primary(&self) -> u64 {
        self.0.first().map_or(0, |(_, v)| *v)
    }
    pub fn fields(&self) -> &[(String, u64)] {
        &self.0
    }
    /// Whether this is a plain counter outcome (one field, `value`).
    pub fn is_value(&self) -> bool {
        self.0.len() == 1 && self.0[0].0 == "value"
    }
}

impl<'de> serde::Deserialize<'de> for Outcome {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = Outcome;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of named unsigned integers")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Outcome, A::Error> {
                let mut fields = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, u64>()? {
                    fields.push((k, v));
                }
                Ok(Outcome(fields))
            }
        }
        d.deserialize_map(Fields)
    }
}

impl fmt::Display for Outcome {
    /// `6` for a counter; `in_cs=2, count=5` for a record.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_value() {
            return write!(f, "{}", self.primary());
        }
        let parts: Vec<String> = self.0.iter().map(|(n, v)| format!("{n}={v}")).collect();
        write!(f, "{}", parts.join(", "))
    }
}

impl Serialize for Outcome {
    /// Always an object of named fields: `{"value": 6}`, `{"in_cs": 2, "count": 5}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (n, v) in &self.0 {
            m.serialize_entry(n, v)?;
        }
        m.end()
    }
}

/// The parameters of one run of a kernel.
#[derive(Clone, Debug, Serialize)]
pub struct Params {
    pub threads: usize,
    pub iters: u64,
    pub ordering: MemOrder,
    /// Units of busy work between a load and the store that depends on it.
    pub window: u32,
    /// Increments summed locally before one message is sent (`channel`).
    pub batch: u64,
}

impl Params {
    pub fn new(threads: usize, iters: u64) -> Self {
        Params {
            threads,
            iters,
            ordering: MemOrder::Seqcst,
            window: 0,
            batch: 1,
        }
    }
    /// N × M, the count every correct version must reach. The CLI refuses the overflow
    /// before any kernel runs.
    pub fn expected(&self) -> u64 {
        (self.threads as u64).saturating_mul(self.iters)
    }
}

/// The median of `xs` (the upper one of an even count); `None` if empty.
pub fn median(xs: &[f64]) -> Option<f64> {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied()
}

/// What one run of a kernel produced.
#[derive(Clone, Debug)]
pub struct Run {
    /// What the run ended with (a counter's final value, or a record of named fields).
    pub outcome: Outcome,
    /// The experiment's own metric summed over workers (e.g. CAS retries), if it has one.
    pub metric: u64,
    /// From the first worker leaving the start line to the last one finishing (native only).
    pub elapsed: Option<Duration>,
}

impl Run {
    /// A run's outcome and elapsed time, with no metric of its own.
    pub fn of(outcome: Outcome, elapsed: Option<Duration>) -> Self {
        Run {
            outcome,
            metric: 0,
            elapsed,
        }
    }
    /// A counter's run: its final value, the experiment's metric and the elapsed time.
    pub fn counted(value: u64, metric: u64, elapsed: Option<Duration>) -> Self {
        Run {
            outcome: Outcome::value(value),
            metric,
            elapsed,
        }
    }
    /// The counter's final value (the outcome's first field).
    pub fn value(&self) -> u64 {
        self.outcome.primary()
    }
}
