//! The campaign: which levels the player has broken (or tried), kept in a small JSON file
//! under the user's data directory — `$RACE_LAB_DATA_DIR/progress.json` if that is set
//! (tests), else `$XDG_DATA_HOME/race-lab/progress.json`, else
//! `~/.local/share/race-lab/progress.json`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

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
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let dir = var("RACE_LAB_DATA_DIR")
        .or_else(|| var("XDG_DATA_HOME").map(|d| d.join("race-lab")))
        .or_else(|| var("HOME").map(|h| h.join(".local/share/race-lab")))?;
    Some(dir.join("progress.json"))
}

/// The progress so far (none if there is no file, or it cannot be read).
pub fn load() -> Progress {
    path()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

/// Writes the progress back.
pub fn save(p: &Progress) -> std::io::Result<()> {
    let Some(path) = path() else {
        return Ok(());
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = serde_json::to_string_pretty(p).map_err(std::io::Error::other)?;
    std::fs::write(path, text + "\n")
}

/// Records a run of `level` played to its end: broken in `steps` steps, or not.
pub fn record(level: &str, broken: bool, steps: u64) -> std::io::Result<()> {
    let mut p = load();
    let r = p.levels.entry(level.to_string()).or_default();
    r.played += 1;
    if broken {
        r.won = true;
        r.best = Some(r.best.map_or(steps, |b| b.min(steps)));
    }
    save(&p)
}

/// Forgets all progress; the file removed, if there was one.
pub fn reset() -> std::io::Result<Option<PathBuf>> {
    match path() {
        Some(p) if p.exists() => {
            std::fs::remove_file(&p)?;
            Ok(Some(p))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_recorded_kept_and_reset() {
        let dir = std::env::temp_dir().join(format!("race-lab-campaign-{}", std::process::id()));
        std::env::set_var("RACE_LAB_DATA_DIR", &dir);
        assert_eq!(path(), Some(dir.join("progress.json")));
        record("racy-atomic", false, 8).unwrap();
        record("racy-atomic", true, 9).unwrap();
        record("racy-atomic", true, 8).unwrap();
        let r = load().levels["racy-atomic"].clone();
        assert_eq!(
            r,
            Record {
                won: true,
                best: Some(8),
                played: 3
            }
        );
        assert_eq!(reset().unwrap(), Some(dir.join("progress.json")));
        assert!(load().levels.is_empty());
        assert_eq!(reset().unwrap(), None);
        let _ = std::fs::remove_dir_all(dir);
        std::env::remove_var("RACE_LAB_DATA_DIR");
    }
}
