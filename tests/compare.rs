//! `race-lab compare`: the JSON and the CSV carry the same rows, fixed versions lose
//! nothing, the plot is a well-formed SVG, bad input is refused. Deterministic: nothing
//! here asserts a timing or that a race happened.

use race_lab::commands::compare::{config, CompareArgs};
use race_lab::compare::{self, CompareReport, Row};
use race_lab::experiment::{Class, Experiment, Opt};
use race_lab::experiments;
use race_lab::report::{compare as print, plot};

mod common;
use common::{lab, refused};

fn args(experiments: &[&str], threads: &str, iters: u64, trials: usize) -> CompareArgs {
    CompareArgs {
        experiments: experiments.iter().map(|s| s.to_string()).collect(),
        threads: Some(threads.to_string()),
        iters,
        trials,
        ..CompareArgs::default()
    }
}

fn measure(experiments: &[&str], threads: &str, iters: u64, trials: usize) -> CompareReport {
    let cfg = config(&args(experiments, threads, iters, trials)).expect("valid");
    compare::run(&cfg)
}

/// Parses the CSV back into rows (its fields hold no commas or quotes).
fn parse_csv(csv: &str) -> Vec<Row> {
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(print::CSV_HEADER));
    let opt_f = |s: &str| (!s.is_empty()).then(|| s.parse::<f64>().expect("a number"));
    lines
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            assert_eq!(f.len(), 14, "{line}");
            Row {
                kind: f[0].into(),
                name: f[1].into(),
                experiment: (!f[2].is_empty()).then(|| f[2].to_string()),
                batch: (!f[3].is_empty()).then(|| f[3].parse().expect("a batch")),
                class: f[4].into(),
                threads: f[5].parse().expect("threads"),
                iters: f[6].parse().expect("iters"),
                trials: f[7].parse().expect("trials"),
                ns_per_increment: opt_f(f[8]),
                m_increments_per_s: opt_f(f[9]),
                lost_pct: opt_f(f[10]),
                speedup: opt_f(f[11]),
                x_fetch_add: opt_f(f[12]),
                x_ping_pong: opt_f(f[13]),
            }
        })
        .collect()
}

/// The same row: every field equal, figures to the last few bits (serde_json's default
/// float parser may differ from Rust's in the last bit).
fn assert_same(a: &Row, b: &Row) {
    let figures = |r: &Row| {
        [
            r.ns_per_increment,
            r.m_increments_per_s,
            r.lost_pct,
            r.speedup,
            r.x_fetch_add,
            r.x_ping_pong,
        ]
    };
    for (x, y) in figures(a).into_iter().zip(figures(b)) {
        match (x, y) {
            (Some(x), Some(y)) => assert!(
                (x - y).abs() <= 1e-12 * x.abs().max(y.abs()),
                "{x} vs {y} in {a:?}"
            ),
            (x, y) => assert_eq!(x, y, "in {a:?}"),
        }
    }
    let strip = |r: &Row| Row {
        ns_per_increment: None,
        m_increments_per_s: None,
        lost_pct: None,
        speedup: None,
        x_fetch_add: None,
        x_ping_pong: None,
        ..r.clone()
    };
    assert_eq!(strip(a), strip(b));
}

/// The baselines, then the experiments' rows, of a `compare --json` document.
fn rows_of(doc: &serde_json::Value) -> Vec<Row> {
    let rows = |key: &str| -> Vec<Row> {
        serde_json::from_value(doc[key].clone()).unwrap_or_else(|e| panic!("{key}: {e}"))
    };
    [rows("baselines"), rows("rows")].concat()
}

#[test]
fn json_and_csv_carry_the_same_rows() {
    let r = measure(&["atomic", "channel", "unsynced"], "1,2", 2_000, 2);
    let mut json = Vec::new();
    print::json(&mut json, &r).unwrap();
    let mut csv = Vec::new();
    print::csv(&mut csv, &r).unwrap();
    let back: serde_json::Value = serde_json::from_slice(&json).expect("valid JSON");
    assert_eq!(back["schema"], "race-lab.compare/2");
    let from_csv = parse_csv(std::str::from_utf8(&csv).unwrap());
    let from_json = rows_of(&back);
    // 3 baselines; atomic, channel, channel --batch 1024, unsynced at 1 and 2 threads.
    assert_eq!(from_json.len(), 3 + 4 * 2);
    assert_eq!(from_csv.len(), from_json.len());
    for (c, j) in from_csv.iter().zip(&from_json) {
        assert_same(c, j);
    }
    // The CSV's columns are the JSON row's fields, in the same order.
    let keys: Vec<String> = match serde_json::to_value(&from_json[0]).unwrap() {
        serde_json::Value::Object(m) => m.keys().cloned().collect(),
        _ => panic!("a row is an object"),
    };
    let header: Vec<&str> = print::CSV_HEADER.split(',').collect();
    let mut sorted_keys = keys.clone();
    sorted_keys.sort();
    let mut sorted_header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
    sorted_header.sort();
    assert_eq!(sorted_keys, sorted_header);
    // And the text table shows every row.
    let mut text = Vec::new();
    print::text(&mut text, &r).unwrap();
    let text = String::from_utf8(text).unwrap();
    for row in &from_json {
        assert!(
            text.contains(&row.name),
            "{} missing from:\n{text}",
            row.name
        );
    }
}

/// The catalogue's experiments of `class` that `compare` measures at every count in
/// `threads` (compare leaves out deadlock; Peterson's lock takes exactly 2 threads).
fn catalogue(pick: impl Fn(&Experiment) -> bool, threads: &[usize]) -> Vec<&'static Experiment> {
    experiments::all()
        .filter(|e| !e.can_hang() && pick(e))
        .filter(|e| {
            threads
                .iter()
                .all(|t| (e.threads.0..=e.threads.1).contains(t))
        })
        .collect()
}

#[test]
fn fixed_experiments_lose_nothing() {
    // Every fix of the catalogue, so that a new one cannot be missed.
    let fixed = catalogue(|e| e.class == Class::Fixed, &[1, 2, 4]);
    assert!(fixed.len() >= 8, "the catalogue lost its fixes");
    let names: Vec<&str> = fixed.iter().map(|e| e.name).collect();
    let r = measure(&names, "1,2,4", 5_000, 2);
    assert!(r.forbidden.is_empty(), "{:?}", r.forbidden);
    // One row per experiment and thread count; channel twice (batch 1 and 1024).
    let variants: usize = fixed
        .iter()
        .map(|e| if e.takes(Opt::Batch) { 2 } else { 1 })
        .sum();
    assert_eq!(r.rows.len(), variants * 3);
    for row in &r.rows {
        assert_eq!(row.class, "fixed");
        assert_eq!(row.trials, 2);
        assert_eq!(row.lost_pct, Some(0.0), "{} at {}", row.name, row.threads);
        assert!(row.ns_per_increment.is_some());
    }
    // Speed-up is relative to the row's own 1-thread figure.
    for row in r.rows.iter().filter(|row| row.threads == 1) {
        assert_eq!(row.speedup, Some(1.0), "{}", row.name);
    }
}

#[test]
fn racy_experiments_stay_within_bounds() {
    let racy = catalogue(|e| e.class.is_racy(), &[1, 2]);
    assert!(racy.len() >= 3, "the catalogue lost its races");
    let names: Vec<&str> = racy.iter().map(|e| e.name).collect();
    let r = measure(&names, "1,2", 20_000, 2);
    for row in &r.rows {
        let lost = row.lost_pct.expect("measured");
        // 1 ≤ final ≤ N × M: at most (N × M − 1) / (N × M) lost; never negative.
        assert!((0.0..100.0).contains(&lost), "{}: {lost}", row.name);
        if row.threads == 1 {
            assert_eq!(lost, 0.0, "{} lost updates on one thread", row.name);
        }
    }
    assert!(r.forbidden.is_empty());
}

/// A small XML well-formedness check: every tag closed in order, attributes quoted, one
/// root element, entities known.
fn assert_well_formed(svg: &str) {
    let s = svg.trim();
    assert!(s.starts_with("<svg"), "does not start with <svg");
    assert!(s.ends_with("</svg>"), "does not end with </svg>");
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        check_text(&rest[..open]);
        assert!(
            !stack.is_empty() || rest[..open].trim().is_empty(),
            "text outside the root"
        );
        rest = &rest[open..];
        if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").expect("comment closed");
            rest = &body[end + 3..];
            continue;
        }
        // Find the end of the tag, skipping quoted attribute values.
        let mut quote = None;
        let mut end = None;
        for (i, c) in rest.char_indices().skip(1) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), '<') => panic!("'<' inside an attribute value"),
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '<') => panic!("'<' inside a tag: {}", &rest[..i]),
                (None, '>') => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let end = end.expect("tag closed");
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().expect("a closing tag with nothing open");
            assert_eq!(open, name.trim(), "mismatched tags");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        assert!(!name.is_empty(), "empty tag name");
        if stack.is_empty() {
            roots += 1;
        }
        if !tag.ends_with('/') {
            stack.push(name);
        }
    }
    check_text(rest);
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert_eq!(roots, 1, "one root element");
}

fn check_text(t: &str) {
    let mut rest = t;
    while let Some(amp) = rest.find('&') {
        let after = &rest[amp..];
        let ok = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
            .iter()
            .any(|e| after.starts_with(e));
        assert!(ok, "bare '&' in text: {after:.20}");
        rest = &after[1..];
    }
}

#[test]
fn the_plot_is_well_formed_svg() {
    let r = measure(&["atomic", "unsynced", "channel"], "1,2", 2_000, 1);
    let svg = plot::svg(&r).expect("drawn");
    assert_well_formed(&svg);
    for name in [
        "atomic",
        "unsynced (racy)",
        "channel --batch 1024",
        "threads",
    ] {
        assert!(svg.contains(name), "{name} missing from the plot");
    }
    // Degenerate reports draw too: one thread count, and nothing measured (Ctrl-C at once).
    let one = measure(&["sharded"], "2", 1_000, 1);
    assert_well_formed(&plot::svg(&one).expect("drawn"));
    let mut empty = one.clone();
    empty.rows.clear();
    empty.baselines.clear();
    assert_well_formed(&plot::svg(&empty).expect("drawn"));
}

#[test]
fn the_cli_writes_the_plot_and_the_table() {
    let dir = std::env::temp_dir().join(format!("race-lab-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("out.svg");
    let out = lab(&[
        "compare",
        "atomic",
        "sharded",
        "--threads",
        "1,2",
        "--iters",
        "2000",
        "--trials",
        "1",
        "--plot",
        path.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for needle in [
        "uncontended fetch_add",
        "contended fetch_add",
        "cache-line ping-pong",
        "sharded",
        "CPUs",
        "plot written to",
    ] {
        assert!(stdout.contains(needle), "{needle} missing from:\n{stdout}");
    }
    let svg = std::fs::read_to_string(&path).expect("the plot was written");
    assert_well_formed(&svg);
    let _ = std::fs::remove_dir_all(&dir);

    // --json and --csv list the same rows.
    let common = [
        "compare",
        "atomic",
        "--threads",
        "1,2",
        "--iters",
        "2000",
        "--trials",
        "1",
    ];
    let json = lab(&[&common[..], &["--json"]].concat());
    assert!(json.status.success());
    let r: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    let csv = lab(&[&common[..], &["--csv"]].concat());
    assert!(csv.status.success());
    let rows = parse_csv(&String::from_utf8_lossy(&csv.stdout));
    let key = |row: &Row| (row.kind.clone(), row.name.clone(), row.threads);
    let from_json: Vec<_> = rows_of(&r).iter().map(key).collect();
    assert_eq!(rows.iter().map(key).collect::<Vec<_>>(), from_json);
    assert!(r["machine"]["cpus"].as_u64().unwrap() >= 1);
}

#[test]
fn bad_input_is_refused() {
    refused(&["compare", "atomc"], "did you mean 'atomic'");
    refused(&["compare", "zzzzzzzzzz"], "race-lab list");
    refused(&["compare", "deadlock"], "not a counter experiment");
    refused(&["compare", "--threads", ""], "bad --threads");
    refused(&["compare", "--threads", "0"], "at least 1");
    refused(&["compare", "--threads", "1,0,2"], "at least 1");
    refused(&["compare", "--threads", "1,,2"], "bad --threads");
    refused(&["compare", "--threads", "two"], "bad --threads");
    refused(&["compare", "--threads", "100000"], "limit of 256");
    refused(
        &[
            "compare",
            "--threads",
            "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
        ],
        "limit is 16",
    );
    refused(&["compare", "--iters", "0"], "--iters must be at least 1");
    refused(&["compare", "--iters", "99999999999"], "limit");
    refused(&["compare", "--iters", "-5"], "-5");
    refused(&["compare", "--trials", "0"], "--trials must be between");
    refused(
        &["compare", "--trials", "100000"],
        "--trials must be between",
    );
    refused(
        &["compare", "--iters", "1000000000", "--trials", "1000"],
        "past the limit of 10 minutes",
    );
    refused(&["compare", "--json", "--csv"], "--json and --csv");
    refused(
        &["compare", "atomic", "--batch", "8"],
        "applies only to channel",
    );
    refused(&["compare", "channel", "--batch", "0"], "at least 1");
    refused(&["compare", "--plot", "out.png"], "FILE.svg");
    refused(
        &["compare", "--plot", "/nonexistent-folder/x.svg"],
        "does not exist",
    );
}

/// `compare` with no names compares the counters family (the lost update and its fixes),
/// each once (`channel` once per batch size), not the whole catalogue.
#[test]
fn with_no_names_it_compares_the_counters() {
    let cfg = config(&args(&[], "1", 1000, 1)).expect("valid");
    let mut names: Vec<&str> = cfg.variants.iter().map(|v| v.exp.name).collect();
    names.dedup();
    let counters: Vec<&str> = experiments::all()
        .filter(|e| e.family == "counters")
        .map(|e| e.name)
        .collect();
    assert_eq!(names, counters);
}
