//! `race-lab report`: the HTML page is self-contained (no external `src`/`href`), carries
//! every section, says "not measured" for what was skipped, and a page built `--from` the
//! saved `--json` outputs shows the same verdicts as the page measured afresh. (The page in a
//! real browser: `ci/report-browser.sh`.)

mod common;
use common::lab;

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("race-lab-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Every `src="…"`/`href="…"` value of the page.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            out.push(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    out
}

#[test]
fn a_fresh_page_and_one_from_saved_outputs_agree() {
    let (fresh, saved, dir) = (temp("fresh.html"), temp("saved.html"), temp("json"));
    let out = lab(&[
        "report",
        "racy-atomic",
        "atomic",
        "--no-claims",
        "--no-plot",
        "--save",
        dir.to_str().unwrap(),
        "--out",
        fresh.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "run-atomic.json",
        "explore-atomic.json",
        "replay-atomic.json",
        "hunt-racy-atomic.json",
    ] {
        assert!(dir.join(f).is_file(), "--save wrote no {f}");
    }
    let out = lab(&[
        "report",
        "racy-atomic",
        "atomic",
        "--no-claims",
        "--from",
        dir.to_str().unwrap(),
        "--out",
        saved.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (a, b) = (
        std::fs::read_to_string(&fresh).unwrap(),
        std::fs::read_to_string(&saved).unwrap(),
    );
    for html in [&a, &b] {
        assert!(html.len() < 5 << 20);
        for id in [
            "machine",
            "index",
            "claims",
            "compare",
            "exp-atomic",
            "exp-racy-atomic",
        ] {
            assert!(html.contains(&format!("id=\"{id}\"")), "no #{id}");
        }
        for r in references(html) {
            assert!(r.starts_with('#'), "an external reference: {r}");
        }
        assert!(html.contains("not measured: skipped with --no-claims"));
        assert!(html.contains("class=\"stepper\""), "no timeline to step");
        assert!(html.contains("<svg class=\"hist\""), "no histogram");
    }
    assert!(
        b.contains("no compare.svg in"),
        "the saved page has no plot to show"
    );
    // The same verdicts either way: everything up to the generation date differs only there.
    let verdicts = |h: &str| -> Vec<String> {
        h.split("<b>")
            .skip(1)
            .map(|s| s[..s.find("</b>").unwrap()].to_string())
            .collect()
    };
    assert_eq!(verdicts(&a), verdicts(&b));
    assert!(
        verdicts(&a).iter().any(|v| v.contains("lost updates")),
        "{:?}",
        verdicts(&a)
    );
}

#[test]
fn bad_output_places_are_refused() {
    common::refused(
        &["report", "atomic", "--out", "/no/such/dir/r.html"],
        "does not exist",
    );
    common::refused(
        &[
            "report",
            "atomic",
            "--out",
            "r.html",
            "--from",
            "/no/such/dir",
        ],
        "not a directory",
    );
}
