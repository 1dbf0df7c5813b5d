//! The independent witnesses' verdicts: loom, Miri and ThreadSanitizer on every experiment,
//! as recorded in `witnesses/table.tsv` by `ci/witness-table.sh` (from the output of
//! `ci/miri.sh` and `ci/tsan.sh`). `race-lab explain` shows them; `tests/witnesses.rs`
//! checks them against the lab's own classification.
//!
//! The file's first line is `# produced <date> <time> UTC by ...`, its second the column names
//! `experiment lab loom miri tsan`, then one tab-separated row per experiment. A verdict is
//! `data race`, `clean`, `deadlock`, `timeout`, `error`, `incomplete`, `missing`, or
//! `skipped (why)` when a witness could not be run.

/// `witnesses/table.tsv`, as built into the binary.
pub const TABLE: &str = include_str!("../witnesses/table.tsv");

/// One experiment's row of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row<'a> {
    pub experiment: &'a str,
    /// The lab's class when the table was produced (`data-race`, `logic-race`, ...).
    pub lab: &'a str,
    pub loom: &'a str,
    pub miri: &'a str,
    pub tsan: &'a str,
}

/// The rows of `table` (in the format of `witnesses/table.tsv`), or the first line that is
/// not one.
pub fn parse(table: &str) -> Result<Vec<Row<'_>>, String> {
    let mut rows = Vec::new();
    for (n, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("experiment\t") {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        match f[..] {
            [experiment, lab, loom, miri, tsan] => rows.push(Row {
                experiment,
                lab,
                loom,
                miri,
                tsan,
            }),
            _ => {
                return Err(format!(
                    "line {}: expected 5 tab-separated fields, found {}: {line:?}",
                    n + 1,
                    f.len()
                ))
            }
        }
    }
    Ok(rows)
}

/// The date in the table's `# produced <date> ...` header line.
pub fn produced(table: &str) -> Option<&str> {
    let rest = table.lines().next()?.strip_prefix("# produced ")?;
    rest.split_whitespace().next()
}

/// `name`'s row in the built-in table.
pub fn row(name: &str) -> Option<Row<'static>> {
    parse(TABLE)
        .ok()?
        .into_iter()
        .find(|r| r.experiment == name)
}

/// What `explain` and `tests/witnesses.rs` say of an experiment newer than the table.
pub const NOT_YET_WITNESSED: &str = "not yet witnessed";

/// One line for `race-lab explain`: "witnesses (produced 2026-11-26): loom: data race, Miri:
/// data race, TSan: data race".
pub fn summary(name: &str) -> String {
    let date = produced(TABLE).unwrap_or("unknown date");
    match row(name) {
        Some(r) => format!(
            "witnesses (produced {date}): loom: {}, Miri: {}, TSan: {}",
            r.loom, r.miri, r.tsan
        ),
        None => format!(
            "witnesses (produced {date}): {name} is {NOT_YET_WITNESSED} \
             (run ci/miri.sh, ci/tsan.sh, then ci/witness-table.sh)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_format() {
        let t = "# produced 2026-11-26 21:00 UTC by ci/witness-table.sh\n\
                 experiment\tlab\tloom\tmiri\ttsan\n\
                 unsynced\tdata-race\tdata race\tdata race\tskipped (no witnesses/tsan.tsv)\n";
        assert_eq!(produced(t), Some("2026-11-26"));
        let rows = parse(t).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].experiment, "unsynced");
        assert_eq!(rows[0].tsan, "skipped (no witnesses/tsan.tsv)");
        assert!(parse("a\tb\n").is_err());
    }

    #[test]
    fn the_built_in_table_parses_and_has_a_date() {
        assert!(parse(TABLE).is_ok());
        assert!(produced(TABLE).is_some());
        assert!(summary("unsynced").starts_with("witnesses (produced "));
        assert!(summary("unsynced").contains("loom: "));
        let new = summary("an-experiment-added-after-the-table");
        assert!(new.contains(NOT_YET_WITNESSED), "{new}");
    }
}
