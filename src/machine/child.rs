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
