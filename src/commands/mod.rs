//! The command line: the clap types, the dispatch, and the one place where a command's
//! `Exit` becomes a process exit status and its message one line on stderr.
//!
//! Each subcommand lives in its own module and reads the same way: its arguments (clap),
//! `config(&Args)` which validates everything and builds the engine's configuration, the
//! engine call, then the printer from [`crate::report`]. Checks shared by several commands
//! are in `validate.rs`.

pub(crate) mod claims;
pub mod compare;
pub(crate) mod exit;
pub(crate) mod explain;
pub(crate) mod explore;
pub(crate) mod hunt;
pub(crate) mod list;
pub(crate) mod litmus;
pub(crate) mod play;
pub(crate) mod replay;
pub(crate) mod report;
pub(crate) mod run;
pub(crate) mod validate;
pub(crate) mod verify;

pub(crate) use exit::Exit;

use crate::error::Result;
use crate::machine;
use crate::rt::MemOrder;
use clap::{Args, Parser, Subcommand};
use std::io::Write;

/// The lab's command line.
#[derive(Parser, Debug)]
#[command(
    name = "race-lab",
    version,
    about = "A race-condition laboratory: see updates get lost, then prove the fixes correct",
    after_help = "Start with: race-lab run unsynced --threads 8   then: race-lab explore racy-atomic --threads 2 --iters 3"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// One subcommand and its arguments; each variant's arguments live in its module.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// List the experiments.
    #[command(after_help = "Examples:\n  race-lab list\n  race-lab list | grep fixed")]
    List(list::ListArgs),
    /// Run an experiment on real threads: per-trial counts, outcome histogram, verdict, cost.
    #[command(
        after_help = "Examples:\n  race-lab run unsynced --threads 8\n  race-lab run atomic --threads 4 --iters 1000000 --trials 5\n  race-lab run process-shm --procs 4 --sync none"
    )]
    Run(run::RunArgs),
    /// Print an experiment's lesson and its kernel's source.
    #[command(
        after_help = "Examples:\n  race-lab explain racy-atomic\n  race-lab explain SB\n  race-lab explain gil --json"
    )]
    Explain(explain::ExplainArgs),
    /// Model-check an experiment with loom: every interleaving, outcome counts, failing timelines.
    #[command(
        after_help = "Examples:\n  race-lab explore racy-atomic --threads 2 --iters 3\n  race-lab explore cas --threads 3 --iters 2 --preemptions 2\n  race-lab explore atomic --world scheduled --threads 5 --iters 1"
    )]
    Explore(explore::ExploreArgs),
    /// Run one interleaving, chosen by a schedule, and print its timeline.
    #[command(after_help = replay::REPLAY_HELP)]
    Replay(replay::ReplayArgs),
    /// Let proptest search schedules for a failure and shrink it to a minimal one.
    #[command(after_help = replay::HUNT_HELP)]
    Hunt(hunt::HuntArgs),
    /// Every experiment at every thread count: cost, throughput, lost updates, against the hardware.
    #[command(
        after_help = "Examples:\n  race-lab compare\n  race-lab compare atomic mutex sharded --threads 1,2,4 --plot compare.svg\n  race-lab compare --json > compare.json"
    )]
    Compare(compare::CompareArgs),
    /// Memory-model litmus tests (SB, MP, LB, IRIW, 2+2W, WRC, CoRR, S): the model, this CPU, loom.
    #[command(
        after_help = "Examples:\n  race-lab litmus SB\n  race-lab litmus MP --ordering acqrel\n  race-lab litmus --iters 100000 --json"
    )]
    Litmus(litmus::LitmusArgs),
    /// Measure every claim of the study notes (C1–C23) and give each a verdict.
    #[command(
        after_help = "Examples:\n  race-lab claims C5 C14\n  race-lab claims --lang zh\n  race-lab claims --json"
    )]
    Claims(claims::ClaimsArgs),
    /// Write the evidence as one self-contained HTML page (measured afresh, or from saved --json outputs).
    Report(report::ReportArgs),
    /// Check every promise of the catalogue (fixes proved, bugs found, litmus against the model); for CI.
    Verify(verify::VerifyArgs),
    /// You are the scheduler: step the threads yourself until the bug shows (a game).
    Play(play::PlayArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  race-lab completions bash > ~/.local/share/bash-completion/completions/race-lab\n  race-lab completions zsh > ~/.zfunc/_race-lab\n  race-lab completions fish > ~/.config/fish/completions/race-lab.fish"
    )]
    Completions(CompletionsArgs),
    /// (internal) print the man page (docs/race-lab.1 is this output).
    #[command(name = "__man", hide = true)]
    Man,
    /// (internal) explore in a child process and print the report as JSON.
    #[command(name = "__explore", hide = true)]
    ExploreChild(explore::ExploreArgs),
    /// (internal) explore one litmus test under loom in a child process; print its outcomes.
    #[command(name = "__litmus-loom", hide = true)]
    LitmusLoomChild(litmus::LitmusArgs),
}

/// `race-lab completions`.
#[derive(Args, Debug)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, ignore_case = true)]
    pub shell: clap_complete::Shell,
}

/// The man page, rendered by clap_mangen from the command line itself.
pub fn man_page(out: &mut dyn Write) -> std::io::Result<()> {
    use clap::CommandFactory;
    clap_mangen::Man::new(Cli::command()).render(out)
}

/// Options every command that runs a kernel takes.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct Common {
    /// The experiment (see `race-lab list`).
    pub experiment: String,
    /// Worker threads.
    #[arg(long, short = 't')]
    pub threads: Option<usize>,
    /// Increments per thread.
    #[arg(long, short = 'i')]
    pub iters: Option<u64>,
    /// Memory ordering of the atomic accesses (experiments that take it).
    #[arg(long, value_enum, ignore_case = true)]
    pub ordering: Option<MemOrder>,
    /// Units of busy work between a load and its store (widens the race window).
    #[arg(long)]
    pub window: Option<u32>,
    /// Increments summed locally per message (`channel`).
    #[arg(long)]
    pub batch: Option<u64>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

impl Common {
    /// `experiment` with every option at its default (what a command line naming only the
    /// experiment gives).
    pub(crate) fn of(experiment: &str) -> Self {
        Common {
            experiment: experiment.into(),
            ..Common::default()
        }
    }
}

/// What the commands read besides their arguments: a program's own experiments, added to
/// the built-in catalogue (see `examples/hand_locks.rs`) for the rest of the process (one
/// `Lab` per process: a second one with other experiments is refused). A program that passes them is a
/// race-lab front end of its own: `run`, `explore` (whose loom child re-executes the same
/// program), `hunt`, `replay` and `list` all find them.
#[derive(Default)]
#[non_exhaustive]
pub struct Lab {
    pub experiments: Vec<&'static crate::experiment::Experiment>,
}

impl Lab {
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds experiments declared outside the lab.
    pub fn with(mut self, experiments: &[&'static crate::experiment::Experiment]) -> Self {
        self.experiments.extend_from_slice(experiments);
        self
    }
}

/// Runs one parsed command, writing its report to `out`.
fn execute(cli: Cli, out: &mut dyn Write) -> Result<Exit> {
    match cli.command {
        Command::List(a) => list::execute(&a, out),
        Command::Explain(a) => explain::execute(&a, out),
        Command::Run(a) => run::execute(&a, out),
        Command::Explore(a) => explore::execute(&a, out),
        Command::ExploreChild(a) => explore::execute_child(&a, out),
        Command::Replay(a) => replay::execute(&a, out),
        Command::Hunt(a) => hunt::execute(&a, out),
        Command::Compare(a) => compare::execute(&a, out),
        Command::Litmus(a) => litmus::execute(&a, out),
        Command::LitmusLoomChild(a) => litmus::execute_child(&a, out),
        Command::Claims(a) => claims::execute(&a, out),
        Command::Verify(a) => verify::execute(&a, out),
        Command::Report(a) => report::execute(&a, out),
        Command::Play(a) => play::execute(&a, out),
        Command::Completions(a) => {
            use clap::CommandFactory;
            // Generated in memory, then written: clap_complete panics on a failed write, and
            // a closed pipe or a full disk is the lab's to report (exit 0 for a closed pipe).
            let mut script = Vec::new();
            clap_complete::generate(a.shell, &mut Cli::command(), "race-lab", &mut script);
            out.write_all(&script)?;
            Ok(Exit::Ok)
        }
        Command::Man => {
            man_page(out)?;
            Ok(Exit::Ok)
        }
    }
}

/// Parses `args`, runs the command, prints any message as one line; returns the exit code.
pub fn main_with(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    main_with_lab(args, &Lab::default())
}

/// [`main_with`], reading `lab` (the place for a user's own catalogue).
pub fn main_with_lab(args: impl IntoIterator<Item = std::ffi::OsString>, lab: &Lab) -> i32 {
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    if args.get(1).is_some_and(|a| a == "__worker") {
        // A child process of the lab, speaking the worker protocol of `procs` (not a
        // command: its status is the protocol's). No Ctrl-C handler: a Ctrl-C ends it at once.
        let rest: Vec<String> = args[2..]
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        return crate::procs::worker_main(&rest, crate::experiments::run_child);
    }
    if let Err(why) = crate::experiments::extend(&lab.experiments) {
        eprintln!("race-lab: {why}");
        return Exit::Usage(String::new()).code();
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let exit = match Cli::try_parse_from(args) {
        Err(e) => parse_error(e),
        Ok(cli) => {
            // The loom child hears the same Ctrl-C (one process group): it stops between
            // executions and sends what it explored to its parent, which prints it.
            machine::install_ctrlc();
            execute(cli, &mut out).unwrap_or_else(Exit::from)
        }
    };
    let _ = out.flush();
    if let Some(message) = exit.message() {
        eprintln!("race-lab: {message}");
    }
    exit.code()
}

/// clap's verdict on the arguments: help and version are printed and succeed; a missing
/// subcommand is a usage error with one line of what to try; any other error is one line,
/// with clap's hint to try `--help`.
fn parse_error(e: clap::Error) -> Exit {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            Exit::Ok
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Exit::Usage(BARE.into()),
        ErrorKind::InvalidSubcommand => {
            let given = match e.get(ContextKind::InvalidSubcommand) {
                Some(ContextValue::String(s)) => s.clone(),
                _ => String::new(),
            };
            use clap::CommandFactory;
            let cmd = Cli::command();
            let names = cmd
                .get_subcommands()
                .filter(|c| !c.is_hide_set())
                .map(|c| c.get_name());
            let hint = match validate::nearest_of(&given, names) {
                Some(n) => format!("; did you mean '{n}'?"),
                None => String::new(),
            };
            Exit::Usage(format!(
                "unrecognized subcommand '{given}'{hint} (try 'race-lab --help')"
            ))
        }
        _ => Exit::Usage(one_line(&e.render().to_string())),
    }
}

/// What a bare `race-lab` prints (one line, on stderr, exit 2).
pub(crate) const BARE: &str = "usage: race-lab <COMMAND> [OPTIONS]; try `race-lab list`, `race-lab run unsynced --threads 8` or `race-lab --help`";

/// Folds clap's multi-line error into one line: the error, the possible values if any,
/// and clap's hint to try `--help`.
fn one_line(s: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for line in s.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("Usage:") {
            continue;
        }
        let line = line.trim_start_matches("error: ");
        match line.strip_prefix("For more information, ") {
            Some(hint) => parts.push(format!("({})", hint.trim_end_matches('.'))),
            None => parts.push(line.to_string()),
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_errors_fold_into_one_line() {
        let e =
            Cli::try_parse_from(["race-lab", "run", "atomic", "--ordering", "sloppy"]).unwrap_err();
        let exit = parse_error(e);
        assert_eq!(exit.code(), 2);
        let m = exit.message().unwrap();
        assert!(
            !m.contains('\n') && m.contains("sloppy") && !m.contains("Usage:"),
            "{m}"
        );
    }

    /// Runs a command in this process, its report captured.
    fn run_cli(args: &[&str]) -> (Exit, String) {
        let cli = Cli::try_parse_from(std::iter::once("race-lab").chain(args.iter().copied()))
            .expect("parses");
        let mut out = Vec::new();
        let exit = execute(cli, &mut out).unwrap_or_else(Exit::from);
        (exit, String::from_utf8(out).expect("UTF-8"))
    }

    #[test]
    fn commands_write_to_any_writer_and_return_their_exit() {
        let (exit, text) = run_cli(&["explain", "SB"]);
        assert_eq!(exit, Exit::Ok);
        assert!(text.contains("(experiments/litmus_sb.rs)"), "{text}");
        let (exit, text) = run_cli(&["list"]);
        assert_eq!(exit, Exit::Ok);
        assert!(
            text.contains("litmus tests (SB, MP, LB, IRIW, 2+2W, WRC, CoRR, S)"),
            "{text}"
        );
        let (exit, text) = run_cli(&["replay", "racy-atomic", "--schedule", "0,1"]);
        assert_eq!(exit, Exit::Ok);
        assert!(text.contains("final 1 (expected 2)"), "{text}");
        // Refused before anything ran: exit 2, nothing written.
        let (exit, text) = run_cli(&["explain", "nope"]);
        assert_eq!(exit.code(), 2);
        assert!(exit
            .message()
            .is_some_and(|m| m.contains("unknown experiment")));
        assert!(text.is_empty(), "{text}");
        let (exit, text) = run_cli(&["hunt", "racy-atomic", "--depth", "2"]);
        assert_eq!(
            exit,
            Exit::Usage("--depth applies to --strategy pct only".into())
        );
        assert!(text.is_empty(), "{text}");
    }

    /// What `report` builds as values is what clap builds from a command line naming only
    /// the experiment: the defaults cannot drift apart.
    #[test]
    fn the_arguments_report_asks_with_are_claps_defaults() {
        let parsed = |line: &[&str]| {
            let cli = Cli::try_parse_from(std::iter::once("race-lab").chain(line.iter().copied()))
                .expect("parses");
            format!("{:?}", cli.command)
        };
        let x = || Common::of("racy-atomic");
        assert_eq!(
            parsed(&["explore", "racy-atomic"]),
            format!("{:?}", Command::Explore(explore::ExploreArgs::of(x())))
        );
        assert_eq!(
            parsed(&["hunt", "racy-atomic"]),
            format!("{:?}", Command::Hunt(hunt::HuntArgs::of(x())))
        );
        let run = run::RunArgs {
            common: x(),
            ..run::RunArgs::default()
        };
        assert_eq!(
            parsed(&["run", "racy-atomic"]),
            format!("{:?}", Command::Run(run))
        );
    }

    /// A command's evidence (what `report` keeps) is the document it prints with `--json`,
    /// but for the seconds it took and the machine's load meanwhile.
    #[test]
    fn a_commands_evidence_is_what_it_prints_with_json() {
        let steady = |mut v: serde_json::Value| {
            if let Some(m) = v.as_object_mut() {
                m.remove("seconds");
                m.remove("machine");
            }
            v
        };
        let printed = |line: &[&str]| {
            let (exit, text) = run_cli(line);
            assert_eq!(exit, Exit::Ok, "{line:?}");
            steady(serde_json::from_str(&text).expect("JSON"))
        };
        let common = || Common {
            threads: Some(2),
            iters: Some(1),
            json: true,
            ..Common::of("racy-atomic")
        };
        let size = ["racy-atomic", "--threads", "2", "--iters", "1", "--json"];
        let explore = explore::ExploreArgs {
            world: Some(crate::explore::World::Scheduled),
            jobs: Some(1),
            ..explore::ExploreArgs::of(common())
        };
        let line = [
            &["explore"],
            &size[..],
            &["--world", "scheduled", "--jobs", "1"],
        ]
        .concat();
        let kept = explore::evidence(&explore).expect("explores");
        assert_eq!(printed(&line), steady(kept));
        let kept = hunt::evidence(&hunt::HuntArgs::of(common())).expect("hunts");
        let hunted = printed(&[&["hunt"], &size[..]].concat());
        assert!(hunted["found"] == true, "{hunted}");
        assert_eq!(hunted, steady(kept));
        let replay = replay::ReplayArgs {
            common: common(),
            schedule: "0,1".into(),
            step: false,
            full: false,
        };
        let kept = replay::evidence(&replay).expect("replays");
        let line = [&["replay"], &size[..], &["--schedule", "0,1"]].concat();
        assert_eq!(printed(&line), steady(kept));
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
