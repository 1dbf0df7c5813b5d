//! The lab itself in a child process: what `explore` and `verify` run a search in (loom may
//! abort a process) and `report` a run whose threads may spin forever (only the end of a
//! process stops them). Ctrl-C that reached the lab alone is passed on.

use crate::error::{LabError, Result};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs the lab itself with `args` in a child process and returns its exit status, stdout and
/// stderr. `echo`: the child's stderr goes on to ours as it comes (and its progress line
/// draws on our terminal). A Ctrl-C that reached the lab alone (`cancel` set, not the whole
/// process group) is passed on to the child, which stops and reports what it did.
pub(crate) fn lab_in_child(
    args: &[String],
    cancel: &crate::machine::Cancel,
    echo: bool,
) -> Result<(std::process::ExitStatus, Vec<u8>, Vec<u8>)> {
    let exe = std::env::current_exe().map_err(|e| {
        LabError::usage(format!(
            "cannot find the race-lab binary to run a child of: {e}"
        ))
    })?;
    let mut cmd = Command::new(exe);
    cmd.args(args);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if echo && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        cmd.env("RACE_LAB_PROGRESS", "1");
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| LabError::usage(format!("cannot start a child process of the lab: {e}")))?;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let (mut kept, mut chunk) = (Vec::new(), [0u8; 4096]);
        while let Ok(n @ 1..) = stderr.read(&mut chunk) {
            if echo {
                let _ = std::io::stderr().write_all(&chunk[..n]);
            }
            kept.extend_from_slice(&chunk[..n]);
        }
        kept
    });
    let mut told = false;
    let status = loop {
        if let Some(status) = child
            .try_wait()
            .map_err(|e| LabError::failed(format!("cannot wait for a child of the lab: {e}")))?
        {
            break status;
        }
        if cancel.requested() && !told {
            // Ctrl-C reached the lab alone (not its whole process group): pass it on.
            told = true;
            let pid = nix::unistd::Pid::from_raw(child.id() as i32);
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ok((
        status,
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    ))
}

/// [`lab_in_child`] for a child that prints its answer on stdout: that answer when the child
/// succeeded; else why not — interrupted (Ctrl-C stopped it), killed by a signal (`what`
/// died, the lab survived it), or the child's own last line on stderr with its exit status's
/// kind (empty when `echo` already showed it).
pub(crate) fn answer_of_child(
    args: &[String],
    cancel: &crate::machine::Cancel,
    echo: bool,
    what: &str,
) -> Result<Vec<u8>> {
    use std::os::unix::process::ExitStatusExt;
    let (status, stdout, stderr) = lab_in_child(args, cancel, echo)?;
    if status.success() {
        return Ok(stdout);
    }
    if cancel.requested() || status.signal() == Some(2) {
        return Err(LabError::interrupted(format!(
            "interrupted: {what} was stopped"
        )));
    }
    let text = String::from_utf8_lossy(&stderr);
    let said = text
        .rsplit(['\n', '\r'])
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let said = said.strip_prefix("race-lab: ").unwrap_or(said);
    if let Some(sig) = status.signal() {
        return Err(LabError::failed(format!(
            "{what} died (signal {sig}) in its child process; the lab survived it{}",
            if said.is_empty() {
                String::new()
            } else {
                format!(": {said}")
            }
        )));
    }
    Err(LabError {
        // The child already said it on our stderr when it was echoed.
        message: if echo {
            String::new()
        } else {
            said.to_string()
        },
        kind: crate::error::ErrorKind::of_exit_code(status.code().unwrap_or(1)),
    })
}
