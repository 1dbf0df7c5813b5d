//! The bugs Rust refuses to compile: lessons whose evidence is the compiler's refusal, not
//! a run. Each lives in `experiments/refused/`, three files to a lesson: `<name>.rs`, a
//! small program that does not compile (its `//!` header is the lesson); `<name>.fixed.rs`,
//! the safe rewrite, which compiles and checks its result; and `<name>.stderr`, what rustc
//! said about the first. Cargo never builds these files (it does not look in
//! `experiments/refused/`); `tests/refused.rs` runs rustc on them and checks that the
//! refusal and the rewrite are still what the lesson says.

/// A lesson the compiler teaches by refusing a program.
#[derive(Debug)]
pub struct Refused {
    /// The name `race-lab explain` takes, e.g. `rc-across-threads`.
    pub name: &'static str,
    /// One line for `race-lab list`.
    pub summary: &'static str,
    /// The program that does not compile, its `//!` header the lesson.
    pub source: &'static str,
    /// The safe rewrite: a program that compiles and asserts its exact result.
    pub fixed: &'static str,
    /// rustc's error output for `source`, its file path written `$DIR/<file>.rs`.
    pub stderr: &'static str,
    /// Where `source` lives, from the crate root (`experiments/refused/<file>.rs`).
    pub path: &'static str,
    /// The error code the compiler refuses it with, e.g. `E0277`.
    pub error_code: &'static str,
}

/// `lesson!(name, file, code, summary)`: one entry of [`REFUSED`], its three files read
/// from `experiments/refused/<file>{.rs,.fixed.rs,.stderr}`.
macro_rules! lesson {
    ($name:literal, $file:literal, $code:literal, $summary:literal) => {
        Refused {
            name: $name,
            summary: $summary,
            source: include_str!(concat!("../experiments/refused/", $file, ".rs")),
            fixed: include_str!(concat!("../experiments/refused/", $file, ".fixed.rs")),
            stderr: include_str!(concat!("../experiments/refused/", $file, ".stderr")),
            path: concat!("experiments/refused/", $file, ".rs"),
            error_code: $code,
        }
    };
}

/// Every refused lesson, in the order `race-lab list` shows them.
#[rustfmt::skip]
pub static REFUSED: &[Refused] = &[
    lesson!("rc-across-threads", "rc_across_threads", "E0277", "an Rc cloned into threads: its count is not atomic, so Rc is not Send"),
    lesson!("cell-shared", "cell_shared", "E0277", "a Cell counter shared by threads: get-then-set loses updates, so Cell is not Sync"),
    lesson!("guard-sent", "guard_sent", "E0277", "a MutexGuard moved to another thread: a lock must be released where it was taken"),
    lesson!("non-send-closure", "non_send_closure", "E0277", "a raw *mut u64 captured by thread::spawn's closure: raw pointers are not Send"),
];

/// The refused lesson called `name` (any case).
pub fn find(name: &str) -> Option<&'static Refused> {
    REFUSED.iter().find(|r| r.name.eq_ignore_ascii_case(name))
}

impl Refused {
    /// The lesson: the broken program's `//!` header, without the `//!`.
    pub fn lesson(&self) -> String {
        crate::experiment::lesson_and_code(self.source).0
    }

    /// The program that does not compile, without its header.
    pub fn code(&self) -> String {
        crate::experiment::lesson_and_code(self.source).1
    }

    /// The safe rewrite's code, without its header.
    pub fn fixed_code(&self) -> String {
        crate::experiment::lesson_and_code(self.fixed).1
    }

    /// Where the safe rewrite lives, from the crate root.
    pub fn fixed_path(&self) -> String {
        format!(
            "{}.fixed.rs",
            self.path.strip_suffix(".rs").unwrap_or(self.path)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_has_its_header_and_its_code_stays_short() {
        for r in REFUSED {
            let lesson = r.lesson();
            assert!(
                lesson.starts_with(&format!("# {} — ", r.name)),
                "{}: {lesson}",
                r.name
            );
            for part in ["**Question.**", "**Expect.**", "**The fix.**"] {
                assert!(lesson.contains(part), "{}: no {part}", r.name);
            }
            let fixed_file = r.fixed_path();
            let fixed_file = fixed_file.rsplit('/').next().unwrap();
            assert!(lesson.contains(fixed_file), "{}: names no rewrite", r.name);
            assert!(lesson.contains(r.error_code), "{}", r.name);
            assert!(r.code().lines().count() <= 20, "{}: code too long", r.name);
            assert!(r.stderr.contains(r.error_code), "{}", r.name);
            assert!(find(&r.name.to_uppercase()).is_some_and(|f| std::ptr::eq(f, r)));
        }
        assert!(find("unsynced").is_none());
    }
}
