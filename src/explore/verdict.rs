//! The verdict of an exploration: the report's first line (proved, FOUND, FORBIDDEN,
//! INCOMPLETE, in whose words), and the order failing executions are shown in.

use super::*;

pub(super) fn verdict(exp: &Experiment, p: &Params, r: &ExploreReport) -> String {
    let head = format!("{} {}x{}", exp.name, p.threads, p.iters);
    let values = r
        .outcomes
        .iter()
        .map(|o| {
            if o.outcome.is_value() {
                o.value.to_string()
            } else {
                format!("({})", o.label)
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    let sc = r.world == WORLD_SCHEDULED;
    let rc11 = r.world == rc11::WORLD_RC11;
    let scope = if r.complete {
        match r.preemption_bound {
            Some(b) => format!(
                "all {} executions with at most {b} preemptions",
                r.executions
            ),
            None if sc && r.executions == 1 => {
                "the only class of sequentially consistent interleavings".to_string()
            }
            None if sc => format!(
                "all {} classes of sequentially consistent interleavings",
                r.executions
            ),
            None if rc11 && r.executions == 1 => {
                "the only RC11-consistent execution graph".to_string()
            }
            None if rc11 => format!("all {} RC11-consistent execution graphs", r.executions),
            None => format!("all {} executions", r.executions),
        }
    } else {
        format!("{} executions (INCOMPLETE: not a proof)", r.executions)
    };
    if let Some(race) = &r.race {
        let what = if race.use_after_free {
            "USE AFTER FREE"
        } else {
            "DATA RACE"
        };
        return format!(
            "{head}: {what} after {}: {}",
            plural(r.executions, "execution"),
            race.summary
        );
    }
    if let Some(d) = &r.deadlock {
        if sc || rc11 {
            // `deadlock: T0 waits for B; …` → `DEADLOCK: T0 waits for B; …`
            let shout = match d.summary.split_once(':') {
                Some((kind, rest)) => format!("{}:{rest}", kind.to_uppercase()),
                None => d.summary.clone(),
            };
            if d.livelock {
                return format!(
                    "{head}: {shout} (found after {} executions; the search stops at the first livelock)",
                    r.executions
                );
            }
            if !r.complete {
                return format!(
                    "{head}: {shout} (found in the {} executions explored; the search stopped there)",
                    r.executions
                );
            }
            return format!("{head}: {shout} (found among {scope})");
        }
        return format!(
            "{head}: DEADLOCK after {} executions: {}",
            r.executions, d.summary
        );
    }
    if r.forbidden {
        return format!(
            "FORBIDDEN: {head}: outcomes {{{values}}} over {scope}{}",
            false_alarm(exp, r)
        );
    }
    if r.failing_executions > 0 {
        // What went wrong, in the experiment's words (a counter's: lost updates): the most
        // serious failure seen, and how often it was seen.
        let (what, seen) = match exp.judge {
            None => ("lost updates", r.failing_executions),
            Some(_) => worst_failure(r).unwrap_or(("failures", r.failing_executions)),
        };
        let rest = match r.failing_executions - seen {
            0 => String::new(),
            n => format!(" (and {n} more failing in other ways)"),
        };
        return format!(
            "{head}: {what} in {seen} of {scope}{rest}; outcomes {}{{{values}}}{}",
            within(r),
            false_alarm(exp, r)
        );
    }
    let v = match exp.class {
        Class::Fixed if r.complete && sc => format!(
            "{head}: exact in {scope}; outcomes {{{values}}} — proved for this size under sequential consistency"
        ),
        Class::Fixed if r.complete && rc11 => format!(
            "{head}: exact in {scope}; outcomes {{{values}}} — proved for this size under RC11"
        ),
        Class::Fixed if r.complete && r.preemption_bound.is_none() => {
            format!("{head}: exact in {scope}; outcomes {{{values}}} — proved for this size")
        }
        // A bug of weak memory, searched under sequential consistency: the kernel is proved
        // here, and the verdict says why that is not the end of the story.
        _ if r.complete && sc && exp.class.is_broken() && !exp.bug_shows_in.scheduled && exp.bug_shows_in.loom => format!(
            "{head}: no failure in {scope}; outcomes {{{values}}} — proved under sequential consistency: the bug needs weak memory (`--world rc11` shows it)"
        ),
        _ => format!("{head}: no failure in {scope}; outcomes {{{values}}}"),
    };
    v.replace("; outcomes {", &format!("; outcomes {}{{", within(r)))
}

/// The most serious failure a search saw, in the experiment's words, and in how many
/// executions: the worst grade first (FORBIDDEN before INTERESTING), then the meaning seen
/// most often (`peterson`: two threads inside at once, before the updates that loses).
fn worst_failure(r: &ExploreReport) -> Option<(&str, u64)> {
    Grade::worst(
        r.outcomes
            .iter()
            .map(|o| (o.meaning.as_str(), o.grade, o.executions)),
    )
}

/// Puts the failing executions whose meaning is the headline's (the most serious failure)
/// first, keeping the order otherwise, so that the timeline shown first is the one the
/// verdict names.
pub(super) fn worst_first<T>(
    r: &ExploreReport,
    shown: &mut [T],
    meaning: impl Fn(&T) -> &'static str,
) {
    if let Some((worst, _)) = worst_failure(r) {
        let worst = worst.to_string();
        shown.sort_by_key(|x| meaning(x) != worst);
    }
}

/// `1 execution`, `2 executions`.
pub fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// For a fix that declares loom's false alarm, searched under loom: what the alarm is.
pub fn false_alarm(exp: &Experiment, r: &ExploreReport) -> &'static str {
    if exp.loom_false_alarm && r.world == WORLD_LOOM {
        " — a declared loom false alarm: loom treats SeqCst accesses as AcqRel; \
         `--world rc11` proves it under RC11, `--world scheduled` under sequential consistency"
    } else {
        ""
    }
}

/// "within the bound " before an outcome set a preemption bound may have left incomplete.
fn within(r: &ExploreReport) -> &'static str {
    if r.preemption_bound.is_some() {
        "within the bound "
    } else {
        ""
    }
}
