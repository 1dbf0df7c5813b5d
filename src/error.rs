//! The lab's one error type (a one-line message and an exit code), and the handling of
//! panics the lab expects.

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

/// The text of a panic payload.
pub fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(inner) = p.downcast_ref::<Box<dyn std::any::Any + Send>>() {
        panic_message(inner.as_ref())
    } else {
        format!("(non-text panic {:?})", p.type_id())
    }
}

type PanicHook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Send + Sync>;

/// Silences the panic hook until dropped: loom reports races and deadlocks by panicking, and
/// the `crash` experiment panics a thread on purpose; the lab prints its own report instead
/// of a message and a backtrace.
pub struct QuietPanics(Option<PanicHook>);

impl QuietPanics {
    pub fn install() -> Self {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        QuietPanics(Some(prev))
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        if let Some(prev) = self.0.take() {
            std::panic::set_hook(prev);
        }
    }
}
