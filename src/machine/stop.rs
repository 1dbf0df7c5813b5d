//! Stopping: the [`Cancel`] token a command hands its engines, the Ctrl-C handler that sets
//! it (a second Ctrl-C quits at once), a command embedded in another (`report`), and the
//! watcher that ends a command whose engine cannot stop mid-step.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// A request to stop, handed by a command to the engines it drives (in their configs):
/// they check it between units of work — a trial, an execution, a schedule, a check — and
/// report what they have. [`Cancel::ctrl_c`] is the token Ctrl-C sets; [`Cancel::new`] makes
/// one only its holder sets ([`Cancel::request`]): tests, and library callers with their own
/// reasons to stop.
#[derive(Clone, Debug, Default)]
pub struct Cancel(std::sync::Arc<AtomicBool>);

impl Cancel {
    /// A token nothing has requested yet.
    pub fn new() -> Self {
        Cancel::default()
    }
    /// The token the Ctrl-C handler (`install_ctrlc`) sets: every command's.
    pub fn ctrl_c() -> Self {
        static CTRL_C: std::sync::LazyLock<Cancel> = std::sync::LazyLock::new(Cancel::new);
        CTRL_C.clone()
    }
    /// Asks whoever holds this token to stop.
    pub fn request(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// Whether stopping was asked for.
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// What the lab does on each Ctrl-C it hears: the first asks the running command to stop
/// after the current step and report what it has (it sets `token`); a later one quits at
/// once. Ctrl-Cs are counted apart from the token: an engine may set the token itself (its
/// worker processes heard the same Ctrl-C first), and that must not make the lab's one
/// Ctrl-C look like a second and cut the partial report short.
struct CtrlC {
    token: Cancel,
    heard: std::sync::atomic::AtomicUsize,
}

impl CtrlC {
    /// Hears one Ctrl-C; true when it is not the first (quit now).
    fn hear(&self) -> bool {
        self.token.request();
        self.heard.fetch_add(1, Ordering::SeqCst) > 0
    }
}

/// Installs the Ctrl-C handler ([`CtrlC`], on [`Cancel::ctrl_c`]).
pub fn install_ctrlc() {
    let ctrl_c = CtrlC {
        token: Cancel::ctrl_c(),
        heard: Default::default(),
    };
    let _ = ctrlc::set_handler(move || {
        if ctrl_c.hear() {
            eprintln!("\nrace-lab: interrupted again, exiting");
            std::process::exit(crate::error::ErrorKind::Interrupted.exit_code());
        }
        eprintln!(
            "\nrace-lab: interrupted; stopping and printing what was measured so far (Ctrl-C again to quit now)"
        );
    });
}

/// Writes `bytes` to stdout without taking the lock the command's writer may hold (a
/// watcher thread printing a partial report on Ctrl-C).
pub fn write_stdout_unlocked(bytes: &[u8]) {
    let stdout = std::io::stdout();
    let mut rest = bytes;
    while !rest.is_empty() {
        match nix::unistd::write(&stdout, rest) {
            Ok(0) | Err(_) => return,
            Ok(n) => rest = &rest[n..],
        }
    }
}

thread_local! {
    /// Whether the command running on this thread is embedded in another (`report` runs
    /// `run`, `explore`, `hunt` in-process).
    static EMBEDDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, a command embedded in another (`report` gathering its evidence), on this
/// thread: it arms no watcher that prints and exits the process on Ctrl-C — it stops between
/// steps, and the embedding command reports.
pub fn embedded<R>(f: impl FnOnce() -> R) -> R {
    let was = EMBEDDED.with(|e| e.replace(true));
    let r = f();
    EMBEDDED.with(|e| e.set(was));
    r
}

/// Whether the command on this thread is embedded in another ([`embedded`]).
pub fn is_embedded() -> bool {
    EMBEDDED.with(|e| e.get())
}

/// A command whose engine cannot stop mid-step (one long scheduled execution, a process
/// trial) calls this first: once Ctrl-C has come and `grace` has passed without the command
/// taking `reporting` (it does so, under the lock, before printing its own report), the
/// watcher prints `last_words` and exits 130; the workers end with the process.
pub fn stop_after_grace(
    cancel: Cancel,
    reporting: std::sync::Arc<std::sync::Mutex<bool>>,
    grace: std::time::Duration,
    last_words: String,
) {
    if is_embedded() {
        return;
    }
    std::thread::spawn(move || {
        while !cancel.requested() {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let until = Instant::now() + grace;
        while Instant::now() < until {
            if *reporting.lock().unwrap_or_else(|e| e.into_inner()) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let taken = reporting.lock().unwrap_or_else(|e| e.into_inner());
        if !*taken {
            write_stdout_unlocked(last_words.as_bytes());
            std::process::exit(crate::error::ErrorKind::Interrupted.exit_code());
        }
    });
}

/// Marks a command as reporting: from now on [`stop_after_grace`] leaves it alone.
pub fn reporting(flag: &std::sync::Mutex<bool>) {
    *flag.lock().unwrap_or_else(|e| e.into_inner()) = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An engine that stops on its own (its workers heard the Ctrl-C first) sets the token;
    /// the lab's own first Ctrl-C must still read as the first, or it quits mid-report (it
    /// did, in CI: a process run printed half a table).
    #[test]
    fn a_token_set_by_an_engine_is_not_a_second_ctrl_c() {
        let c = CtrlC {
            token: Cancel::new(),
            heard: Default::default(),
        };
        c.token.request();
        assert!(!c.hear(), "the first Ctrl-C quit at once");
        assert!(c.token.requested());
        assert!(c.hear(), "a second Ctrl-C did not quit");
    }
}
