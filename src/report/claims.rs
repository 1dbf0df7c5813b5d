//! `race-lab claims`: each claim with its verdict, evidence and reason, then a tally.

use super::number;
use crate::claims::{ClaimResult, Verdict};
use std::io::{self, Write};

/// The claims as one JSON document (schema `race-lab.claims/1`).
pub fn json(w: &mut dyn Write, results: &[ClaimResult]) -> io::Result<()> {
    super::json(
        w,
        &serde_json::json!({"schema": "race-lab.claims/1", "cpus": crate::machine::cpus(), "claims": results}),
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
    let count = |v: Verdict| results.iter().filter(|c| c.verdict == v).count();
    writeln!(
        w,
        "{} claims on {} CPUs: {} hold, {} hold with a nuance, {} do not hold in Rust",
        results.len(),
        crate::machine::cpus(),
        count(Verdict::Holds),
        count(Verdict::Nuance),
        count(Verdict::DoesNotHold)
    )
}
