//! The lab's one error type (a one-line message and an exit code), and the handling of
//! panics the lab expects.

use std::fmt;

/// What kind of failure an error is: it decides the exit status (and nothing else does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad input, refused before anything ran, or a command that could not start.
    Usage,
    /// A check failed, an engine failed, or a child process crashed.
    Failed,
    /// Ctrl-C: the command stopped; what was measured so far was printed.
    Interrupted,
    /// The model is too large to explore within the tool's limits (the message says which
    /// bound to lower): bad input, as far as the exit status goes.
    TooLarge,
    /// The reader of our output went away (`race-lab … | head`): nothing to say.
    ClosedOutput,
}

impl ErrorKind {
    /// The process exit status of each kind: the one place that knows the numbers
    /// (2 bad input, 1 failed, 130 Ctrl-C, 0 for a closed output).
    pub const fn exit_code(self) -> i32 {
        match self {
            ErrorKind::ClosedOutput => 0,
            ErrorKind::Failed => 1,
            ErrorKind::Usage | ErrorKind::TooLarge => 2,
            ErrorKind::Interrupted => 130,
        }
    }

    /// The kind a child process of the lab meant by its exit status; any status the lab
    /// does not give (a crash) is a failure.
    pub fn of_exit_code(code: i32) -> Self {
        [
            ErrorKind::ClosedOutput,
            ErrorKind::Usage,
            ErrorKind::Interrupted,
        ]
        .into_iter()
        .find(|k| k.exit_code() == code)
        .unwrap_or(ErrorKind::Failed)
    }
}

/// A user-facing error: printed as `race-lab: <message>` on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabError {
    pub message: String,
    pub kind: ErrorKind,
}

impl LabError {
    pub fn usage(message: impl Into<String>) -> Self {
        LabError {
            message: message.into(),
            kind: ErrorKind::Usage,
        }
    }
    pub fn failed(message: impl Into<String>) -> Self {
        LabError {
            message: message.into(),
            kind: ErrorKind::Failed,
        }
    }
    /// A model too large to explore; `message` says which bound to lower.
    pub fn too_large(message: impl Into<String>) -> Self {
        LabError {
            message: message.into(),
            kind: ErrorKind::TooLarge,
        }
    }
    /// Ctrl-C stopped the work; `message` says what was stopped.
    pub fn interrupted(message: impl Into<String>) -> Self {
        LabError {
            message: message.into(),
            kind: ErrorKind::Interrupted,
        }
    }
    pub fn is_interrupted(&self) -> bool {
        self.kind == ErrorKind::Interrupted
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
                kind: ErrorKind::ClosedOutput,
            };
        }
        LabError::usage(format!("i/o error: {e}"))
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

/// How many [`QuietPanics`] are alive in this process.
static QUIET: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Holds panic messages back while alive: loom reports races and deadlocks by panicking,
/// and the `crash` experiment panics a thread on purpose; the lab prints its own report
/// instead of a message and a backtrace. The process's panic hook is wrapped once (the
/// default hook runs unless a `QuietPanics` is alive) and never swapped again, so quiet
/// sections that overlap — tests running in parallel — cannot leave a wrong hook behind.
pub struct QuietPanics(());

impl QuietPanics {
    pub fn install() -> Self {
        static WRAPPED: std::sync::Once = std::sync::Once::new();
        WRAPPED.call_once(|| {
            let default = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if QUIET.load(std::sync::atomic::Ordering::SeqCst) == 0 {
                    default(info);
                }
            }));
        });
        QUIET.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        QuietPanics(())
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        QUIET.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}
