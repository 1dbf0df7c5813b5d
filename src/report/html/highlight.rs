//! A kernel's source with Rust's keywords, comments, strings, numbers and types marked for
//! the page's style (a few classes, no dependency).

use super::esc;
use std::fmt::Write as _;

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "dyn",
];

/// Rust source as escaped HTML, with comments, strings, keywords and numbers in spans.
pub fn highlight(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let span = |out: &mut String, class: &str, text: &str| {
        let _ = write!(out, "<span class=\"{class}\">{}</span>", esc(text));
    };
    while i < c.len() {
        let rest = |j: usize| c[i..j].iter().collect::<String>();
        if c[i] == '/' && c.get(i + 1) == Some(&'/') {
            let mut j = i;
            while j < c.len() && c[j] != '\n' {
                j += 1;
            }
            span(&mut out, "c", &rest(j));
            i = j;
        } else if c[i] == '"' {
            let mut j = i + 1;
            while j < c.len() && c[j] != '"' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            let j = (j + 1).min(c.len());
            span(&mut out, "s", &rest(j));
            i = j;
        } else if c[i].is_alphabetic() || c[i] == '_' {
            let mut j = i;
            while j < c.len() && (c[j].is_alphanumeric() || c[j] == '_') {
                j += 1;
            }
            let word = rest(j);
            if KEYWORDS.contains(&word.as_str()) {
                span(&mut out, "k", &word);
            } else if word.chars().next().is_some_and(char::is_uppercase) {
                span(&mut out, "t", &word);
            } else {
                out.push_str(&esc(&word));
            }
            i = j;
        } else if c[i].is_ascii_digit() {
            let mut j = i;
            while j < c.len() && (c[j].is_ascii_alphanumeric() || c[j] == '_') {
                j += 1;
            }
            span(&mut out, "n", &rest(j));
            i = j;
        } else {
            out.push_str(&esc(&c[i].to_string()));
            i += 1;
        }
    }
    out
}
