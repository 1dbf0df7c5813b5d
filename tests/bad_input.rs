//! A corpus of bad invocations across every subcommand and option: each is refused before
//! anything runs — exit 2, exactly one line on stderr naming the problem, nothing on stdout.

mod common;
use common::refused;

/// (arguments, a substring the one-line message must contain).
const CORPUS: &[(&[&str], &str)] = &[
    // The top level.
    (&[], "race-lab list"),
    (&["rnu"], "did you mean 'run'"),
    (&["explian"], "did you mean 'explain'"),
    (&["lits"], "did you mean 'list'"),
    (&["hnut"], "did you mean 'hunt'"),
    (&["zzzzzz"], "unrecognized subcommand"),
    (&["--bogus"], "--bogus"),
    (&["-x"], "-x"),
    (&["__explore"], "required"),
    // list
    (&["list", "extra"], "unexpected argument"),
    // explain
    (&["explain"], "required"),
    (&["explain", "xyz"], "unknown experiment"),
    (&["explain", ""], "unknown experiment"),
    (&["explain", "mutx"], "did you mean 'mutex'"),
    (&["explain", "atomic", "--bogus"], "--bogus"),
    (&["explain", "atomic", "extra"], "unexpected argument"),
    // run: names
    (&["run"], "required"),
    (&["run", "SB"], "race-lab litmus SB"),
    (&["run", "mp"], "race-lab litmus MP"),
    (&["run", "unsynched"], "did you mean 'unsynced'"),
    (&["run", "xyz"], "race-lab list"),
    (&["run", ""], "unknown experiment"),
    // run: numbers
    (&["run", "atomic", "--threads", "0"], "between 1 and 1024"),
    (
        &["run", "atomic", "--threads", "1025"],
        "between 1 and 1024",
    ),
    (
        &["run", "atomic", "--threads", "-1"],
        "unexpected argument '-1'",
    ),
    (&["run", "atomic", "--threads", "x"], "invalid value"),
    (&["run", "atomic", "--threads"], "a value is required"),
    (&["run", "atomic", "--iters", "0"], "between 1 and"),
    (
        &["run", "atomic", "--iters", "10000000001"],
        "between 1 and 10000000000",
    ),
    (&["run", "atomic", "--iters", "abc"], "invalid value"),
    (&["run", "atomic", "--iters", "1.5"], "invalid value"),
    (&["run", "atomic", "--trials", "0"], "between 1 and 1000000"),
    (
        &["run", "atomic", "--trials", "1000001"],
        "between 1 and 1000000",
    ),
    (&["run", "atomic", "-k", "x"], "invalid value"),
    (
        &[
            "run",
            "unsynced",
            "-t",
            "1024",
            "-i",
            "10000000000",
            "-k",
            "1000000",
        ],
        "past the limit of 10 minutes",
    ),
    (
        &[
            "run",
            "atomic",
            "-t",
            "1000",
            "-i",
            "1000000000",
            "-k",
            "10",
        ],
        "limit of",
    ),
    (
        &["run", "unsynced", "--window", "1000001"],
        "between 0 and 1000000",
    ),
    (
        &["run", "unsynced", "--window", "-1"],
        "unexpected argument '-1'",
    ),
    (
        &["run", "channel", "--batch", "0"],
        "--batch must be between 1",
    ),
    (&["run", "channel", "--batch", "x"], "invalid value"),
    (
        &["run", "deadlock", "--watchdog", "0"],
        "more than 0 and at most 3600",
    ),
    (&["run", "deadlock", "--watchdog", "3601"], "at most 3600"),
    (&["run", "deadlock", "--watchdog", "nan"], "--watchdog"),
    (
        &["run", "deadlock", "--watchdog", "-1"],
        "unexpected argument '-1'",
    ),
    (&["run", "deadlock", "--threads", "1"], "at least 2 threads"),
    // run: options that would be ignored
    (
        &["run", "unsynced", "--watchdog", "3"],
        "--watchdog does not apply",
    ),
    (
        &["run", "atomic", "--watchdog", "1"],
        "--watchdog does not apply",
    ),
    (
        &["run", "mutex", "--ordering", "relaxed"],
        "--ordering does not apply",
    ),
    (
        &["run", "mutex", "--window", "3"],
        "--window does not apply",
    ),
    (&["run", "atomic", "--batch", "2"], "--batch does not apply"),
    (&["run", "atomic", "--procs", "2"], "--procs does not apply"),
    (
        &["run", "atomic", "--sync", "atomic"],
        "--sync does not apply",
    ),
    (&["run", "atomic", "--pool", "2"], "--pool does not apply"),
    (&["run", "atomic", "--tasks", "2"], "--tasks does not apply"),
    (&["run", "atomic", "--ordering", "sloppy"], "sloppy"),
    (&["run", "atomic", "--pin", "x"], "bad --pin"),
    (
        &["run", "atomic", "--pin", ""],
        "--pin needs at least one CPU",
    ),
    (&["run", "atomic", "--pin", "3-1"], "bad --pin"),
    (&["run", "atomic", "--pin", "4097"], "--pin"),
    (&["run", "atomic", "--json", "--json"], "--json"),
    (&["run", "atomic", "extra"], "unexpected argument"),
    // run: process experiments
    (&["run", "gil", "--trials", "3"], "--trials does not apply"),
    (
        &["run", "gil", "--watchdog", "3"],
        "--watchdog does not apply",
    ),
    (
        &["run", "gil", "--threads", "2"],
        "--threads does not apply",
    ),
    (
        &["run", "gil", "--ordering", "relaxed"],
        "--ordering does not apply",
    ),
    (&["run", "gil", "--window", "2"], "--window does not apply"),
    (&["run", "gil", "--batch", "2"], "--batch does not apply"),
    (&["run", "gil", "--pin", "0"], "--pin does not apply"),
    (&["run", "gil", "--procs", "2"], "--procs does not apply"),
    (&["run", "process-shm", "--procs", "0"], "--procs"),
    (
        &["run", "process-shm", "--iters", "0"],
        "between 1 and 1000000000",
    ),
    (
        &["run", "process-shm", "--iters", "1000000001"],
        "between 1 and 1000000000",
    ),
    (
        &["run", "process-shm", "--trials", "0"],
        "between 1 and 10000",
    ),
    (
        &["run", "process-shm", "--trials", "10001"],
        "between 1 and 10000",
    ),
    (&["run", "process-shm", "--sync", "bogus"], "bogus"),
    (
        &["run", "process-shm", "--tasks", "2"],
        "--tasks does not apply",
    ),
    (
        &["run", "pool-submit", "--tasks", "0"],
        "between 1 and 10000",
    ),
    (
        &["run", "pool-submit", "--tasks", "10001"],
        "between 1 and 10000",
    ),
    (&["run", "pool-submit", "--pool", "0"], "--pool"),
    (
        &["run", "spawn-cost", "--tasks", "0"],
        "between 1 and 10000",
    ),
    (
        &["run", "process-isolated", "--sync", "atomic"],
        "--sync does not apply",
    ),
    (&["run", "crash", "--iters", "5"], "--iters does not apply"),
    (
        &["run", "Process-SHM", "--threads", "2"],
        "--threads does not apply",
    ),
    // explore
    (&["explore"], "required"),
    (
        &[
            "explore",
            "racy-atomic",
            "-t",
            "8",
            "-i",
            "10",
            "--world",
            "rc11",
        ],
        "too large for it",
    ),
    (
        &[
            "explore",
            "racy-atomic",
            "--world",
            "scheduled",
            "--graph",
            "/tmp/g.svg",
        ],
        "use --world rc11",
    ),
    (
        &[
            "explore",
            "racy-atomic",
            "--world",
            "rc11",
            "--graph",
            "/tmp/g.png",
        ],
        "must end in .dot",
    ),
    (
        &[
            "explore",
            "racy-atomic",
            "--world",
            "rc11",
            "--graph",
            "/nonexistent/dir/g.svg",
        ],
        "--graph /nonexistent/dir/g.svg",
    ),
    (
        &["explore", "mutex", "--world", "loom", "--spurious-wakeups"],
        "loom never wakes a waiter spuriously",
    ),
    (&["explore", "gil"], "race-lab run gil"),
    (&["explore", "SB"], "race-lab litmus SB"),
    (&["explore", "xyz"], "unknown experiment"),
    (
        &["explore", "racy-atomic", "--preemptions", "256"],
        "between 0 and 255",
    ),
    (
        &["explore", "racy-atomic", "--preemptions", "100000"],
        "between 0 and 255",
    ),
    (
        &["explore", "racy-atomic", "--preemptions", "-1"],
        "unexpected argument '-1'",
    ),
    (
        &["explore", "racy-atomic", "--max-seconds", "0"],
        "more than 0 and at most 86400",
    ),
    (
        &["explore", "racy-atomic", "--max-seconds", "86401"],
        "at most 86400",
    ),
    (
        &["explore", "racy-atomic", "--max-seconds", "nan"],
        "--max-seconds",
    ),
    (
        &["explore", "racy-atomic", "--max-seconds", "x"],
        "invalid value",
    ),
    (
        &["explore", "racy-atomic", "--show", "101"],
        "between 0 and 100",
    ),
    (&["explore", "racy-atomic", "--show", "x"], "invalid value"),
    (&["explore", "racy-atomic", "--world", "mars"], "mars"),
    (
        &[
            "explore",
            "racy-atomic",
            "--world",
            "scheduled",
            "--preemptions",
            "2",
        ],
        "--preemptions",
    ),
    (
        &["explore", "racy-atomic", "--threads", "0"],
        "between 1 and",
    ),
    (&["explore", "racy-atomic", "--iters", "0"], "between 1 and"),
    (
        &["explore", "mutex", "--ordering", "relaxed"],
        "--ordering does not apply",
    ),
    (
        &["explore", "atomic", "--window", "1"],
        "--window does not apply",
    ),
    (
        &["explore", "deadlock", "--threads", "1"],
        "at least 2 threads",
    ),
    (
        &["explore", "racy-atomic", "--ordering", "strong"],
        "strong",
    ),
    (&["explore", "racy-atomic", "--trials", "2"], "--trials"),
    // replay
    (&["replay"], "required"),
    (&["replay", "racy-atomic"], "--schedule"),
    (&["replay", "racy-atomic", "-s", "2"], "only 2 workers"),
    (
        &["replay", "racy-atomic", "-s", "0,a"],
        "malformed schedule entry",
    ),
    (&["replay", "racy-atomic", "-s", "1x0"], "malformed repeat"),
    (&["replay", "racy-atomic", "-s", "1x"], "malformed repeat"),
    (&["replay", "racy-atomic", "-s", "1x1000001"], "1..=1000000"),
    (
        &["replay", "racy-atomic", "-s", "-1"],
        "malformed schedule entry",
    ),
    (
        &["replay", "racy-atomic", "-s", "0", "--step", "--json"],
        "--step and --json",
    ),
    (
        &["replay", "racy-atomic", "-s", "0", "--threads", "65"],
        "between 1 and 64",
    ),
    (
        &["replay", "racy-atomic", "-s", "0", "--threads", "0"],
        "between 1 and 64",
    ),
    (
        &["replay", "racy-atomic", "-s", "0", "--iters", "10001"],
        "between 1 and 10000",
    ),
    (
        &["replay", "racy-atomic", "-s", "0", "--iters", "0"],
        "between 1 and 10000",
    ),
    (&["replay", "gil", "-s", "0"], "race-lab run gil"),
    (&["replay", "SB", "-s", "0"], "race-lab litmus SB"),
    (
        &["replay", "mutex", "-s", "0", "--window", "2"],
        "--window does not apply",
    ),
    (&["replay", "racy-atomic", "-s", "0", "--bogus"], "--bogus"),
    // hunt
    (&["hunt"], "required"),
    (
        &["hunt", "racy-atomic", "--depth", "2"],
        "--depth applies to --strategy pct only",
    ),
    (
        &["hunt", "racy-atomic", "--strategy", "pct", "--depth", "0"],
        "between 1 and 16",
    ),
    (
        &["hunt", "racy-atomic", "--strategy", "pct", "--depth", "17"],
        "between 1 and 16",
    ),
    (&["hunt", "racy-atomic", "--strategy", "bfs"], "bfs"),
    (
        &["hunt", "racy-atomic", "--cases", "0"],
        "--cases must be between 1 and",
    ),
    (
        &["hunt", "racy-atomic", "--cases", "-3"],
        "unexpected argument '-3'",
    ),
    (&["hunt", "racy-atomic", "--cases", "4294967296"], "--cases"),
    (&["hunt", "racy-atomic", "--seed", "x"], "invalid value"),
    (
        &["hunt", "racy-atomic", "--threads", "65"],
        "between 1 and 64",
    ),
    (
        &["hunt", "racy-atomic", "--iters", "10001"],
        "between 1 and 10000",
    ),
    (&["hunt", "gil"], "race-lab run gil"),
    (&["hunt", "IRIW"], "race-lab litmus IRIW"),
    (
        &["hunt", "mutex", "--ordering", "relaxed"],
        "--ordering does not apply",
    ),
    (&["hunt", "racy-atomic", "--schedule", "0"], "--schedule"),
    // compare
    (&["compare", "xyz"], "unknown experiment"),
    (&["compare", "deadlock"], "not a counter experiment"),
    (&["compare", "gil"], "race-lab run gil"),
    (&["compare", "--json", "--csv"], "--json and --csv"),
    (&["compare", "--threads", "0"], "at least 1"),
    (&["compare", "--threads", "1,x"], "expected numbers"),
    (&["compare", "--threads", "100000"], "limit of"),
    (&["compare", "--threads", ""], "--threads"),
    (&["compare", "--iters", "0"], "--iters must be"),
    (
        &["compare", "rendezvous", "--threads", "1,2"],
        "rendezvous takes exactly 2 threads (not 1)",
    ),
    (
        &["compare", "spin-atomic", "--threads", "1"],
        "spin-atomic takes at least 2 threads (not 1)",
    ),
    (
        &["compare", "--iters", "10000000001"],
        "limit of 10000000000",
    ),
    (&["compare", "--trials", "0"], "between 1 and"),
    (
        &["compare", "--batch", "4", "atomic"],
        "--batch applies only to channel",
    ),
    (&["compare", "--batch", "0", "channel"], "at least 1"),
    (&["compare", "--plot", "out.png"], "FILE.svg"),
    (
        &["compare", "--plot", "/no/such/folder/x.svg"],
        "does not exist",
    ),
    (&["compare", "--plot", "/proc/x.svg"], "cannot write there"),
    (
        &["compare", "-i", "10000000000", "-k", "100"],
        "past the limit of 10 minutes",
    ),
    (&["compare", "--bogus"], "--bogus"),
    // litmus
    (&["litmus", "XX"], "unknown litmus test"),
    (&["litmus", ""], "unknown litmus test"),
    (&["litmus", "SB", "nope"], "unknown litmus test 'nope'"),
    (&["litmus", "--iters", "0"], "between 1 and"),
    (&["litmus", "--iters", "x"], "invalid value"),
    (&["litmus", "--iters", "100000000000"], "between 1 and"),
    // Work past about ten minutes on a 2-core machine, refused up front with the flag to
    // lower: hours of schedules, of litmus iterations, of increments.
    (
        &["litmus", "IRIW", "--iters", "5000000"],
        "past the limit of 10 minutes: lower --iters",
    ),
    (
        &[
            "hunt",
            "atomic",
            "-t",
            "2",
            "-i",
            "1",
            "--cases",
            "4294967295",
        ],
        "past the limit of 10 minutes: lower --cases",
    ),
    (
        &["hunt", "atomic", "-t", "64", "-i", "10000"],
        "past the limit of 10 minutes: lower --cases",
    ),
    (
        &["replay", "lost-wakeup", "-t", "1", "--schedule", "0"],
        "lost-wakeup needs at least 2 threads",
    ),
    (
        &["explore", "racy-atomic", "--jobs", "0"],
        "--jobs must be between 1 and 256 (got 0)",
    ),
    (
        &["explore", "racy-atomic", "--jobs", "100000"],
        "--jobs must be between 1 and 256",
    ),
    (
        &["explore", "racy-atomic", "--world", "loom", "--jobs", "2"],
        "loom's search runs on one thread",
    ),
    (&["litmus", "--ordering", "weak"], "weak"),
    (&["litmus", "--threads", "2"], "--threads"),
    (&["litmus", "--bogus"], "--bogus"),
    // claims
    (&["claims", "C0"], "unknown claim id"),
    (&["claims", "C24"], "the claims are C1 to C23"),
    (&["claims", "X"], "unknown claim id"),
    (&["claims", "C5", "nope"], "unknown claim id 'nope'"),
    (&["claims", "--lang", "fr"], "fr"),
    (&["claims", "--bogus"], "--bogus"),
    // completions
    (&["completions"], "required"),
    (&["completions", "tcsh"], "tcsh"),
    (&["completions", "bash", "extra"], "unexpected argument"),
];

#[test]
fn every_bad_invocation_is_refused_in_one_line_before_anything_runs() {
    assert!(CORPUS.len() >= 150, "{} cases", CORPUS.len());
    for (args, needle) in CORPUS {
        refused(args, needle);
    }
}

#[test]
fn value_enums_and_names_ignore_case() {
    // Names: the lesson of the experiment meant, whatever the case.
    for (args, heading) in [
        (&["explain", "MUTEX"][..], "# mutex"),
        (&["explain", "sb"], "# SB"),
        (&["explain", "Process-Shm"], "# process-shm"),
    ] {
        let out = common::lab(args);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}");
        assert!(text.contains(heading), "{args:?}: {text}");
    }
    // Value enums: the value meant, as the JSON report spells it.
    let run = common::json(&[
        "run",
        "atomic",
        "--ordering",
        "SEQCST",
        "-t",
        "1",
        "-i",
        "10",
        "-k",
        "1",
        "--json",
    ]);
    assert_eq!(run["params"]["ordering"], "seqcst", "{run:#}");
    let explore = common::json(&[
        "explore",
        "atomic",
        "--world",
        "Scheduled",
        "-t",
        "2",
        "-i",
        "1",
        "--json",
    ]);
    assert_eq!(explore["world"], "scheduled", "{explore:#}");
    let hunt = common::json(&[
        "hunt",
        "racy-atomic",
        "--strategy",
        "PCT",
        "-i",
        "1",
        "--cases",
        "10",
        "--json",
    ]);
    assert_eq!(hunt["params"]["strategy"], "pct", "{hunt:#}");
}
