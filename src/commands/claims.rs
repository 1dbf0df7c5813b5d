//! `race-lab claims`: measure the study notes' claims (C1–C23) with the thread and process
//! experiments, and give each a verdict.

use super::Exit;
use crate::claims::{self, Claim};
use crate::error::Result;
use crate::machine;
use crate::report;
use clap::Args;
use std::io::Write;

#[derive(Args, Debug)]
pub struct ClaimsArgs {
    /// Claim ids to run (default: all), e.g. C5 C14.
    pub ids: Vec<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Language of the claims' text.
    #[arg(long, value_enum, ignore_case = true, default_value_t = Lang::En)]
    pub lang: Lang,
}

/// The language of `race-lab claims`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// The original Chinese of the study notes.
    Zh,
}

/// Validated claims to measure.
pub struct ClaimsConfig {
    pub claims: Vec<&'static Claim>,
    pub lang: Lang,
}

/// Validates the claim ids (none: all of them).
pub fn config(a: &ClaimsArgs) -> Result<ClaimsConfig> {
    let ids: Vec<&str> = a.ids.iter().map(String::as_str).collect();
    Ok(ClaimsConfig {
        claims: claims::select(&ids)?,
        lang: a.lang,
    })
}

/// Measures the chosen claims and prints their verdicts.
pub fn execute(a: &ClaimsArgs, out: &mut dyn Write) -> Result<Exit> {
    let cancel = crate::machine::Cancel::ctrl_c();
    let cfg = config(a)?;
    let visible = !a.json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let (results, warnings) = measure(&cfg, &cancel, visible)?;
    if a.json {
        document(&cfg, &results, warnings, &cancel).write(out)?;
    } else {
        report::claims::text(out, &results, cfg.lang == Lang::Zh)?;
        for w in &warnings {
            writeln!(out, "{w}")?;
        }
        if cancel.requested() {
            writeln!(
                out,
                "interrupted: {} of {} claims measured",
                results.len(),
                cfg.claims.len()
            )?;
        }
    }
    Ok(Exit::ok_unless_interrupted(cancel.requested()))
}

/// `claims --json`'s document (what it prints), for a command that keeps it (`report`).
pub(crate) fn evidence(a: &ClaimsArgs) -> Result<serde_json::Value> {
    let cancel = crate::machine::Cancel::ctrl_c();
    let cfg = config(a)?;
    let (results, warnings) = measure(&cfg, &cancel, false)?;
    Ok(document(&cfg, &results, warnings, &cancel).value())
}

/// Measures the chosen claims (a progress bar on stderr if `visible`): their results, and
/// a warning if other processes used the machine meanwhile.
fn measure(
    cfg: &ClaimsConfig,
    cancel: &crate::machine::Cancel,
    visible: bool,
) -> Result<(Vec<claims::ClaimResult>, Vec<String>)> {
    let total = claims::experiments_needed(&cfg.claims).len() as u64;
    let bar = machine::progress_bar(visible, total, "{pos}/{len} experiments");
    let meter = machine::CpuMeter::start();
    let results = claims::measure(&cfg.claims, cancel, |name| {
        bar.inc(1);
        bar.set_message(name.to_string());
    });
    bar.finish_and_clear();
    Ok((results?, machine::busy_warnings(&meter)))
}

/// The JSON document of the claims measured.
fn document(
    cfg: &ClaimsConfig,
    results: &[claims::ClaimResult],
    warnings: Vec<String>,
    cancel: &crate::machine::Cancel,
) -> report::envelope::Envelope {
    let params = serde_json::json!({
        "ids": cfg.claims.iter().map(|c| c.id).collect::<Vec<_>>(),
        "lang": match cfg.lang { Lang::En => "en", Lang::Zh => "zh" },
    });
    report::claims::document(results, params, warnings, cancel.requested())
}
