//! The schedule format that `replay` reads and `hunt` prints.
//!
//! A schedule lists which worker runs at each *decision point* (a moment when two or more
//! workers could go next). Entries are worker indices separated by commas or spaces; `TxK`
//! repeats worker T K times. So `1,1,0,0`, `1 1 0 0` and `1x2 0x2` are the same schedule.
//! An empty string is the empty schedule (every decision takes the default: the worker that
//! ran last keeps running).

use crate::error::{LabError, Result};

/// Parses a schedule for `threads` workers.
pub fn parse(s: &str, threads: usize) -> Result<Vec<usize>> {
    let mut out = Vec::new();
    for tok in s
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        let (t, k) = match tok.split_once(['x', 'X', '*']) {
            Some((t, k)) => (t, Some(k)),
            None => (tok, None),
        };
        let t: usize = t.parse().map_err(|_| {
            LabError::usage(format!(
                "malformed schedule entry '{tok}': expected a worker index like 1 or a repeat like 1x3"
            ))
        })?;
        let k: usize = match k {
            None => 1,
            Some(k) => match k.parse() {
                Ok(k) if k > 0 && k <= 1_000_000 => k,
                _ => {
                    return Err(LabError::usage(format!(
                        "malformed repeat in schedule entry '{tok}': the count after 'x' must be 1..=1000000"
                    )))
                }
            },
        };
        if t >= threads {
            return Err(LabError::usage(format!(
                "schedule names worker {t}, but there are only {threads} workers (0..{})",
                threads.saturating_sub(1)
            )));
        }
        if out.len() + k > 10_000_000 {
            return Err(LabError::usage("schedule longer than 10000000 entries"));
        }
        out.extend(std::iter::repeat_n(t, k));
    }
    Ok(out)
}

/// Formats a schedule as comma-separated indices (`1,1,0`), ready for `--schedule`.
pub fn format(s: &[usize]) -> String {
    s.iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Formats a schedule as `--schedule` reads it, runs of four or more as repeats:
/// `0,1` stays `0,1`, a million 1s is `1x1000000`.
pub fn format_runs(s: &[usize]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let mut j = i;
        while j < s.len() && s[j] == s[i] {
            j += 1;
        }
        if j - i >= 4 {
            parts.push(format!("{}x{}", s[i], j - i));
        } else {
            parts.extend(s[i..j].iter().map(|t| t.to_string()));
        }
        i = j;
    }
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_agree() {
        assert_eq!(parse("1,1,0,0", 2).unwrap(), vec![1, 1, 0, 0]);
        assert_eq!(parse("1x2 0x2", 2).unwrap(), vec![1, 1, 0, 0]);
        assert_eq!(parse("  ", 2).unwrap(), Vec::<usize>::new());
        assert_eq!(format_runs(&[1, 1, 0, 0, 1]), "1,1,0,0,1");
        assert_eq!(format_runs(&[0, 1, 1, 1, 1, 0]), "0,1x4,0");
        let long = [vec![3; 5], vec![2], vec![0; 4]].concat();
        assert_eq!(parse(&format_runs(&long), 4).unwrap(), long);
    }

    #[test]
    fn bad_schedules_are_errors() {
        assert!(parse("0,a", 2).unwrap_err().message.contains("malformed"));
        assert!(parse("2", 2)
            .unwrap_err()
            .message
            .contains("only 2 workers"));
        assert!(parse("1x0", 2).is_err());
        assert!(parse("1x", 2).is_err());
        assert!(parse("-1", 2).is_err());
    }
}
