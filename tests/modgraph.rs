//! The module graph of the library has no cycles, and its layers point one way.
//!
//! Every `.rs` file under `src/` (the library: `src/main.rs` and `src/bin/` are other
//! crates) and `experiments/` (mounted as `crate::experiments` by `src/lib.rs`) is read;
//! every `crate::`, `$crate::` and `super::` path in it — in `use` lines, grouped
//! (`use crate::{a, b::c}`) or inline (`crate::machine::interrupted()`) — becomes an edge
//! between top-level modules (`commands`, `compare`, `rt`, …). Comments, string literals and
//! `#[cfg(test)]` modules are left out: tests may reach anywhere.
//!
//! The checks: no cycles; every edge points down the floors of [`LAYERS`] (DESIGN.md:
//! commands → engines (harness, explore, hunt, litmus, compare, claims, report) → the
//! catalogue (experiments, experiment) → rt → leaves (trace, schedule, error, machine));
//! `rt` imports leaves only; the printers (`report`) are imported by `commands` only, and
//! nothing imports `commands`. Edges known to be wrong today are listed, with the reason, in
//! [`KNOWN`] and [`KNOWN_UPWARD`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module → the modules it imports.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// Edges that exist today, known to be wrong, and fixed elsewhere. The checks skip them and
/// say so on stderr; [`known_edges_are_still_there`] fails once one is gone, so that its
/// line is deleted here and the check covers it again.
const KNOWN: &[(&str, &str, &str)] = &[];

/// The floors, top to bottom: a module may import its own floor or the ones below. A new
/// top-level module must be placed here.
const LAYERS: &[(&str, &[&str])] = &[
    ("commands", &["commands"]),
    (
        "engines and printers",
        &[
            "harness", "explore", "hunt", "litmus", "compare", "claims", "report", "verify", "play",
        ],
    ),
    (
        "the catalogue",
        &["experiments", "experiment", "prelude", "procs", "refused"],
    ),
    ("the runtime facade", &["rt"]),
    (
        "leaves",
        &["trace", "schedule", "error", "machine", "witnesses"],
    ),
];

/// Edges that climb a floor today, each with the reason it is tolerated.
const KNOWN_UPWARD: &[(&str, &str, &str)] = &[(
    "experiments",
    "litmus",
    "the litmus tests implement litmus::Actors and build a litmus::Litmus; those types belong with experiment.rs",
)];

/// What `rt`, the bottom floor, may import.
const RT_MAY_IMPORT: &[&str] = &["trace", "schedule", "error"];

// ---- reading the sources ----------------------------------------------------------------

/// Blanks out comments, string literals and character literals (keeping line breaks), so
/// that only code is searched for paths and braces.
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |ch: char| if ch == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(c[i]));
                    i += 1;
                }
            }
        } else if c[i] == 'r'
            && (next == Some('"') || next == Some('#'))
            && (i == 0 || !is_ident(c[i - 1]))
        {
            // A raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while c.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if c.get(j) != Some(&'"') {
                out.push(c[i]);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match c.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some(&ch) => out.push(blank(ch)),
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c[i] == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    i += 1;
                }
                if let Some(&ch) = c.get(i) {
                    out.push(blank(ch));
                }
                i += 1;
            }
            out.push_str("\"\"");
            i += 1;
        } else if c[i] == '\'' && next == Some('\\') {
            // '\n', '\'', '\u{7b}'
            let mut j = i + 2;
            j += 1;
            while j < c.len() && c[j] != '\'' {
                j += 1;
            }
            out.push_str("' '");
            i = j + 1;
        } else if c[i] == '\'' && c.get(i + 2) == Some(&'\'') {
            out.push_str("' '");
            i += 3;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

fn is_ident(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

/// The module path of a file: `src/lib.rs` → [], `src/a.rs` and `src/a/mod.rs` → [a],
/// `src/a/b.rs` → [a, b], `experiments/x.rs` → [experiments, x].
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.first().map(String::as_str) == Some("src") {
        parts.remove(0);
    }
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs").to_string();
        if stem != "mod" && stem != "lib" {
            parts.push(stem);
        }
    }
    parts
}

/// A path found in a file: the module it was written in, and what it names.
#[derive(Debug, PartialEq, Eq)]
struct Found {
    /// The module the path is written in (file path, then inline modules).
    from: Vec<String>,
    /// How many levels up the path starts: `None` for `crate::`, `Some(k)` for k × `super::`.
    up: Option<usize>,
    /// The first name after the prefix (each name of a group `{a, b::c}`).
    first: String,
}

/// Every `crate::`/`$crate::`/`super::` path in `code` (already [`code_only`]), with the
/// module it is written in; paths inside `#[cfg(test)]` modules are skipped.
fn paths_in(code: &str, file_module: &[String]) -> Vec<Found> {
    let c: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    // Inline modules open here: (name, brace depth inside it, is it cfg(test)).
    let mut inline: Vec<(String, usize, bool)> = Vec::new();
    let mut depth = 0usize;
    let mut pending_mod: Option<(String, bool)> = None;
    let mut i = 0;
    let word_at = |i: usize, w: &str| -> bool {
        let wc: Vec<char> = w.chars().collect();
        c.len() >= i + wc.len()
            && c[i..i + wc.len()] == wc[..]
            && (i == 0 || !is_ident(c[i - 1]))
            && c.get(i + wc.len()).is_none_or(|&ch| !is_ident(ch))
    };
    let skip_ws = |mut j: usize| {
        while j < c.len() && c[j].is_whitespace() {
            j += 1;
        }
        j
    };
    let ident = |j: usize| -> (String, usize) {
        let mut k = j;
        while k < c.len() && is_ident(c[k]) {
            k += 1;
        }
        (c[j..k].iter().collect(), k)
    };
    while i < c.len() {
        match c[i] {
            '{' => {
                depth += 1;
                if let Some((name, test)) = pending_mod.take() {
                    inline.push((name, depth, test));
                }
                i += 1;
                continue;
            }
            '}' => {
                if inline.last().is_some_and(|m| m.1 == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
                continue;
            }
            ';' => {
                pending_mod = None; // `mod x;` opens nothing here
                i += 1;
                continue;
            }
            _ => {}
        }
        if word_at(i, "mod") {
            let (name, end) = ident(skip_ws(i + 3));
            if !name.is_empty() {
                let before: String = c[..i].iter().collect();
                let before = before.trim_end();
                let before = before.strip_suffix("pub(crate)").unwrap_or(before);
                let before = before.strip_suffix("pub").unwrap_or(before).trim_end();
                let test = before.ends_with("#[cfg(test)]");
                pending_mod = Some((name, test));
                i = end;
                continue;
            }
        }
        let in_test = inline.iter().any(|m| m.2);
        let mut from: Vec<String> = file_module.to_vec();
        from.extend(inline.iter().map(|m| m.0.clone()));
        let (up, mut j) = if word_at(i, "crate") && c.get(i + 5..i + 7) == Some(&[':', ':']) {
            (None, i + 7)
        } else if word_at(i, "super") && c.get(i + 5..i + 7) == Some(&[':', ':']) {
            let mut k = 1;
            let mut j = i + 7;
            while word_at(j, "super") && c.get(j + 5..j + 7) == Some(&[':', ':']) {
                k += 1;
                j += 7;
            }
            (Some(k), j)
        } else {
            i += 1;
            continue;
        };
        j = skip_ws(j);
        let mut firsts = Vec::new();
        if c.get(j) == Some(&'{') {
            // A group: the first name of each top-level item.
            let mut level = 0;
            let mut at_item_start = true;
            let mut k = j + 1;
            while k < c.len() {
                match c[k] {
                    '{' => level += 1,
                    '}' if level == 0 => break,
                    '}' => level -= 1,
                    ',' if level == 0 => at_item_start = true,
                    ch if at_item_start && is_ident(ch) => {
                        // `super::super::x` inside a group climbs further.
                        let mut extra = 0;
                        while word_at(k, "super") && c.get(k + 5..k + 7) == Some(&[':', ':']) {
                            extra += 1;
                            k += 7;
                        }
                        let (name, end) = ident(k);
                        firsts.push((extra, name));
                        at_item_start = false;
                        k = end;
                        continue;
                    }
                    _ => {}
                }
                k += 1;
            }
            j = k;
        } else {
            let (name, end) = ident(j);
            if !name.is_empty() {
                firsts.push((0, name));
            }
            j = end;
        }
        if !in_test {
            for (extra, first) in firsts {
                let up = match (up, extra) {
                    (up, 0) => up,
                    (Some(k), e) => Some(k + e),
                    (None, _) => None, // `crate::{super::…}` is not Rust
                };
                found.push(Found {
                    from: from.clone(),
                    up,
                    first,
                });
            }
        }
        i = j.max(i + 1);
    }
    found
}

/// The top-level module a path lands in, if it is one of `modules` (or a macro defined in
/// one, per `macros`).
fn target(
    f: &Found,
    modules: &BTreeSet<String>,
    macros: &BTreeMap<String, String>,
) -> Option<String> {
    let base: &[String] = match f.up {
        None => &[],
        Some(k) => &f.from[..f.from.len().saturating_sub(k)],
    };
    if let Some(top) = base.first() {
        return Some(top.clone());
    }
    if modules.contains(&f.first) {
        Some(f.first.clone())
    } else {
        macros.get(&f.first).cloned()
    }
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The library's module graph, read from the sources.
fn library_graph() -> Graph {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rs_files(&root.join("src"), &mut files);
    rs_files(&root.join("experiments"), &mut files);
    let rel = |p: &Path| p.strip_prefix(root).expect("under the crate").to_path_buf();
    // Other crates: the binaries.
    files.retain(|p| {
        let r = rel(p);
        r != Path::new("src/main.rs") && !r.starts_with("src/bin")
    });
    let sources: Vec<(Vec<String>, String)> = files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("readable");
            (module_path(&rel(p)), code_only(&text))
        })
        .collect();
    // The top-level modules: what lib.rs declares.
    let lib = &sources
        .iter()
        .find(|(m, _)| m.is_empty())
        .expect("src/lib.rs")
        .1;
    let mut modules = BTreeSet::new();
    for line in lib.lines() {
        let words: Vec<&str> = line
            .split(|ch: char| !is_ident(ch))
            .filter(|w| !w.is_empty())
            .collect();
        if let Some(i) = words.iter().position(|&w| w == "mod") {
            if let Some(name) = words.get(i + 1) {
                modules.insert(name.to_string());
            }
        }
    }
    assert!(
        modules.len() >= 10,
        "lib.rs declares too few modules: {modules:?}"
    );
    // `macro_rules! name` is reachable as `crate::name`: an edge to its module.
    let mut macros = BTreeMap::new();
    for (m, code) in &sources {
        for (i, _) in code.match_indices("macro_rules!") {
            let name: String = code[i + 12..]
                .trim_start()
                .chars()
                .take_while(|&ch| is_ident(ch))
                .collect();
            if let Some(top) = m.first() {
                macros.insert(name, top.clone());
            }
        }
    }
    let mut g = Graph::new();
    for (m, code) in &sources {
        for f in paths_in(code, m) {
            // lib.rs itself (the crate root) only mounts modules; its inline `prelude` is a node.
            let Some(from) = f.from.first().cloned() else {
                continue;
            };
            g.entry(from.clone()).or_default();
            if let Some(to) = target(&f, &modules, &macros) {
                if to != from {
                    g.entry(from.clone()).or_default().insert(to);
                }
            }
        }
        if let Some(top) = m.first() {
            g.entry(top.clone()).or_default();
        }
    }
    g
}

/// The graph without the known wrong edges, each reported on stderr.
fn checked_graph() -> Graph {
    let mut g = library_graph();
    for (from, to, why) in KNOWN {
        if g.get_mut(*from).is_some_and(|s| s.remove(*to)) {
            eprintln!("modgraph: skipping the known edge {from} → {to} ({why})");
        }
    }
    g
}

// ---- the cycle finder -------------------------------------------------------------------

/// A cycle in `g` as a path that starts and ends at the same module, if there is one.
fn find_cycle(g: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    fn visit(
        g: &Graph,
        n: &str,
        mark: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        mark.insert(n.to_string(), Mark::OnPath);
        path.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            match mark.get(m).copied().unwrap_or(Mark::New) {
                Mark::OnPath => {
                    let start = path.iter().position(|p| p == m).expect("on the path");
                    let mut cycle = path[start..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(c) = visit(g, m, mark, path) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        mark.insert(n.to_string(), Mark::Done);
        None
    }
    let mut mark = BTreeMap::new();
    for n in g.keys() {
        if mark.get(n).copied().unwrap_or(Mark::New) == Mark::New {
            if let Some(c) = visit(g, n, &mut mark, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

fn graph(edges: &[(&str, &str)]) -> Graph {
    let mut g = Graph::new();
    for (a, b) in edges {
        g.entry(a.to_string()).or_default().insert(b.to_string());
        g.entry(b.to_string()).or_default();
    }
    g
}

/// Who imports `module`.
fn importers<'a>(g: &'a Graph, module: &str) -> Vec<&'a str> {
    g.iter()
        .filter(|(_, to)| to.contains(module))
        .map(|(from, _)| from.as_str())
        .collect()
}

// ---- the checks -------------------------------------------------------------------------

#[test]
fn the_module_graph_has_no_cycles() {
    let g = checked_graph();
    if let Some(cycle) = find_cycle(&g) {
        panic!("module cycle: {}", cycle.join(" → "));
    }
}

#[test]
fn rt_imports_only_leaves() {
    let g = checked_graph();
    let bad: Vec<&String> = g["rt"]
        .iter()
        .filter(|m| !RT_MAY_IMPORT.contains(&m.as_str()))
        .collect();
    assert!(
        bad.is_empty(),
        "rt imports {bad:?}; it may import only {RT_MAY_IMPORT:?}"
    );
}

/// The floor of `module` (0 is the top), if it has one.
fn floor(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

/// Edges of `g` that climb a floor, and modules without a floor.
fn layering_errors(g: &Graph, tolerated: &[(&str, &str, &str)]) -> Vec<String> {
    let mut errors = Vec::new();
    for (from, tos) in g {
        let Some(f) = floor(from) else {
            errors.push(format!("{from} is on no floor: add it to LAYERS"));
            continue;
        };
        for to in tos {
            match floor(to) {
                None => errors.push(format!("{to} is on no floor: add it to LAYERS")),
                Some(t) if t < f && !tolerated.iter().any(|k| k.0 == from && k.1 == to) => errors
                    .push(format!(
                        "{from} ({}) imports {to} ({}), a floor above it",
                        LAYERS[f].0, LAYERS[t].0
                    )),
                Some(_) => {}
            }
        }
    }
    errors
}

#[test]
fn edges_point_down_the_floors() {
    let errors = layering_errors(&checked_graph(), KNOWN_UPWARD);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The rule can fail: an engine importing a command climbs.
    let climbing = graph(&[("compare", "commands"), ("commands", "compare")]);
    assert_eq!(
        layering_errors(&climbing, &[]),
        ["compare (engines and printers) imports commands (commands), a floor above it"]
    );
    assert_eq!(
        layering_errors(&graph(&[("newcomer", "rt")]), &[]),
        ["newcomer is on no floor: add it to LAYERS"]
    );
}

#[test]
fn printers_are_used_by_commands_only_and_nothing_imports_commands() {
    let g = checked_graph();
    assert_eq!(importers(&g, "report"), ["commands"], "who imports report");
    assert!(
        importers(&g, "commands").is_empty(),
        "commands is imported by {:?}",
        importers(&g, "commands")
    );
}

#[test]
fn known_edges_are_still_there() {
    // Once another branch removes one, delete its line in KNOWN so the checks cover it.
    let g = library_graph();
    for (from, to, why) in KNOWN.iter().chain(KNOWN_UPWARD) {
        assert!(
            g.get(*from).is_some_and(|s| s.contains(*to)),
            "the known edge {from} → {to} ({why}) is gone: delete its line"
        );
    }
}

#[test]
fn the_graph_sees_the_layers() {
    // If the reader silently found nothing, every check above would pass.
    let g = library_graph();
    for (from, to) in [
        ("commands", "report"),
        ("commands", "compare"),
        ("compare", "harness"),
        ("experiments", "rt"),
        ("experiments", "prelude"),
        ("prelude", "experiment"),
        ("experiment", "rt"),
        ("rt", "trace"),
        ("hunt", "machine"), // only inline: `crate::machine::interrupted()`
    ] {
        assert!(
            g.get(from).is_some_and(|s| s.contains(to)),
            "no edge {from} → {to} in {g:#?}"
        );
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle_and_only_a_cycle() {
    let acyclic = graph(&[("a", "b"), ("b", "c"), ("a", "c"), ("d", "a")]);
    assert_eq!(find_cycle(&acyclic), None);
    let cyclic = graph(&[("a", "b"), ("b", "c"), ("c", "d"), ("d", "b"), ("a", "e")]);
    assert_eq!(
        find_cycle(&cyclic).expect("a cycle"),
        ["b", "c", "d", "b"].map(String::from)
    );
    assert_eq!(
        find_cycle(&graph(&[("x", "x")])).expect("a self-loop"),
        ["x", "x"].map(String::from)
    );
}

#[test]
fn paths_are_read_from_code_only() {
    let from = ["a".to_string(), "b".to_string()];
    let src = r#"
use crate::{x, y::z, self as w};
use super::{sibling, super::top};
// crate::in_a_comment
fn f() -> u64 { let s = "crate::in_a_string {"; let c = '{'; crate::machine::now(); 0 }
#[cfg(test)]
mod tests {
    use crate::only_in_tests;
}
mod inner {
    use super::super::up;
}
"#;
    let found = paths_in(&code_only(src), &from);
    let got: Vec<(Vec<String>, Option<usize>, &str)> = found
        .iter()
        .map(|f| (f.from.clone(), f.up, f.first.as_str()))
        .collect();
    let ab = vec!["a".to_string(), "b".to_string()];
    let abi = vec!["a".to_string(), "b".to_string(), "inner".to_string()];
    assert_eq!(
        got,
        [
            (ab.clone(), None, "x"),
            (ab.clone(), None, "y"),
            (ab.clone(), None, "self"),
            (ab.clone(), Some(1), "sibling"),
            (ab.clone(), Some(2), "top"),
            (ab.clone(), None, "machine"),
            (abi, Some(2), "up"),
        ]
    );
    // `super::` from src/a/b.rs stays in `a`; two levels up from a/b/inner too.
    let modules: BTreeSet<String> = ["machine", "x"].map(String::from).into();
    let none = BTreeMap::new();
    assert_eq!(target(&found[3], &modules, &none).as_deref(), Some("a"));
    assert_eq!(target(&found[6], &modules, &none).as_deref(), Some("a"));
    assert_eq!(
        target(&found[5], &modules, &none).as_deref(),
        Some("machine")
    );
    assert_eq!(target(&found[1], &modules, &none), None);
    assert_eq!(target(&found[4], &modules, &none), None); // the root's `top`: not a module
                                                          // From a top-level file, `super::x` is the crate root's `x`.
    let top = Found {
        from: vec!["a".into()],
        up: Some(1),
        first: "x".into(),
    };
    assert_eq!(target(&top, &modules, &none).as_deref(), Some("x"));
}

#[test]
fn file_paths_map_to_module_paths() {
    for (file, module) in [
        ("src/lib.rs", vec![]),
        ("src/hunt.rs", vec!["hunt"]),
        ("src/rt/mod.rs", vec!["rt"]),
        ("src/rt/sched.rs", vec!["rt", "sched"]),
        ("experiments/mod.rs", vec!["experiments"]),
        ("experiments/gil.rs", vec!["experiments", "gil"]),
    ] {
        assert_eq!(module_path(Path::new(file)), module, "{file}");
    }
}

// ---- second-level paths: the runtime's worlds behind the facade ----------------------------

/// The runtime's inner modules, and the only top-level modules that may name them: the
/// worlds are reached through the facade (`rt::Rt` and its types), except by the engines
/// that drive a world (and `rt` itself). The deliberate undefined behaviour is reached by
/// the facade and by `procs` (the shared page), never by an experiment.
const RT_INNER: &[(&str, &[&str])] = &[
    ("rt::sched", &["rt", "hunt", "explore", "play"]),
    ("rt::loom_world", &["rt", "explore", "litmus"]),
    ("rt::rc11", &["rt", "explore", "litmus"]),
    ("rt::racy", &["rt", "procs"]),
    ("rt::native", &["rt"]),
];

/// `(file, inner module)` for every path to an inner module of `rt` outside the modules
/// `RT_INNER` allows (code only; `#[cfg(test)]` modules and the tests are not the library).
fn inner_rt_paths() -> Vec<(String, &'static str)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rs_files(&root.join("src"), &mut files);
    rs_files(&root.join("experiments"), &mut files);
    let mut bad = Vec::new();
    for p in files {
        let rel = p.strip_prefix(root).expect("under the crate").to_path_buf();
        if rel == Path::new("src/main.rs") || rel.starts_with("src/bin") {
            continue;
        }
        let module = module_path(&rel);
        let top = module.first().map_or("", String::as_str);
        let code = code_only(&std::fs::read_to_string(&p).expect("readable"));
        // The library's own code, without its inline test modules.
        let code = without_test_modules(&code);
        for (inner, allowed) in RT_INNER {
            let named = [format!("crate::{inner}"), format!("super::{}", &inner[4..])];
            let here = if top == "rt" {
                false // rt's own modules reach each other as they must
            } else {
                named.iter().any(|n| code.contains(n.as_str()))
                    || code.contains(&format!("rt::{{{}", &inner[4..]))
            };
            if here && !allowed.contains(&top) {
                bad.push((rel.display().to_string(), *inner));
            }
        }
    }
    bad
}

/// `code` (already [`code_only`]) with every `#[cfg(test)] mod x { … }` blanked; a
/// `#[cfg(test)] mod x;` names a file of its own and leaves the rest alone.
fn without_test_modules(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let (brace, semi) = (after.find('{'), after.find(';'));
        match (brace, semi) {
            (Some(b), s) if s.is_none_or(|s| b < s) => {
                let mut depth = 0;
                let mut end = after.len();
                for (i, ch) in after[b..].char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            _ => {
                let end = semi.map_or(after.len(), |s| s + 1);
                rest = &after[end..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn test_modules_are_left_out_and_only_they() {
    let code = "use crate::a;\n#[cfg(test)]\nmod tests;\nfn f() { crate::rt::sched::x(); }\n#[cfg(test)]\nmod t { fn g() { crate::rt::racy::y(); } }\nfn h() {}";
    let kept = without_test_modules(code);
    assert!(kept.contains("crate::rt::sched::x"), "{kept}");
    assert!(!kept.contains("crate::rt::racy"), "{kept}");
    assert!(kept.contains("fn h()"), "{kept}");
}

#[test]
fn experiments_and_printers_reach_the_runtime_only_through_its_facade() {
    let bad = inner_rt_paths();
    assert!(
        bad.is_empty(),
        "paths past the runtime's facade (see RT_INNER): {bad:?}"
    );
}
