//! `race-lab claims`: every claim of the study notes the lab grew from (C1–C23),
//! measured. Each claim names the experiments that test it; the experiments run once per
//! invocation (shared between claims), and each claim's *judge* — a pure function of the
//! measurements, with its thresholds written next to it — gives the verdict and one sentence
//! why. The measurements a judge reads are exactly the evidence the claim shows.
//!
//! Here: the verdicts, the [`Lab`] of measurements and the run that fills it; the claims
//! themselves in `table.rs`, their judges and thresholds in `judges.rs`, and the judges on
//! synthetic measurements in `tests.rs`.

use crate::error::{LabError, Result};
use crate::experiment::Params;
use crate::experiments;
use crate::experiments::{
    atomic, channel, mutex, process_shm, racy_atomic, sharded, spawn_cost, thread_count, unsynced,
};
use crate::machine::Cancel;
use crate::procs::{median, Evidence, Measure, ProcParams, ShmSync};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;

mod judges;
mod table;
#[cfg(test)]
mod tests;

pub use table::CLAIMS;

/// How a claim fares in Rust, on this machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Verdict {
    #[serde(rename = "holds")]
    Holds,
    #[serde(rename = "holds with a nuance")]
    Nuance,
    #[serde(rename = "does not hold in Rust")]
    DoesNotHold,
    /// The machine cannot show it: a speed-up claim on too few CPUs, or CPUs too busy to
    /// scale. Said instead of a verdict that would follow the noise.
    #[serde(rename = "cannot tell on this machine")]
    CannotTell,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Nuance => "holds with a nuance",
            Verdict::DoesNotHold => "does not hold in Rust",
            Verdict::CannotTell => "cannot tell on this machine",
        }
    }
}

/// The unit of a measure a judge read but no experiment produced.
const MISSING: &str = "missing";

/// The evidence of the lab's thread counters, run by [`counters`] (not a process
/// experiment), as the claims name it.
const COUNTERS: &str = "counters";
/// The counters it runs: the racy ones, then the fixes.
const COUNTED: [&str; 6] = [
    unsynced::EXPERIMENT.name,
    racy_atomic::EXPERIMENT.name,
    atomic::EXPERIMENT.name,
    mutex::EXPERIMENT.name,
    channel::EXPERIMENT.name,
    sharded::EXPERIMENT.name,
];

/// The measure of how many of counter `name`'s trials lost updates.
fn counter_lossy(name: &str) -> String {
    format!("{name} 8x200000: trials losing updates (of 3)")
}

/// The measure of what an increment of counter `name` cost.
fn counter_cost(name: &str) -> String {
    format!("{name}: cost")
}

/// A judge: the verdict on a claim and one sentence why, from the measurements alone.
type Judge = fn(&Lab) -> (Verdict, String);

/// One claim of the study notes.
pub struct Claim {
    pub id: &'static str,
    pub section: u8,
    pub en: &'static str,
    pub zh: &'static str,
    /// The experiments whose evidence it reads.
    pub experiments: &'static [&'static str],
    judge: Judge,
}

/// A claim, measured.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimResult {
    pub id: &'static str,
    pub section: u8,
    pub text: &'static str,
    pub text_zh: &'static str,
    pub experiments: &'static [&'static str],
    /// Every measurement the verdict was computed from (unit `missing` if an experiment did
    /// not produce it: a bug).
    pub evidence: Vec<Measure>,
    pub verdict: Verdict,
    pub why: String,
}

/// The measurements gathered so far, by experiment, and the CPUs they ran on. Judges read it
/// through [`Lab::get`], which also records what they read: that record is the evidence.
pub struct Lab {
    evidence: HashMap<&'static str, Evidence>,
    cpus: f64,
    read: RefCell<Vec<Measure>>,
}

impl Lab {
    /// An empty lab for a machine of `cpus` CPUs.
    pub fn new(cpus: usize) -> Self {
        Lab {
            evidence: HashMap::new(),
            cpus: cpus as f64,
            read: RefCell::new(Vec::new()),
        }
    }

    /// Adds the evidence of experiment `name` (as the claims name it).
    pub fn insert(&mut self, name: &'static str, ev: Evidence) {
        self.evidence.insert(name, ev);
    }

    /// Measure `measure` of experiment `exp` (NaN if missing, which fails every threshold),
    /// recorded as evidence.
    fn get(&self, exp: &str, measure: &str) -> f64 {
        let found = self
            .evidence
            .get(exp)
            .and_then(|ev| ev.measures.iter().find(|m| m.name == measure));
        let m = match found {
            Some(m) => Measure {
                name: format!("{exp}: {}", m.name),
                ..m.clone()
            },
            None => Measure {
                name: format!("{exp}: {measure}"),
                value: f64::NAN,
                unit: MISSING.into(),
            },
        };
        let v = m.value;
        self.read.borrow_mut().push(m);
        v
    }

    /// A yes/no measure: true only if it was measured as 1.
    fn yes(&self, exp: &str, measure: &str) -> bool {
        self.get(exp, measure) == 1.0
    }

    /// Every measure of `exp` whose name starts with `prefix`, recorded as evidence.
    fn all(&self, exp: &str, prefix: &str) -> Vec<f64> {
        let names: Vec<String> = self
            .evidence
            .get(exp)
            .map(|ev| {
                ev.measures
                    .iter()
                    .filter(|m| m.name.starts_with(prefix))
                    .map(|m| m.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        names.iter().map(|n| self.get(exp, n)).collect()
    }

    /// Measures shown beside a verdict for context, without deciding it.
    fn show(&self, exp: &str, measures: &[&str]) {
        for m in measures {
            self.get(exp, m);
        }
    }

    /// Judges `claim` on what this lab holds.
    pub fn judge(&self, claim: &Claim) -> ClaimResult {
        self.read.borrow_mut().clear();
        let (verdict, why) = (claim.judge)(self);
        let mut evidence = self.read.take();
        // A measure read twice is shown once.
        let mut seen = std::collections::HashSet::new();
        evidence.retain(|m| seen.insert(m.name.clone()));
        ClaimResult {
            id: claim.id,
            section: claim.section,
            text: claim.en,
            text_zh: claim.zh,
            experiments: claim.experiments,
            evidence,
            verdict,
            why,
        }
    }
}

/// The parameters each experiment runs with for the claims: small enough that all 23 claims
/// take well under a minute on 2 CPUs.
fn params_for(name: &str, cancel: &Cancel) -> ProcParams {
    let base = ProcParams {
        procs: 4,
        iters: 200_000,
        trials: 3,
        sync: ShmSync::Atomic,
        pool: 4,
        tasks: 8,
        cancel: cancel.clone(),
    };
    match name {
        n if n == spawn_cost::EXPERIMENT.name => ProcParams { tasks: 20, ..base },
        n if n == thread_count::EXPERIMENT.name => ProcParams { procs: 8, ..base },
        process_shm::SYNC_NONE => ProcParams {
            sync: ShmSync::None,
            ..base
        },
        _ => base,
    }
}

/// The claims `ids` name (all of them for none), or the first unknown id as an error.
pub fn select(ids: &[&str]) -> Result<Vec<&'static Claim>> {
    Ok(if ids.is_empty() {
        CLAIMS.iter().collect()
    } else {
        ids.iter()
            .map(|id| {
                let up = id.to_uppercase();
                CLAIMS.iter().find(|c| c.id == up).ok_or_else(|| {
                    LabError::usage(format!("unknown claim id '{id}': the claims are C1 to C23"))
                })
            })
            .collect::<Result<Vec<&'static Claim>>>()?
            .into_iter()
            .fold(Vec::new(), |mut v, c| {
                // A claim named twice is measured once (as compare and litmus do).
                if !v.iter().any(|x: &&Claim| x.id == c.id) {
                    v.push(c);
                }
                v
            })
    })
}

/// The experiments `chosen` read their evidence from, each once.
pub fn experiments_needed(chosen: &[&Claim]) -> Vec<&'static str> {
    let mut needed: Vec<&'static str> = chosen
        .iter()
        .flat_map(|c| c.experiments.iter().copied())
        .collect();
    needed.sort_unstable();
    needed.dedup();
    needed
}

/// Runs what `chosen` need; `progress` is called after each experiment.
pub fn measure(
    chosen: &[&'static Claim],
    cancel: &Cancel,
    mut progress: impl FnMut(&str),
) -> Result<Vec<ClaimResult>> {
    let mut lab = Lab::new(crate::machine::cpus());
    let mut measured: Vec<&str> = Vec::new();
    for name in experiments_needed(chosen) {
        if cancel.requested() {
            break; // Ctrl-C: judge the claims whose experiments all ran
        }
        let ev = match name {
            COUNTERS => counters()?,
            _ => {
                let base = name.split(" --").next().unwrap_or(name);
                let exp = experiments::find_process(base).ok_or_else(|| {
                    LabError::failed(format!("claims name an unknown experiment '{name}'"))
                })?;
                (exp.run)(&params_for(name, cancel))?
            }
        };
        lab.insert(name, ev);
        measured.push(name);
        progress(name);
    }
    let results: Vec<ClaimResult> = chosen
        .iter()
        .filter(|c| c.experiments.iter().all(|e| measured.contains(e)))
        .map(|c| lab.judge(c))
        .collect();
    // A judge reading a measure no experiment produced is a bug, not a verdict.
    for r in &results {
        if let Some(m) = r.evidence.iter().find(|m| m.unit == MISSING) {
            return Err(LabError::failed(format!(
                "claim {} reads '{}', which its experiment did not measure: a bug in the lab",
                r.id, m.name
            )));
        }
    }
    Ok(results)
}

/// The thread counters of the lab, run natively: which lose updates, which do not, and what
/// a channel message and a shared atomic cost between threads.
fn counters() -> Result<Evidence> {
    let mut ev = Evidence::new(COUNTERS);
    for name in COUNTED {
        let exp = experiments::find(name).ok_or_else(|| LabError::failed("missing experiment"))?;
        let p = Params::new(8, 200_000);
        let mut lossy = 0;
        let mut ns = Vec::new();
        for _ in 0..3 {
            let r = (exp.kernels.native)(&p);
            lossy += (r.value() < p.expected()) as u32;
            ns.extend(r.elapsed.map(|d| d.as_nanos() as f64 / p.expected() as f64));
        }
        ev.push(counter_lossy(name), lossy as f64, "trials");
        ev.push(
            counter_cost(name),
            median(&ns).unwrap_or(f64::NAN),
            "ns/increment",
        );
    }
    Ok(ev)
}
