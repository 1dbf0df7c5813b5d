//! `race-lab claims`: each claim with its verdict, evidence and reason, then a tally.

use super::envelope::{Envelope, Machine};
use super::number;
use crate::claims::{ClaimResult, Verdict};
use std::io::{self, Write};

/// The claims as one JSON document (schema `race-lab.claims/2`): the envelope, then
/// `claims[]`. A claim's verdict is not a grade: the top-level `outcomes` is empty.
pub fn document(
    results: &[ClaimResult],
    params: serde_json::Value,
    warnings: Vec<String>,
    interrupted: bool,
) -> Envelope {
    Envelope::new("claims")
        .params(params)
        .machine(Machine::with(warnings))
        .verdict(tally(results))
        .interrupted(interrupted)
        .field("claims", results)
}

/// "23 claims on 2 CPUs: 13 hold, …", the last line of the text.
fn tally(results: &[ClaimResult]) -> String {
    let count = |v: Verdict| results.iter().filter(|c| c.verdict == v).count();
    let unknown = match count(Verdict::CannotTell) {
        0 => String::new(),
        n => format!("; {n} cannot be told on this machine"),
    };
    format!(
        "{} claims on {} CPUs: {} hold, {} hold with a nuance, {} do not hold in Rust{unknown}",
        results.len(),
        crate::machine::cpus(),
        count(Verdict::Holds),
        count(Verdict::Nuance),
        count(Verdict::DoesNotHold)
    )
}

/// `race-lab claims`.
pub fn text(w: &mut dyn Write, results: &[ClaimResult], zh: bool) -> io::Result<()> {
    for c in results {
        writeln!(
            w,
            "{} [{}] {}",
            c.id,
            c.verdict.as_str(),
            if zh { c.text_zh } else { c.text }
        )?;
        writeln!(w, "    experiments: {}", c.experiments.join(", "))?;
        for m in &c.evidence {
            writeln!(w, "    • {} = {} {}", m.name, number(m.value), m.unit)?;
        }
        writeln!(w, "    why: {}\n", c.why)?;
    }
    writeln!(w, "{}", tally(results))
}
