//! `race-lab verify`, as CI uses it: the JUnit XML it writes is read back with an XML parser
//! (roxmltree) and checked for what dashboards read — `testsuites`, `testsuite` and
//! `testcase` elements with `name`, `tests`, `failures`, `time`, and a `failure` child for a
//! failed check — and a deliberately broken experiment, added through the library API's extra
//! catalogue, makes verify fail: exit 1 and a `<failure>` in the XML.

mod common;
use common::lab;
use race_lab::prelude::*;

/// Claims to be fixed, but reads and writes the counter in two steps: it loses updates.
pub fn lying_kernel<R: Rt>(p: &Params) -> Run {
    let counter = Arc::new(R::AtomicU64::new(0));
    let iters = p.iters;
    let (metric, elapsed) = workers::<R, _>(p, &counter, move |c, _| {
        for _ in 0..iters {
            let v = c.load(Ordering::SeqCst);
            c.store(v + 1, Ordering::SeqCst);
        }
        0
    });
    Run::counted(counter.load(Ordering::SeqCst), metric, elapsed)
}

static BROKEN: Experiment = Experiment {
    name: "claims-fixed-but-loses-updates",
    summary: "a test's experiment: declared fixed, loses updates",
    class: Class::Fixed,
    source: "//! **Question.** **Expect.** **Outcomes.**\npub fn kernel<R: Rt>() {}\n",
    kernels: race_lab::kernels!(lying_kernel),
    ..Experiment::DEFAULTS
};

/// The same kernel, honestly declared racy, at a size too large for the scheduled world to
/// search to the end: verify lets hunt find the bug.
static LARGE_RACE: Experiment = Experiment {
    name: "large-race",
    summary: "a test's experiment: loses updates, too large to search exhaustively",
    class: Class::LogicRace,
    bug_shows_in: Worlds {
        native: false,
        loom: false,
        scheduled: true,
    },
    proof: Size {
        threads: 6,
        iters: 50,
    },
    source: "//! **Question.** **Expect.** **Outcomes.**\npub fn kernel<R: Rt>() {}\n",
    kernels: race_lab::kernels!(lying_kernel),
    ..Experiment::DEFAULTS
};

/// Adds the test's experiments to the catalogue (once per process).
fn extend() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| race_lab::experiments::extend(&[&BROKEN, &LARGE_RACE]).unwrap());
}

#[test]
fn one_catalogue_extension_per_process() {
    extend();
    // The same experiments again, or none, change nothing…
    race_lab::experiments::extend(&[&BROKEN, &LARGE_RACE]).unwrap();
    race_lab::experiments::extend(&[]).unwrap();
    // …other ones are refused, never silently dropped; so are clashing names.
    let e = race_lab::experiments::extend(&[&BROKEN]).unwrap_err();
    assert!(e.contains("one Lab"), "{e}");
    let e = race_lab::experiments::extend(&[&BROKEN, &BROKEN]).unwrap_err();
    assert!(e.contains("added twice"), "{e}");
}

/// Runs verify in this process (where the extra experiments are known).
fn verify_here(args: &[&str]) -> i32 {
    extend();
    race_lab::main_with(
        ["race-lab", "verify"]
            .iter()
            .chain(args)
            .map(std::ffi::OsString::from),
    )
}

/// Attribute `name` of `n`, parsed as a number.
fn num(n: roxmltree::Node, name: &str) -> f64 {
    n.attribute(name)
        .unwrap_or_else(|| panic!("<{}> lacks {name}", n.tag_name().name()))
        .parse()
        .unwrap_or_else(|e| panic!("<{}> {name}: {e}", n.tag_name().name()))
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("race-lab-verify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn junit_xml_carries_what_dashboards_read() {
    let path = temp("ok.xml");
    let out = lab(&[
        "verify",
        "atomic",
        "unsynced",
        "SB",
        "--junit",
        path.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("verify: 12 checks: 11 passed, 0 failed, 1 known gap"),
        "{text}"
    );
    let xml = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(num(root, "tests"), 12.0);
    assert_eq!(num(root, "failures"), 0.0);
    assert!(num(root, "time") >= 0.0);
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<&str> = suites.iter().filter_map(|s| s.attribute("name")).collect();
    assert_eq!(
        names,
        ["fixes proved", "bugs found", "litmus against the model"]
    );
    let mut cases = 0.0;
    for s in &suites {
        let here: Vec<_> = s
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(num(*s, "tests"), here.len() as f64);
        assert_eq!(num(*s, "failures"), 0.0);
        assert!(num(*s, "time") >= 0.0);
        for c in &here {
            assert!(c.attribute("name").is_some_and(|n| !n.is_empty()));
            assert!(num(*c, "time") >= 0.0);
            assert!(!c.children().any(|n| n.has_tag_name("failure")));
        }
        cases += here.len() as f64;
    }
    assert_eq!(cases, 12.0);
    // The known gap is skipped, neither passed nor failed.
    let gap = doc
        .descendants()
        .find(|n| n.attribute("name") == Some("SB --ordering seqcst [loom]"))
        .expect("SB seqcst's case");
    let skipped = gap
        .children()
        .find(|n| n.has_tag_name("skipped"))
        .expect("skipped");
    assert!(skipped
        .attribute("message")
        .unwrap()
        .starts_with("KNOWN GAP"));
}

#[test]
fn a_fix_that_loses_updates_fails_verify() {
    let path = temp("broken.xml");
    let code = verify_here(&[BROKEN.name, "--junit", path.to_str().unwrap()]);
    assert_eq!(code, 1, "verify passed an experiment that loses updates");
    let xml = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(num(root, "tests"), 3.0, "{xml}");
    assert_eq!(num(root, "failures"), 3.0, "{xml}");
    for world in ["loom", "scheduled", "rc11"] {
        let case = doc
            .descendants()
            .find(|n| n.attribute("name") == Some(&format!("{} [{world} 2x2]", BROKEN.name)))
            .unwrap_or_else(|| panic!("no {world} case in {xml}"));
        let failure = case
            .children()
            .find(|n| n.has_tag_name("failure"))
            .expect("failure");
        assert!(
            failure.attribute("message").unwrap().contains("FORBIDDEN"),
            "{xml}"
        );
    }
}

#[test]
fn a_bug_too_large_to_search_is_hunted() {
    let path = temp("large.xml");
    let code = verify_here(&[LARGE_RACE.name, "--junit", path.to_str().unwrap()]);
    let xml = std::fs::read_to_string(&path).unwrap();
    assert_eq!(code, 0, "{xml}");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    assert_eq!(
        num(doc.root_element(), "tests"),
        2.0,
        "the declared world and rc11, which has every execution: {xml}"
    );
    assert!(
        xml.contains("large-race [scheduled 6x50]") && xml.contains("hunt"),
        "{xml}"
    );
    assert!(xml.contains("large-race [rc11 6x50]"), "{xml}");
}

#[test]
fn a_name_given_twice_is_checked_once() {
    let out = lab(&["verify", "atomic", "atomic", "SB", "sb"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    // atomic in three worlds, SB under three orderings in two: once each.
    assert!(
        text.contains("verify: 9 checks: 8 passed, 0 failed, 1 known gap"),
        "{text}"
    );
}

#[test]
fn unknown_names_are_refused() {
    common::refused(&["verify", "atomc"], "unknown experiment");
}

/// Checks run on several threads give the same checks, with the same verdicts, in the same
/// order as on one: only the time differs.
#[test]
fn parallel_checks_say_what_sequential_ones_say() {
    let checks = |jobs: &str| {
        let v = common::json(&[
            "verify",
            "atomic",
            "racy-atomic",
            "deadlock",
            "SB",
            "--jobs",
            jobs,
            "--json",
        ]);
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_string(),
                    c["status"].as_str().unwrap().to_string(),
                    c["detail"].as_str().unwrap().to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let one = checks("1");
    assert!(one.len() >= 12, "{one:?}");
    assert_eq!(checks("3"), one);
    common::refused(
        &["verify", "--jobs", "0"],
        "--jobs must be between 1 and 256",
    );
}
