//! How a command ends, and the one mapping from that to the process's exit status.
//!
//! Every command returns an [`Exit`]; errors raised on the way (bad input, a check that
//! failed, Ctrl-C noticed by an engine) become one through `From<LabError>`. [`Exit::code`]
//! is the only place that knows the numbers.

use crate::error::LabError;

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
            Exit::Ok => 0,
            Exit::Failed(_) => 1,
            Exit::Usage(_) => 2,
            Exit::Interrupted(_) => 130,
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
    /// Engines raise [`LabError`] with a numeric code (`usage` 2, `failed` 1, 130 for Ctrl-C,
    /// 0 for a closed stdout); any other code — relayed from a child process that crashed —
    /// counts as a failure.
    fn from(e: LabError) -> Exit {
        match e.code {
            0 => Exit::Ok,
            2 => Exit::Usage(e.message),
            130 => Exit::Interrupted(e.message),
            _ => Exit::Failed(e.message),
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
        let ctrl_c = LabError {
            message: "interrupted".into(),
            code: 130,
        };
        assert_eq!(Exit::from(ctrl_c).code(), 130);
        let crashed_child = LabError {
            message: String::new(),
            code: 101,
        };
        assert_eq!(Exit::from(crashed_child.clone()).code(), 1);
        assert_eq!(Exit::from(crashed_child).message(), None);
        assert_eq!(Exit::Failed("x".into()).message(), Some("x"));
    }
}
