//! How a command ends, and the one mapping from that to the process's exit status.
//!
//! Every command returns an [`Exit`]; errors raised on the way (bad input, a check that
//! failed, Ctrl-C noticed by an engine) become one through `From<LabError>`. The numbers
//! themselves are [`ErrorKind::exit_code`]'s.

use crate::error::{ErrorKind, LabError};

/// How a command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// It did what was asked (exit 0).
    Ok,
    /// It ran and found what must never happen — a FORBIDDEN outcome, a proof that failed —
    /// or an engine failed (exit 1). The report, if any, is already on stdout; the message
    /// (if not empty) goes to stderr as one line.
    Failed(String),
    /// Bad input, refused before anything ran, or a command that could not start (exit 2).
    /// The message (if not empty) goes to stderr as one line.
    Usage(String),
    /// Ctrl-C: what was measured so far is printed (exit 130).
    Interrupted(String),
}

impl Exit {
    /// The process exit status: 0, 1 (failed), 2 (usage), 130 (interrupted).
    pub fn code(&self) -> i32 {
        match self {
            Exit::Ok => ErrorKind::ClosedOutput.exit_code(),
            Exit::Failed(_) => ErrorKind::Failed.exit_code(),
            Exit::Usage(_) => ErrorKind::Usage.exit_code(),
            Exit::Interrupted(_) => ErrorKind::Interrupted.exit_code(),
        }
    }

    /// The one line to print on stderr, if any.
    pub fn message(&self) -> Option<&str> {
        match self {
            Exit::Ok => None,
            Exit::Failed(m) | Exit::Usage(m) | Exit::Interrupted(m) => {
                Some(m.as_str()).filter(|m| !m.is_empty())
            }
        }
    }

    /// `Interrupted` if Ctrl-C was pressed while the command ran, else `Ok`.
    pub fn ok_unless_interrupted(interrupted: bool) -> Exit {
        if interrupted {
            Exit::Interrupted(String::new())
        } else {
            Exit::Ok
        }
    }
}

impl From<LabError> for Exit {
    /// Engines raise [`LabError`] of a kind; each kind is one way for a command to end.
    fn from(e: LabError) -> Exit {
        match e.kind {
            ErrorKind::ClosedOutput => Exit::Ok,
            ErrorKind::Usage | ErrorKind::TooLarge => Exit::Usage(e.message),
            ErrorKind::Interrupted => Exit::Interrupted(e.message),
            ErrorKind::Failed => Exit::Failed(e.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_maps_to_its_exit_code() {
        assert_eq!(Exit::from(LabError::usage("bad")).code(), 2);
        assert_eq!(Exit::from(LabError::failed("bug")).code(), 1);
        let broken_pipe: LabError = std::io::Error::from(std::io::ErrorKind::BrokenPipe).into();
        assert_eq!(Exit::from(broken_pipe), Exit::Ok);
        let ctrl_c = LabError::interrupted("interrupted");
        assert_eq!(
            Exit::from(ctrl_c).code(),
            ErrorKind::Interrupted.exit_code()
        );
        // A child process of the lab that crashed (status 101) relays a failure.
        let crashed_child = LabError {
            message: String::new(),
            kind: ErrorKind::of_exit_code(101),
        };
        assert_eq!(Exit::from(crashed_child.clone()).code(), 1);
        assert_eq!(Exit::from(crashed_child).message(), None);
        assert_eq!(Exit::Failed("x".into()).message(), Some("x"));
        for k in [
            ErrorKind::Usage,
            ErrorKind::Failed,
            ErrorKind::Interrupted,
            ErrorKind::ClosedOutput,
        ] {
            assert_eq!(ErrorKind::of_exit_code(k.exit_code()), k);
        }
    }
}
