//! Helpers shared by the integration tests: run the built `race-lab` binary.

#![allow(dead_code)]

use std::process::{Command, Output};

/// Runs `race-lab args…` (with backtraces on, so that a panic could not hide).
pub fn lab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_race-lab"))
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("the binary runs")
}

/// Runs `race-lab args…`, expects success, parses stdout as JSON.
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = lab(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// Bad input: exit 2, one line on stderr starting `race-lab:`, containing `needle`, and
/// nothing on stdout (refused before anything ran).
pub fn refused(args: &[&str], needle: &str) {
    let out = lab(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{args:?}: not one line: {err}"
    );
    assert!(err.starts_with("race-lab: "), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{args:?}: {err}"
    );
    assert!(out.stdout.is_empty(), "{args:?}: printed before refusing");
}
