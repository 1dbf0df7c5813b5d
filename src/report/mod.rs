//! Printers: every report as human-readable text or as JSON, written to any `Write` so
//! that tests can read the bytes. One module per command family; the helpers they share
//! (tables, percentages, numbers) are here. Only `commands` calls these.

pub(crate) mod claims;
pub mod compare;
pub mod envelope;
pub(crate) mod explain;
pub(crate) mod explore;
pub(crate) mod html;
pub(crate) mod hunt;
pub(crate) mod list;
pub(crate) mod litmus;
pub(crate) mod play;
pub mod plot;
pub(crate) mod run;
pub(crate) mod verify;

use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};
use serde::Serialize;
use std::io::{self, Write};

/// Writes any report as pretty JSON followed by a newline.
pub fn json<T: Serialize>(w: &mut dyn Write, report: &T) -> io::Result<()> {
    // `io::Error::from` keeps an I/O error's kind: a reader gone away (a closed pipe) is the
    // end of the output, not bad input.
    serde_json::to_writer_pretty(&mut *w, report).map_err(io::Error::from)?;
    writeln!(w)
}

/// A table with the lab's borders and this header.
fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY).set_header(header.to_vec());
    t
}

use crate::trace::percent as pct;

/// Option flags, space-separated.
fn flags<'a>(f: impl Iterator<Item = &'a str>) -> String {
    f.collect::<Vec<_>>().join(" ")
}

/// A measured value: whole numbers without decimals, small ones with one or two.
fn number(v: f64) -> String {
    if v.is_nan() {
        "-".into()
    } else if (v == v.trunc() && v.abs() < 1e15) || v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_percentages_read_well() {
        assert_eq!(pct(0.25), "25.0%");
        assert_eq!(pct(0.0), "0.0%");
        assert_eq!(pct(8.0 / 6e6), "0.00013%");
        assert_eq!(pct(139.0 / 6e6), "0.0023%");
        assert_eq!(pct(0.00012), "0.012%");
        assert_eq!(pct(0.0012), "0.1%");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(123.4), "123");
        assert_eq!(number(12.34), "12.3");
        assert_eq!(number(1.234), "1.23");
        assert_eq!(number(f64::NAN), "-");
    }

    #[test]
    fn json_ends_with_a_newline() {
        let mut out = Vec::new();
        json(&mut out, &serde_json::json!({"a": 1})).unwrap();
        assert!(out.ends_with(b"}\n"));
    }
}
