//! The campaign: which levels the player has broken (or tried), kept in a small JSON file
//! under the user's data directory — `$RACE_LAB_DATA_DIR/progress.json` if that is set
//! (tests), else the XDG data directory's `race-lab/progress.json` (found by the `etcetera`
//! crate): `$XDG_DATA_HOME/race-lab/progress.json` if that is an absolute path, else
//! `~/.local/share/race-lab/progress.json`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// One level's record.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Record {
    /// Broken at least once.
    pub won: bool,
    /// The fewest steps it was broken in.
    pub best: Option<u64>,
    /// Runs played to their end.
    pub played: u64,
}

/// The player's progress over every level.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Progress {
    pub levels: BTreeMap<String, Record>,
}

/// The progress file's path, if a data directory can be named.
pub fn path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    path_from(std::env::var_os("RACE_LAB_DATA_DIR"), || {
        etcetera::base_strategy::Xdg::new()
            .ok()
            .map(|x| x.data_dir())
    })
}

/// The progress file's path, given `$RACE_LAB_DATA_DIR`'s value and the XDG data directory
/// (asked for only if that value is unset or empty).
fn path_from(
    ours: Option<OsString>,
    xdg_data_dir: impl FnOnce() -> Option<PathBuf>,
) -> Option<PathBuf> {
    let dir = match ours.filter(|v| !v.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => xdg_data_dir()?.join("race-lab"),
    };
    Some(dir.join("progress.json"))
}

/// The progress so far (none if there is no file, or it cannot be read).
pub fn load() -> Progress {
    path().map(|p| load_at(&p)).unwrap_or_default()
}

fn load_at(path: &Path) -> Progress {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

/// Writes the progress back.
pub fn save(p: &Progress) -> std::io::Result<()> {
    path().map_or(Ok(()), |path| save_at(&path, p))
}

fn save_at(path: &Path, p: &Progress) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = serde_json::to_string_pretty(p).map_err(std::io::Error::other)?;
    std::fs::write(path, text + "\n")
}

/// Records a run of `level` played to its end: broken in `steps` steps, or not.
pub fn record(level: &str, broken: bool, steps: u64) -> std::io::Result<()> {
    path().map_or(Ok(()), |path| record_at(&path, level, broken, steps))
}

fn record_at(path: &Path, level: &str, broken: bool, steps: u64) -> std::io::Result<()> {
    let mut p = load_at(path);
    let r = p.levels.entry(level.to_string()).or_default();
    r.played += 1;
    if broken {
        r.won = true;
        r.best = Some(r.best.map_or(steps, |b| b.min(steps)));
    }
    save_at(path, &p)
}

/// Forgets all progress; the file removed, if there was one.
pub fn reset() -> std::io::Result<Option<PathBuf>> {
    path().map_or(Ok(None), |p| reset_at(&p))
}

fn reset_at(path: &Path) -> std::io::Result<Option<PathBuf>> {
    if !path.exists() {
        return Ok(None);
    }
    std::fs::remove_file(path)?;
    Ok(Some(path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_recorded_kept_and_reset() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("race-lab/progress.json"); // the folder made on first save
        record_at(&file, "racy-atomic", false, 8).unwrap();
        record_at(&file, "racy-atomic", true, 9).unwrap();
        record_at(&file, "racy-atomic", true, 8).unwrap();
        record_at(&file, "atomic", false, 3).unwrap();
        let r = load_at(&file).levels["racy-atomic"].clone();
        assert_eq!(
            r,
            Record {
                won: true,
                best: Some(8),
                played: 3
            }
        );
        assert_eq!(load_at(&file).levels.len(), 2);
        assert_eq!(reset_at(&file).unwrap(), Some(file.clone()));
        assert!(!file.exists());
        assert!(load_at(&file).levels.is_empty());
        assert_eq!(reset_at(&file).unwrap(), None);
        // A file that is not the campaign's JSON reads as no progress.
        std::fs::write(&file, "not json").unwrap();
        assert!(load_at(&file).levels.is_empty());
    }

    #[test]
    fn our_variable_comes_before_the_xdg_data_directory() {
        let xdg = || Some(PathBuf::from("/xdg"));
        let unasked = || -> Option<PathBuf> { panic!("the XDG directory was asked for") };
        let ours = |v: &str| Some(OsString::from(v));
        assert_eq!(
            path_from(ours("/ours"), unasked),
            Some(PathBuf::from("/ours/progress.json"))
        );
        let in_xdg = Some(PathBuf::from("/xdg/race-lab/progress.json"));
        assert_eq!(path_from(ours(""), xdg), in_xdg);
        assert_eq!(path_from(None, xdg), in_xdg);
        assert_eq!(path_from(None, || None), None);
    }

    /// Prints `path()` for [`the_documented_places_are_used`], which runs this test binary
    /// again in the environment each case needs (this process's is left alone).
    #[test]
    #[ignore = "run by the_documented_places_are_used, in a child process"]
    fn print_path() {
        let p = path().map_or("none".into(), |p| p.display().to_string());
        println!("\ncampaign path={p}");
    }

    #[test]
    fn the_documented_places_are_used() {
        // `race_lab::play::campaign::tests` without the crate's name.
        let here = module_path!().split_once("::").unwrap().1;
        let path_in = |env: &[(&str, Option<&str>)]| {
            let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
            cmd.args(["--exact", &format!("{here}::print_path"), "--ignored"])
                .args(["--nocapture", "--test-threads=1"]);
            for &(k, v) in env {
                match v {
                    Some(v) => cmd.env(k, v),
                    None => cmd.env_remove(k),
                };
            }
            let out = cmd.output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            assert!(out.status.success(), "{env:?}: {stdout}");
            stdout
                .lines()
                .find_map(|l| l.strip_prefix("campaign path="))
                .unwrap_or_else(|| panic!("{env:?}: print_path did not run: {stdout}"))
                .to_string()
        };
        let (ours, xdg, home) = ("RACE_LAB_DATA_DIR", "XDG_DATA_HOME", "HOME");
        let in_home = "/c/.local/share/race-lab/progress.json";
        let cases = [
            (Some("/a"), Some("/b"), "/a/progress.json"),
            (Some(""), Some("/b"), "/b/race-lab/progress.json"),
            (None, Some("/b"), "/b/race-lab/progress.json"),
            (None, None, in_home),
            (None, Some(""), in_home),
            // The XDG specification: a relative path is ignored.
            (None, Some("b"), in_home),
        ];
        for (o, x, want) in cases {
            let env = [(ours, o), (xdg, x), (home, Some("/c"))];
            assert_eq!(path_in(&env), want, "{env:?}");
        }
    }
}
