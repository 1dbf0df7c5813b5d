//! Exploring in a child process of the lab: the hidden `__explore` command explores and
//! prints its [`ExploreReport`] as JSON; the parent reads it back. loom can abort the whole
//! process (a panic unwinding through a held guard), and `verify` runs many searches in a
//! row: in a child, an abort fails one exploration, never the lab. Ctrl-C is passed on, and
//! the child stops between executions and reports what it explored.

use super::{ExploreConfig, ExploreReport};
use crate::error::{LabError, Result};
use crate::experiment::Opt;

/// Explores `cfg` in a child process. `echo`: the child's stderr (its progress line, its
/// one-line error) goes on to ours, as for a command the user runs; otherwise it is kept,
/// and an error carries the child's last line (a check in `verify`).
pub fn explore_in_child(cfg: &ExploreConfig, echo: bool) -> Result<ExploreReport> {
    let mut args = vec!["__explore".to_string()];
    args.extend(arguments(cfg));
    let what = format!("the {} world's search", cfg.world.name());
    let stdout = crate::machine::answer_of_child(&args, &cfg.cancel, echo, &what)?;
    serde_json::from_slice(&stdout)
        .map_err(|e| LabError::failed(format!("the explore child sent a malformed report: {e}")))
}

/// The `__explore` arguments that reproduce `cfg`.
fn arguments(cfg: &ExploreConfig) -> Vec<String> {
    let p = &cfg.params;
    let mut a: Vec<String> = vec![cfg.exp.name.into()];
    let mut flag = |k: &str, v: String| {
        a.push(k.into());
        a.push(v);
    };
    flag("--threads", p.threads.to_string());
    flag("--iters", p.iters.to_string());
    flag("--world", cfg.world.name().into());
    flag("--max-seconds", cfg.max_seconds.to_string());
    flag("--show", cfg.show.to_string());
    // The child searches on the threads the config says, not on every CPU: `verify --jobs`
    // runs its checks side by side, one thread each.
    flag("--jobs", cfg.jobs.to_string());
    if let Some(n) = cfg.max_executions {
        flag("--max-executions", n.to_string());
    }
    if cfg.exp.takes(Opt::Ordering) {
        flag("--ordering", p.ordering.name().into());
    }
    if p.window > 0 {
        flag("--window", p.window.to_string());
    }
    if p.batch > 1 {
        flag("--batch", p.batch.to_string());
    }
    if let Some(b) = cfg.preemptions {
        flag("--preemptions", b.to_string());
    }
    if cfg.first_failure {
        a.push("--first-failure".into());
    }
    if cfg.spurious_wakeups {
        a.push("--spurious-wakeups".into());
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::{Cli, Command};
    use crate::experiment::Params;
    use crate::explore::World;
    use clap::Parser;

    /// The child explores what the parent asked for: every field `arguments` carries comes
    /// back from the child's command line (the threads to search on too: a child that took
    /// every CPU ran beside `verify`'s other checks on more threads than there are cores).
    #[test]
    fn the_child_arguments_reproduce_the_config() {
        let exp = crate::experiments::all()
            .find(|e| e.name == "racy-atomic")
            .expect("in the catalogue");
        for (world, jobs, first, spurious, preemptions) in [
            (World::Rc11, 1, true, true, None),
            (World::Scheduled, 3, false, false, None),
            (World::Loom, 1, false, false, Some(2)),
        ] {
            let cfg = ExploreConfig {
                max_executions: Some(1234),
                max_seconds: 17.5,
                first_failure: first,
                spurious_wakeups: spurious,
                preemptions,
                show: 2,
                jobs,
                ..ExploreConfig::new(exp, Params::new(3, 2), world)
            };
            let argv = std::iter::once("race-lab".to_string())
                .chain(std::iter::once("__explore".to_string()))
                .chain(arguments(&cfg));
            let Command::ExploreChild(a) = Cli::try_parse_from(argv).expect("parses").command
            else {
                panic!("not the child command")
            };
            let back = crate::commands::explore::config(&a).expect("valid");
            let key = |c: &ExploreConfig| {
                (
                    c.exp.name,
                    c.params.threads,
                    c.params.iters,
                    c.world,
                    c.max_executions,
                    c.max_seconds,
                    c.first_failure,
                    c.spurious_wakeups,
                    c.preemptions,
                    c.show,
                    c.jobs,
                )
            };
            assert_eq!(key(&back), key(&cfg));
        }
    }
}
