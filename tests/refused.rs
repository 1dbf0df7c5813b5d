//! The bugs Rust refuses to compile (`experiments/refused/`, listed in
//! `race_lab::refused::REFUSED`) stay refused, for the reason their lessons give, and their
//! rewrites stay right. For every lesson, the real compiler (`$RUSTC`, else `rustc`) is run on
//! the broken program: it must fail, with the lesson's error code, and say what the
//! checked-in `<file>.stderr` says; then the `<file>.fixed.rs` rewrite is compiled and run,
//! and must exit 0 (it asserts its own exact result). `race-lab explain` and `race-lab list`
//! must show the lessons.
//!
//! The `.stderr` files are rustc's real output, normalised: the broken file's absolute path
//! written `$DIR/<file>.rs`, trailing whitespace stripped. They are compared by the lines
//! that start with `error` and the lines that point into the lesson's own file (`$DIR`), not
//! as a whole: the rest points into the standard library (`note: required by a bound in
//! spawn --> /rustc/<commit>/library/std/…`), and the same toolchain prints that part
//! differently depending on whether its `rust-src` component is installed (with it, rustc
//! shows the library's source lines from the local sysroot). The files were made without
//! `rust-src`, by rustc 1.95.0; another rustc words its errors a little differently.
//!
//! To write them anew (a new lesson, a new rustc): `RACE_LAB_BLESS=1 cargo test --test
//! refused`, which rewrites every `.stderr` from the compiler's output instead of comparing,
//! then rebuild (the binary includes the files) and read the diff.

mod common;
use common::lab;
use race_lab::refused::{Refused, REFUSED};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The compiler the tests run.
fn rustc() -> String {
    std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into())
}

/// A scratch folder unique to this process and `what`, made empty.
fn scratch(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("race-lab-refused-{}-{what}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// The absolute path of a file named from the crate root.
fn at_root(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Runs rustc with `args`, then `file`.
fn compile(file: &Path, args: &[&str]) -> Output {
    Command::new(rustc())
        .args(["--edition", "2021", "--crate-type", "bin"])
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", rustc()))
}

/// rustc's output about `file`, normalised: the file's absolute path written
/// `$DIR/<file name>`, trailing whitespace stripped, one newline at the end.
fn normalise(stderr: &str, file: &Path) -> String {
    let name = file.file_name().unwrap().to_string_lossy();
    let text = stderr.replace(&*file.to_string_lossy(), &format!("$DIR/{name}"));
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    format!("{}\n", lines.join("\n").trim_end())
}

/// What is compared: the lines that start with `error` and those that point into the
/// lesson's own file (see the top of this file for why not the whole text).
fn compared(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .map(str::trim_end)
        .filter(|l| l.starts_with("error") || l.contains("$DIR/"))
        .collect()
}

/// The `.stderr` file of a lesson.
fn stderr_file(r: &Refused) -> PathBuf {
    at_root(&r.path.replace(".rs", ".stderr"))
}

/// The compiler refuses the broken program with its error code, and says what the
/// `.stderr` file says (or, with `RACE_LAB_BLESS=1`, that file is written).
fn check_refused(r: &Refused, out_dir: &Path) {
    let file = at_root(r.path);
    let out = compile(
        &file,
        &["--emit=metadata", "--out-dir", &out_dir.to_string_lossy()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "{}: {} compiles, but the lesson says the compiler refuses it",
        r.name,
        r.path
    );
    assert!(
        stderr.contains(&format!("error[{}]", r.error_code)),
        "{}: rustc's refusal lacks {}:\n{stderr}",
        r.name,
        r.error_code
    );
    let actual = normalise(&stderr, &file);
    let expected_file = stderr_file(r);
    if std::env::var_os("RACE_LAB_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&expected_file, &actual)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_file.display()));
        eprintln!("blessed {}", expected_file.display());
        return;
    }
    let expected = std::fs::read_to_string(&expected_file)
        .unwrap_or_else(|e| panic!("{}: {e}", expected_file.display()));
    let expected = normalise(&expected, &file);
    assert_eq!(
        compared(&actual),
        compared(&expected),
        "{}: rustc's refusal differs from {} (RACE_LAB_BLESS=1 rewrites it); rustc said:\n{actual}",
        r.name,
        expected_file.display()
    );
    assert_eq!(
        r.stderr.replace("\r\n", "\n"),
        std::fs::read_to_string(&expected_file).unwrap(),
        "{}: the binary includes another {}: rebuild",
        r.name,
        expected_file.display()
    );
}

/// The rewrite compiles and runs to exit 0 (it asserts its own result).
fn check_fixed(r: &Refused, out_dir: &Path) {
    let file = at_root(&r.fixed_path());
    let crate_name = format!("{}_fixed", r.name.replace('-', "_"));
    let exe = out_dir.join(&crate_name);
    let out = compile(
        &file,
        &[
            "--emit=link",
            "--crate-name",
            &crate_name,
            "-o",
            &exe.to_string_lossy(),
        ],
    );
    assert!(
        out.status.success(),
        "{}: the rewrite does not compile:\n{}",
        r.name,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}: the rewrite compiles with warnings:\n{}",
        r.name,
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&exe).output().expect("the rewrite runs");
    assert!(
        run.status.success(),
        "{}: the rewrite fails: {:?}\n{}",
        r.name,
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn the_compiler_refuses_every_lesson_and_accepts_its_rewrite() {
    assert_eq!(REFUSED.len(), 4);
    let dir = scratch("compile");
    for r in REFUSED {
        check_refused(r, &dir);
        check_fixed(r, &dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_prints_the_lesson_the_refusal_and_the_rewrite() {
    for r in REFUSED {
        let out = lab(&["explain", r.name]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}: {out:?}", r.name);
        assert!(text.starts_with(&r.lesson()), "{}:\n{text}", r.name);
        assert!(text.contains(&r.code()), "{}: no code:\n{text}", r.name);
        assert!(text.contains("What the compiler says:"), "{}", r.name);
        assert!(
            text.contains(&format!("error[{}]", r.error_code)),
            "{}",
            r.name
        );
        assert!(
            text.contains(&format!("The safe rewrite ({}):", r.fixed_path())),
            "{}:\n{text}",
            r.name
        );
        assert!(text.contains(&r.fixed_code()), "{}: no rewrite", r.name);
        // Any case, as for every other name.
        let upper = lab(&["explain", &r.name.to_uppercase()]);
        assert_eq!(upper.stdout, out.stdout, "{}", r.name);

        let out = lab(&["explain", r.name, "--json"]);
        assert!(out.status.success(), "{}: {out:?}", r.name);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(v["kind"], "refused");
        assert_eq!(v["name"], r.name);
        assert_eq!(v["path"], r.path);
        assert_eq!(v["compiler_error"]["code"], r.error_code);
        assert_eq!(v["compiler_error"]["stderr"], r.stderr);
        assert_eq!(v["fixed"]["path"], r.fixed_path());
        assert_eq!(v["fixed"]["code"], r.fixed_code());
    }
}

#[test]
fn list_shows_every_lesson() {
    let out = lab(&["list"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("refused by the compiler"), "{text}");
    for r in REFUSED {
        let line = text
            .lines()
            .find(|l| l.contains(r.name))
            .unwrap_or_else(|| panic!("{} is not listed:\n{text}", r.name));
        assert!(line.contains(r.error_code), "{line}");
    }

    let v = common::json(&["list", "--json"]);
    let listed: Vec<&str> = v["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "refused")
        .filter_map(|e| e["name"].as_str())
        .collect();
    let names: Vec<&str> = REFUSED.iter().map(|r| r.name).collect();
    assert_eq!(listed, names);
}
