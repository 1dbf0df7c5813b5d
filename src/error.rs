//! The lab's one error type: a one-line message and an exit code.

use std::fmt;

/// A user-facing error: printed as `race-lab: <message>` on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabError {
    pub message: String,
    /// 2 for bad input, 1 for a failed check (a FORBIDDEN outcome), 130 for Ctrl-C.
    pub code: i32,
}

impl LabError {
    pub fn usage(message: impl Into<String>) -> Self {
        LabError {
            message: message.into(),
            code: 2,
        }
    }
    pub fn failed(message: impl Into<String>) -> Self {
        LabError {
            message: message.into(),
            code: 1,
        }
    }
}

impl fmt::Display for LabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LabError {}

impl From<std::io::Error> for LabError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            // The reader went away (`race-lab … | head`): not an error, nothing to say.
            return LabError {
                message: String::new(),
                code: 0,
            };
        }
        LabError {
            message: format!("i/o error: {e}"),
            code: 2,
        }
    }
}

pub type Result<T> = std::result::Result<T, LabError>;
