//! `race-lab verify`: one line per check, a summary line, the JSON envelope, and JUnit XML
//! (written with `quick-junit`, the writer cargo-nextest uses): one `<testsuite>` per kind of
//! check, one `<testcase>` per check, a `<failure>` for a failed check and `<skipped>` for a
//! known gap, so that dashboards count a gap neither as passed nor as failed.

use super::envelope::{Envelope, Machine};
use crate::verify::{Check, Kind, Status, Summary};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::io::{self, Write};
use std::time::Duration;

/// `PASS       atomic [loom 2x2]  (0.4 s)  atomic 2x2: exact in all 11 executions …`.
pub fn line(w: &mut dyn Write, c: &Check) -> io::Result<()> {
    writeln!(
        w,
        "{:<10} {}  ({:.1} s)  {}",
        c.status.as_str(),
        c.name,
        c.seconds,
        c.detail
    )
}

/// The closing line(s).
pub fn summary(
    w: &mut dyn Write,
    s: &Summary,
    planned: usize,
    seconds: f64,
    interrupted: bool,
) -> io::Result<()> {
    writeln!(w)?;
    if interrupted {
        writeln!(
            w,
            "INTERRUPTED after {} of {planned} checks: this summary is partial",
            s.checks
        )?;
    }
    writeln!(w, "{} in {seconds:.1} s", sentence(s))
}

/// `verify: 40 checks: 37 passed, 0 failed, 3 known gaps`.
fn sentence(s: &Summary) -> String {
    format!(
        "verify: {} checks: {} passed, {} failed, {} known gap{}",
        s.checks,
        s.passed,
        s.failed,
        s.known_gaps,
        if s.known_gaps == 1 { "" } else { "s" }
    )
}

/// `race-lab verify --json` (schema `race-lab.verify/2`).
pub fn json(
    w: &mut dyn Write,
    names: &[String],
    checks: &[Check],
    s: &Summary,
    seconds: f64,
    interrupted: bool,
) -> io::Result<()> {
    Envelope::new("verify")
        .params(serde_json::json!({ "experiments": names }))
        .machine(Machine::with(Vec::new()))
        .verdict(sentence(s))
        .interrupted(interrupted)
        .field("summary", s)
        .field("checks", checks)
        .field("seconds", seconds)
        .write(w)
}

/// The checks as JUnit XML: suites in the order fixes, bugs, litmus.
pub fn junit(checks: &[Check], seconds: f64) -> io::Result<String> {
    let mut report = Report::new("race-lab verify");
    report.set_time(Duration::from_secs_f64(seconds));
    for kind in [
        Kind::Proved,
        Kind::BugFound,
        Kind::NeedsWeakMemory,
        Kind::Litmus,
    ] {
        let mine: Vec<&Check> = checks.iter().filter(|c| c.kind == kind).collect();
        if mine.is_empty() {
            continue;
        }
        let mut suite = TestSuite::new(kind.suite());
        suite.set_time(Duration::from_secs_f64(
            mine.iter().map(|c| c.seconds).sum::<f64>(),
        ));
        for c in mine {
            let status = match c.status {
                Status::Pass => TestCaseStatus::success(),
                Status::Fail => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_message(c.detail.as_str()).set_type("verify");
                    s
                }
                Status::KnownGap => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(format!("KNOWN GAP: {}", c.detail));
                    s
                }
            };
            let mut case = TestCase::new(c.name.as_str(), status);
            case.set_classname(format!("race-lab.{}.{}", c.subject, c.world))
                .set_time(Duration::from_secs_f64(c.seconds));
            if c.status == Status::Pass {
                case.set_system_out(c.detail.as_str());
            }
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string().map_err(io::Error::other)
}
