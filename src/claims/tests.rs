//! The judges on synthetic measurements: each claim's verdict on what a typical machine
//! measures, then on contrary measurements that must change it.

use super::judges::*;
use super::*;

/// What a 2-CPU machine typically measures: every measure some judge reads.
fn typical() -> Vec<(&'static str, &'static str, f64)> {
    let mut m = vec![
        ("parallelism", TURNS, 2.0),
        ("parallelism", PINNED_LOSSY, 2.0),
        ("parallelism", ALL_CPUS, 1.9),
        ("parallelism", "one CPU-bound thread", 100.0),
        ("parallelism", "two threads pinned to CPU 0", 200.0),
        ("parallelism", "two threads on all CPUs", 105.0),
        ("cpu-vs-io", "CPU-bound, 2 threads: speed-up", 1.9),
        ("cpu-vs-io", "CPU-bound, 8 threads: speed-up", 1.9),
        ("cpu-vs-io", "CPU-bound, 8 processes: speed-up", 1.9),
        ("cpu-vs-io", "I/O-bound, 8 threads: speed-up", 7.5),
        ("cpu-vs-io", "I/O-bound, 8 processes: speed-up", 6.0),
        ("pool-submit", "thread pool, apply (blocking)", 161.0),
        ("pool-submit", "process pool, apply (blocking)", 162.0),
        (
            "pool-submit",
            "thread pool, apply_async (non-blocking)",
            40.0,
        ),
        (
            "pool-submit",
            "process pool, apply_async (non-blocking)",
            41.0,
        ),
        ("pool-submit", "sum of task times (N × 20 ms)", 160.0),
        ("pool-submit", "waves × task time (⌈N/P⌉ × 20 ms)", 40.0),
        ("process-isolated", "parent count after the children", 0.0),
        ("process-isolated", "child 0 count", 5000.0),
        ("process-isolated", "child 1 count", 5000.0),
        ("process-isolated", "parent count after one thread", 5000.0),
        ("crash", "panicking thread: join returned Err", 1.0),
        ("crash", "std Mutex poisoned afterwards", 1.0),
        ("crash", "parking_lot Mutex usable afterwards", 1.0),
        ("crash", SURVIVED, 1.0),
        ("crash", "child with an aborting thread: signal", 6.0),
        ("crash", "segfaulting child: signal", 11.0),
        ("crash", "parent still running after both", 1.0),
        ("process-create", "square(7) in child", 49.0),
        ("process-create", "cube(3) in child", 27.0),
        (
            "process-create",
            "children that ran in a process of their own",
            2.0,
        ),
        ("spawn-cost", "thread spawn+join", 60.0),
        ("spawn-cost", "process spawn+wait (true)", 700.0),
        ("spawn-cost", "re-exec of race-lab (worker)", 1500.0),
        ("spawn-cost", "task on a reused thread pool", 10.0),
        ("spawn-cost", "task on a reused process pool", 30.0),
        ("spawn-cost", "process / thread creation", 12.0),
        ("spawn-cost", "new process / reused process", 23.0),
        ("spawn-cost", "new thread / reused thread", 6.0),
        ("thread-count", "workers", 8.0),
        ("thread-count", "threads before", 2.0),
        ("thread-count", "threads while N workers run", 10.0),
        ("thread-count", "threads after", 2.0),
        (
            "thread-count",
            "distinct counter addresses seen by the workers",
            1.0,
        ),
        ("thread-count", "shared count (N × 1000 expected)", 8000.0),
        ("process-pipe", "parent's sum", 30000.0),
        ("process-pipe", "expected", 30000.0),
        ("process-pipe", "cost (with process start-up)", 100.0),
        ("process-shm", "trials losing updates", 0.0),
        ("process-shm", "cost (with process start-up)", 200.0),
        ("process-shm --sync none", "trials losing updates", 3.0),
        ("process-shm --sync none", "worst loss", 20.0),
        ("gil", "CPU-bound, with GIL, 4 threads: speed-up", 1.0),
        ("gil", "CPU-bound, no GIL, 4 threads: speed-up", 1.9),
        ("gil", "I/O-bound, with GIL, 4 threads: speed-up", 3.9),
    ];
    for (name, lost) in [
        ("unsynced", 3.0),
        ("racy-atomic", 2.0),
        ("atomic", 0.0),
        ("mutex", 0.0),
        ("channel", 0.0),
        ("sharded", 0.0),
    ] {
        let lossy: &'static str =
            Box::leak(format!("{name} 8x200000: trials losing updates (of 3)").into());
        let cost: &'static str = Box::leak(format!("{name}: cost").into());
        m.push(("counters", lossy, lost));
        m.push(("counters", cost, 5.0));
    }
    m
}

/// A lab of `typical()` measures with `(exp, measure)` replaced by `value`.
fn lab_with(change: Option<(&str, &str, f64)>) -> Lab {
    let mut measures = typical();
    if let Some((exp, name, value)) = change {
        let m = measures
            .iter_mut()
            .find(|(e, n, _)| *e == exp && *n == name)
            .unwrap_or_else(|| panic!("no typical measure {exp}: {name}"));
        m.2 = value;
    }
    let mut lab = Lab::new(2);
    for (exp, name, value) in measures {
        let ev = lab
            .evidence
            .entry(exp)
            .or_insert_with(|| Evidence::new("synthetic"));
        ev.push(name, value, "");
    }
    lab
}

fn verdict(id: &str, lab: &Lab) -> Verdict {
    let claim = CLAIMS.iter().find(|c| c.id == id).unwrap();
    let r = lab.judge(claim);
    assert!(
        r.evidence.iter().all(|m| m.unit != MISSING),
        "{id} read a measure the synthetic lab lacks: {:?}",
        r.evidence
    );
    r.verdict
}

use Verdict::{DoesNotHold as No, Holds as Yes, Nuance as Nu};

/// Each claim: its verdict on typical measurements, then contrary measurements (one
/// changed at a time) and the verdict each must turn it into.
#[allow(clippy::type_complexity)]
const CASES: &[(&str, Verdict, &[(&str, &str, f64, Verdict)])] = &[
    (
        "C1",
        Yes,
        &[
            ("parallelism", PINNED_LOSSY, 0.0, Nu),
            ("parallelism", TURNS, 1.0, Nu),
        ],
    ),
    ("C2", Yes, &[("parallelism", ALL_CPUS, 1.0, Nu)]),
    (
        "C3",
        Yes,
        &[("pool-submit", "thread pool, apply (blocking)", 80.0, Nu)],
    ),
    (
        "C4",
        Nu,
        &[(
            "pool-submit",
            "thread pool, apply_async (non-blocking)",
            160.0,
            No,
        )],
    ),
    (
        "C5",
        Yes,
        &[
            (
                "process-isolated",
                "parent count after the children",
                5000.0,
                No,
            ),
            ("process-isolated", "child 1 count", 4000.0, No),
        ],
    ),
    (
        "C6",
        Yes,
        &[
            ("crash", "segfaulting child: signal", 0.0, No),
            ("crash", "parent still running after both", 0.0, No),
        ],
    ),
    (
        "C7",
        Nu,
        &[
            (
                "process-create",
                "children that ran in a process of their own",
                1.0,
                No,
            ),
            ("process-create", "square(7) in child", 0.0, No),
        ],
    ),
    (
        "C8",
        Yes,
        &[
            ("spawn-cost", "new process / reused process", 1.0, Nu),
            (
                "pool-submit",
                "process pool, apply_async (non-blocking)",
                162.0,
                Nu,
            ),
        ],
    ),
    (
        "C9",
        Yes,
        &[
            ("thread-count", "threads while N workers run", 3.0, No),
            ("thread-count", "threads after", 10.0, No),
        ],
    ),
    (
        "C10",
        Yes,
        &[
            (
                "thread-count",
                "distinct counter addresses seen by the workers",
                8.0,
                No,
            ),
            (
                "thread-count",
                "shared count (N × 1000 expected)",
                7999.0,
                No,
            ),
        ],
    ),
    (
        "C11",
        No,
        &[
            ("crash", SURVIVED, 0.0, Yes),
            ("crash", "panicking thread: join returned Err", 0.0, Nu),
        ],
    ),
    (
        "C12",
        Yes,
        &[("spawn-cost", "new thread / reused thread", 1.0, Nu)],
    ),
    (
        "C13",
        Yes,
        &[(
            "process-isolated",
            "parent count after the children",
            4.0,
            No,
        )],
    ),
    (
        "C14",
        Nu,
        &[
            ("process-shm", "trials losing updates", 1.0, Yes),
            ("process-pipe", "parent's sum", 29000.0, No),
        ],
    ),
    (
        "C15",
        Yes,
        &[
            (
                "counters",
                "unsynced 8x200000: trials losing updates (of 3)",
                0.0,
                Nu,
            ),
            (
                "counters",
                "mutex 8x200000: trials losing updates (of 3)",
                1.0,
                No,
            ),
        ],
    ),
    (
        "C16",
        Yes,
        &[("spawn-cost", "process / thread creation", 2.0, Nu)],
    ),
    (
        "C17",
        Yes,
        &[
            ("parallelism", ALL_CPUS, 1.0, Nu),
            ("parallelism", TURNS, 1.0, Nu),
        ],
    ),
    (
        "C18",
        Nu,
        &[
            ("gil", "CPU-bound, with GIL, 4 threads: speed-up", 1.9, No),
            ("gil", "I/O-bound, with GIL, 4 threads: speed-up", 1.0, Yes),
        ],
    ),
    (
        "C19",
        Nu,
        &[
            ("crash", SURVIVED, 0.0, Yes),
            ("crash", "child with an aborting thread: signal", 0.0, No),
            ("crash", "segfaulting child: signal", 0.0, No),
        ],
    ),
    (
        "C20",
        Nu,
        &[
            (
                "counters",
                "unsynced 8x200000: trials losing updates (of 3)",
                0.0,
                Yes,
            ),
            ("process-pipe", "parent's sum", 1.0, No),
            (
                "counters",
                "channel 8x200000: trials losing updates (of 3)",
                1.0,
                No,
            ),
        ],
    ),
    (
        "C21",
        Yes,
        &[("cpu-vs-io", "I/O-bound, 8 threads: speed-up", 1.5, Nu)],
    ),
    (
        "C22",
        No,
        &[
            ("cpu-vs-io", "CPU-bound, 8 threads: speed-up", 1.0, Yes),
            ("cpu-vs-io", "CPU-bound, 8 processes: speed-up", 1.0, Nu),
        ],
    ),
    (
        "C23",
        Yes,
        &[
            ("crash", "child with an aborting thread: signal", 0.0, No),
            ("crash", "parent still running after both", 0.0, No),
        ],
    ),
];

#[test]
fn every_verdict_follows_its_measurements() {
    let base = lab_with(None);
    for (id, typical, contrary) in CASES {
        assert_eq!(verdict(id, &base), *typical, "{id} on typical measurements");
        assert!(!contrary.is_empty(), "{id} has no contrary measurement");
        for &(exp, name, value, expect) in *contrary {
            assert_ne!(
                expect, *typical,
                "{id}: a contrary case must change the verdict"
            );
            let lab = lab_with(Some((exp, name, value)));
            assert_eq!(
                verdict(id, &lab),
                expect,
                "{id} with {exp}: {name} = {value}"
            );
        }
    }
}

#[test]
fn every_claim_has_contrary_cases() {
    let ids: Vec<&str> = CASES.iter().map(|c| c.0).collect();
    let all: Vec<&str> = CLAIMS.iter().map(|c| c.id).collect();
    assert_eq!(ids, all);
}

#[test]
fn the_evidence_is_what_the_judge_read() {
    let r = lab_with(None).judge(&CLAIMS[10]); // C11
    let names: Vec<&str> = r.evidence.iter().map(|m| m.name.as_str()).collect();
    assert!(
        names.contains(&"crash: panicking thread: join returned Err"),
        "{names:?}"
    );
    assert!(
        names.contains(&format!("crash: {SURVIVED}").as_str()),
        "{names:?}"
    );
    // A lab without the experiment: every read is flagged missing, never silently judged.
    let empty = Lab::new(2);
    for c in CLAIMS {
        let r = empty.judge(c);
        assert!(!r.evidence.is_empty(), "{} read nothing", c.id);
        assert!(r.evidence.iter().all(|m| m.unit == MISSING), "{}", c.id);
    }
}

#[test]
fn a_gil_is_not_blamed_when_nothing_scaled() {
    let mut lab = lab_with(Some((
        "gil",
        "I/O-bound, with GIL, 4 threads: speed-up",
        1.0,
    )));
    assert_eq!(verdict("C18", &lab), Yes);
    let ev = lab.evidence.get_mut("gil").unwrap();
    for m in &mut ev.measures {
        if m.name == "CPU-bound, no GIL, 4 threads: speed-up" {
            m.value = 1.0;
        }
    }
    assert_eq!(verdict("C18", &lab), Nu);
}

#[test]
fn one_cpu_is_judged_as_one_cpu() {
    let mut lab = lab_with(None);
    lab.cpus = 1.0;
    assert_eq!(verdict("C2", &lab), Nu);
}
