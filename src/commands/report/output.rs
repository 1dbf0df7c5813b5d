//! Where the page goes and what it says about its making: the date, the CPU, and the
//! write that replaces the file whole or not at all.

use super::not_written;
use crate::error::{LabError, Result};
use std::io::Write;
use std::path::Path;

/// The CPU's model name from /proc/cpuinfo, if there is one.
pub(super) fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_string())
}

/// `2026-11-29 09:30 UTC`, from the system clock.
pub(super) fn now_utc() -> String {
    minute_utc(jiff::Timestamp::now())
}

/// `2026-11-29 09:30 UTC`: the minute of `t`, in UTC.
fn minute_utc(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// Writes `text` to a temporary file next to `path` (removed if anything fails, Ctrl-C
/// included), then renames it over `path`.
pub(super) fn write_atomically(
    path: &Path,
    text: &str,
    cancel: &crate::machine::Cancel,
) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let fail = |e: std::io::Error| LabError::usage(format!("cannot write {}: {e}", path.display()));
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.partial-"))
        // As `fs::write` would create it: the umask decides, not the temporary file's 0600.
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(text.as_bytes()).map_err(fail)?;
    if cancel.requested() {
        return Err(not_written()); // dropping `tmp` removes it
    }
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_dated_to_the_minute_in_utc() {
        let t = |s: i64| jiff::Timestamp::from_second(s).unwrap();
        assert_eq!(minute_utc(t(0)), "1970-01-01 00:00 UTC");
        assert_eq!(minute_utc(t(1_795_944_659)), "2026-11-29 09:30 UTC");
        assert_eq!(minute_utc(t(951_825_600)), "2000-02-29 12:00 UTC");
    }

    #[test]
    fn a_page_replaces_the_file_whole_and_leaves_nothing_else() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (page, plain) = (dir.path().join("page.html"), dir.path().join("plain"));
        std::fs::write(&page, "old").unwrap();
        write_atomically(&page, "new", &crate::machine::Cancel::new()).unwrap();
        assert_eq!(std::fs::read_to_string(&page).unwrap(), "new");
        // The mode `fs::write` gives a new file (the umask's), not a temporary file's 0600.
        std::fs::write(&plain, "").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
        assert_eq!(mode(&page), mode(&plain));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        let missing = dir.path().join("no-such-folder/page.html");
        let e = write_atomically(&missing, "x", &crate::machine::Cancel::new()).unwrap_err();
        assert!(
            e.message
                .starts_with(&format!("cannot write {}: ", missing.display())),
            "{}",
            e.message
        );
    }
}
