//! The judges on synthetic measurements: each claim's verdict on what a typical machine
//! measures, then on contrary measurements that must change it.

use super::*;
use crate::experiments::{
    channel, cpu_vs_io, crash, gil, mutex, parallelism, pool_submit, process_create,
    process_isolated, process_pipe, process_shm, spawn_cost, thread_count, unsynced,
};
use crate::procs::{count_trials, Grade};

// The experiments' names, as the claims name them.
const PARALLELISM: &str = parallelism::EXPERIMENT.name;
const CPU_VS_IO: &str = cpu_vs_io::EXPERIMENT.name;
const POOL_SUBMIT: &str = pool_submit::EXPERIMENT.name;
const ISOLATED: &str = process_isolated::EXPERIMENT.name;
const CRASH: &str = crash::EXPERIMENT.name;
const CREATE: &str = process_create::EXPERIMENT.name;
const SPAWN_COST: &str = spawn_cost::EXPERIMENT.name;
const THREAD_COUNT: &str = thread_count::EXPERIMENT.name;
const PIPE: &str = process_pipe::EXPERIMENT.name;
const SHM: &str = process_shm::EXPERIMENT.name;
const GIL: &str = gil::EXPERIMENT.name;

/// A measure of a synthetic lab: the experiment (as the claims name it), the measure, its
/// value.
type Typical = (&'static str, String, f64);

/// What a 2-CPU machine typically measures: every measure the experiments' constants name
/// (and the process-shm trial loop records), with plausible values.
fn typical() -> Vec<Typical> {
    #[rustfmt::skip]
    let named: &[(&'static str, &[(&str, f64)])] = &[
        (PARALLELISM, &[
            (parallelism::TURNS, 2.0),
            (parallelism::PINNED_LOSSY, 2.0),
            (parallelism::ALL_CPUS, 1.9),
            (parallelism::ONE, 100.0),
            (parallelism::PINNED, 200.0),
            (parallelism::FREE, 105.0),
        ]),
        (POOL_SUBMIT, &[
            (pool_submit::THREAD_APPLY, 161.0),
            (pool_submit::PROCESS_APPLY, 162.0),
            (pool_submit::THREAD_ASYNC, 40.0),
            (pool_submit::PROCESS_ASYNC, 41.0),
            (pool_submit::SERIAL, 160.0),
            (pool_submit::WAVES, 40.0),
        ]),
        (ISOLATED, &[
            (process_isolated::PARENT, 0.0),
            (process_isolated::AFTER_THREAD, 5000.0),
        ]),
        (CRASH, &[
            (crash::JOIN_ERR, 1.0),
            (crash::POISONED, 1.0),
            (crash::PL_USABLE, 1.0),
            (crash::SURVIVED, 1.0),
            (crash::ABORT_SIGNAL, 6.0),
            (crash::SEGV_SIGNAL, 11.0),
            (crash::PARENT_RAN, 1.0),
        ]),
        (CREATE, &[(process_create::ELSEWHERE, 2.0)]),
        (SPAWN_COST, &[
            (spawn_cost::THREAD, 60.0),
            (spawn_cost::PROCESS, 700.0),
            (spawn_cost::REEXEC, 1500.0),
            (spawn_cost::THREAD_POOL, 10.0),
            (spawn_cost::PROCESS_POOL, 30.0),
            (spawn_cost::PROCESS_VS_THREAD, 12.0),
            (spawn_cost::PROCESS_REUSE, 23.0),
            (spawn_cost::THREAD_REUSE, 6.0),
        ]),
        (THREAD_COUNT, &[
            (thread_count::WORKERS, 8.0),
            (thread_count::BEFORE, 2.0),
            (thread_count::DURING, 10.0),
            (thread_count::AFTER, 2.0),
            (thread_count::ADDRESSES, 1.0),
            (thread_count::SHARED_COUNT, 8000.0),
        ]),
        (PIPE, &[
            (process_pipe::SUM, 30000.0),
            (process_pipe::EXPECTED, 30000.0),
            (process_pipe::MESSAGES, 30000.0),
            (process_pipe::COST, 100.0),
        ]),
    ];
    let mut m: Vec<Typical> = Vec::new();
    for &(exp, measures) in named {
        for &(name, value) in measures {
            m.push((exp, name.to_string(), value));
        }
    }
    for i in 0..4 {
        m.push((ISOLATED, process_isolated::child_count(i), 5000.0));
    }
    for (task, value) in [(process_create::SQUARE, 49.0), (process_create::CUBE, 27.0)] {
        m.push((CREATE, process_create::answer(task), value));
    }
    // Speed-ups: CPU-bound work scales to the 2 CPUs (not at all under the GIL), waiting
    // nearly N-fold.
    for n in [1, 2, 4, 8] {
        let cpu = if n == 1 { 1.0 } else { 1.9 };
        for (kind, how, s) in [
            (cpu_vs_io::CPU_BOUND, cpu_vs_io::THREADS, cpu),
            (cpu_vs_io::CPU_BOUND, cpu_vs_io::PROCESSES, cpu),
            (cpu_vs_io::IO_BOUND, cpu_vs_io::THREADS, n as f64 * 0.9375),
            (cpu_vs_io::IO_BOUND, cpu_vs_io::PROCESSES, n as f64 * 0.75),
        ] {
            let name = cpu_vs_io::speedup_label(kind, n, how);
            m.push((CPU_VS_IO, name, s));
        }
    }
    for n in [1, 2, 4] {
        let cpu = if n == 1 { 1.0 } else { 1.9 };
        for (kind, gil, s) in [
            (gil::CPU_BOUND, true, 1.0),
            (gil::CPU_BOUND, false, cpu),
            (gil::IO_BOUND, true, n as f64 * 0.975),
            (gil::IO_BOUND, false, n as f64 * 0.975),
        ] {
            m.push((GIL, gil::speedup_label(kind, gil, n), s));
        }
    }
    // process-shm's measures as its trial loop records them: exact with atomics, lossy in
    // every trial without.
    for (exp, counts) in [
        (SHM, [30000, 30000, 30000]),
        (process_shm::SYNC_NONE, [24000, 29000, 27000]),
    ] {
        for measure in shm_trials(&counts).measures {
            m.push((exp, measure.name, measure.value));
        }
    }
    for (name, lost) in COUNTED.into_iter().zip([3.0, 2.0, 0.0, 0.0, 0.0, 0.0]) {
        m.push((COUNTERS, counter_lossy(name), lost));
        m.push((COUNTERS, counter_cost(name), 5.0));
    }
    m
}

/// The evidence of process-shm's trial loop (`count_trials`, which records its measures)
/// for trials ending at `counts` of 30000.
fn shm_trials(counts: &[u64]) -> Evidence {
    let mut it = counts.iter().copied();
    let grade = |c: u64| {
        if c == 30000 {
            Grade::Acceptable
        } else {
            Grade::Interesting
        }
    };
    count_trials(
        SHM,
        "synthetic",
        counts.len(),
        30000,
        grade,
        &Cancel::new(),
        || Ok(it.next().unwrap()),
    )
    .unwrap()
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

use Verdict::{CannotTell as Ct, DoesNotHold as No, Holds as Yes, Nuance as Nu};

/// A contrary measurement: `(exp, measure)` set to `value`, and the verdict it must give.
type Contrary = (&'static str, String, f64, Verdict);

fn c(exp: &'static str, measure: impl Into<String>, value: f64, expect: Verdict) -> Contrary {
    (exp, measure.into(), value, expect)
}

/// Each claim: its verdict on typical measurements, then contrary measurements (one
/// changed at a time) and the verdict each must turn it into.
fn cases() -> Vec<(&'static str, Verdict, Vec<Contrary>)> {
    vec![
        (
            "C1",
            Yes,
            vec![
                c(PARALLELISM, parallelism::PINNED_LOSSY, 0.0, Nu),
                c(PARALLELISM, parallelism::TURNS, 1.0, Ct),
            ],
        ),
        (
            "C2",
            Yes,
            vec![c(PARALLELISM, parallelism::ALL_CPUS, 1.0, Ct)],
        ),
        (
            "C3",
            Yes,
            vec![c(POOL_SUBMIT, pool_submit::THREAD_APPLY, 80.0, Nu)],
        ),
        (
            "C4",
            Nu,
            vec![c(POOL_SUBMIT, pool_submit::THREAD_ASYNC, 160.0, No)],
        ),
        (
            "C5",
            Yes,
            vec![
                c(ISOLATED, process_isolated::PARENT, 5000.0, No),
                c(ISOLATED, process_isolated::child_count(1), 4000.0, No),
            ],
        ),
        (
            "C6",
            Yes,
            vec![
                c(CRASH, crash::SEGV_SIGNAL, 0.0, No),
                c(CRASH, crash::PARENT_RAN, 0.0, No),
            ],
        ),
        (
            "C7",
            Nu,
            vec![
                c(CREATE, process_create::ELSEWHERE, 1.0, No),
                c(
                    CREATE,
                    process_create::answer(process_create::SQUARE),
                    0.0,
                    No,
                ),
            ],
        ),
        (
            "C8",
            Yes,
            vec![
                c(SPAWN_COST, spawn_cost::PROCESS_REUSE, 1.0, Nu),
                c(POOL_SUBMIT, pool_submit::PROCESS_ASYNC, 162.0, Nu),
            ],
        ),
        (
            "C9",
            Yes,
            vec![
                c(THREAD_COUNT, thread_count::DURING, 3.0, No),
                c(THREAD_COUNT, thread_count::AFTER, 10.0, No),
            ],
        ),
        (
            "C10",
            Yes,
            vec![
                c(THREAD_COUNT, thread_count::ADDRESSES, 8.0, No),
                c(THREAD_COUNT, thread_count::SHARED_COUNT, 7999.0, No),
            ],
        ),
        (
            "C11",
            No,
            vec![
                c(CRASH, crash::SURVIVED, 0.0, Yes),
                c(CRASH, crash::JOIN_ERR, 0.0, Nu),
            ],
        ),
        (
            "C12",
            Yes,
            vec![c(SPAWN_COST, spawn_cost::THREAD_REUSE, 1.0, Nu)],
        ),
        (
            "C13",
            Yes,
            vec![c(ISOLATED, process_isolated::PARENT, 4.0, No)],
        ),
        (
            "C14",
            Nu,
            vec![
                c(SHM, process_shm::LOSSY, 1.0, Yes),
                c(PIPE, process_pipe::SUM, 29000.0, No),
            ],
        ),
        (
            "C15",
            Yes,
            vec![
                c(COUNTERS, counter_lossy(unsynced::EXPERIMENT.name), 0.0, Nu),
                c(COUNTERS, counter_lossy(mutex::EXPERIMENT.name), 1.0, No),
            ],
        ),
        (
            "C16",
            Yes,
            vec![c(SPAWN_COST, spawn_cost::PROCESS_VS_THREAD, 2.0, Nu)],
        ),
        (
            "C17",
            Yes,
            vec![
                c(PARALLELISM, parallelism::ALL_CPUS, 1.0, Ct),
                c(PARALLELISM, parallelism::TURNS, 1.0, Ct),
            ],
        ),
        (
            "C18",
            Nu,
            vec![
                c(GIL, gil::speedup_label(gil::CPU_BOUND, true, 4), 1.9, No),
                c(GIL, gil::speedup_label(gil::IO_BOUND, true, 4), 1.0, Yes),
            ],
        ),
        (
            "C19",
            Nu,
            vec![
                c(CRASH, crash::SURVIVED, 0.0, Yes),
                c(CRASH, crash::ABORT_SIGNAL, 0.0, No),
                c(CRASH, crash::SEGV_SIGNAL, 0.0, No),
            ],
        ),
        (
            "C20",
            Nu,
            vec![
                c(COUNTERS, counter_lossy(unsynced::EXPERIMENT.name), 0.0, Yes),
                c(PIPE, process_pipe::SUM, 1.0, No),
                c(COUNTERS, counter_lossy(channel::EXPERIMENT.name), 1.0, No),
            ],
        ),
        (
            "C21",
            Yes,
            vec![c(
                CPU_VS_IO,
                cpu_vs_io::speedup_label(cpu_vs_io::IO_BOUND, 8, cpu_vs_io::THREADS),
                1.5,
                Ct,
            )],
        ),
        (
            "C23",
            Yes,
            vec![
                c(CRASH, crash::ABORT_SIGNAL, 0.0, No),
                c(CRASH, crash::PARENT_RAN, 0.0, No),
            ],
        ),
    ]
}

#[test]
fn every_verdict_follows_its_measurements() {
    let base = lab_with(None);
    for (id, typical, contrary) in cases() {
        assert_eq!(verdict(id, &base), typical, "{id} on typical measurements");
        assert!(!contrary.is_empty(), "{id} has no contrary measurement");
        for (exp, name, value, expect) in contrary {
            assert_ne!(
                expect, typical,
                "{id}: a contrary case must change the verdict"
            );
            let lab = lab_with(Some((exp, &name, value)));
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
    // C22 cannot be told on the synthetic 2-CPU lab: it has a test of its own, on
    // measurements recorded on a 2-core and a 16-core machine.
    let mut ids: Vec<&str> = cases().iter().map(|c| c.0).collect();
    ids.push("C22");
    ids.sort_by_key(|id| id[1..].parse::<u32>().unwrap());
    let all: Vec<&str> = CLAIMS.iter().map(|c| c.id).collect();
    assert_eq!(ids, all);
}

/// The lab of `typical()` measures on `cpus` CPUs, with these measures changed.
fn lab_on(cpus: usize, changes: &[(&str, &str, f64)]) -> Lab {
    let mut lab = lab_with(None);
    lab.cpus = cpus as f64;
    for &(exp, name, value) in changes {
        let ev = lab.evidence.get_mut(exp).unwrap();
        let m = ev.measures.iter_mut().find(|m| m.name == name).unwrap();
        m.value = value;
    }
    lab
}

/// C22 (processes for CPU-bound work) on the measurements recorded by `race-lab claims`: a
/// busy 2-core machine (threads 1.4x, processes 2.2x, where the old judge said "holds") and
/// an idle 16-core one (threads 7.65x, processes 6.9x). The same verdict everywhere, or
/// "cannot tell on 2 CPUs" — never one that follows the noise.
#[test]
fn the_speed_up_judge_of_c22_does_not_follow_the_noise() {
    let t8 = cpu_vs_io::speedup_label(cpu_vs_io::CPU_BOUND, 8, cpu_vs_io::THREADS);
    let p8 = cpu_vs_io::speedup_label(cpu_vs_io::CPU_BOUND, 8, cpu_vs_io::PROCESSES);
    let judge = |cpus, t, p| {
        let lab = lab_on(cpus, &[(CPU_VS_IO, &t8, t), (CPU_VS_IO, &p8, p)]);
        let claim = CLAIMS.iter().find(|c| c.id == "C22").unwrap();
        let r = lab.judge(claim);
        (r.verdict, r.why)
    };
    let (v, why) = judge(2, 1.4, 2.2);
    assert_eq!(v, Ct, "{why}");
    assert!(why.starts_with("cannot tell on 2 CPUs"), "{why}");
    // Whatever a 2-core machine measures.
    for (t, p) in [(1.9, 1.9), (1.0, 2.0), (2.0, 1.0), (1.4, 2.2)] {
        assert_eq!(judge(2, t, p).0, Ct, "{t} {p}");
    }
    assert_eq!(judge(16, 7.65, 6.9).0, No);
    // On 16 CPUs: threads held back as under a GIL hold it; processes that did not scale,
    // or threads between the margins, cannot tell.
    assert_eq!(judge(16, 1.0, 7.0).0, Yes);
    assert_eq!(judge(16, 7.0, 2.0).0, Ct);
    assert_eq!(judge(16, 4.5, 7.0).0, Ct);
}

/// A judge reading a measure no experiment records would read NaN and decide on it; `claims`
/// refuses to answer then, but only once the experiments have run. Here every judge runs on
/// a lab holding exactly what the experiments record — every measure their constants and
/// label functions name, and process-shm's as its trial loop records them — and must find
/// every measure it reads.
#[test]
fn no_judge_reads_a_measure_no_experiment_records() {
    let lab = lab_with(None);
    for claim in CLAIMS {
        let r = lab.judge(claim);
        let missing: Vec<&str> = r
            .evidence
            .iter()
            .filter(|m| m.unit == MISSING)
            .map(|m| m.name.as_str())
            .collect();
        assert!(
            missing.is_empty(),
            "{} reads measures no experiment records: {missing:?}",
            claim.id
        );
        // And it reads only experiments the claim says it needs (those are what run).
        for m in &r.evidence {
            assert!(
                claim
                    .experiments
                    .iter()
                    .any(|e| m.name.starts_with(&format!("{e}: "))),
                "{} reads {}, from an experiment it does not name",
                claim.id,
                m.name
            );
        }
    }
    // process-shm's names are those its trial loop records (`typical` took them from it).
    let ev = shm_trials(&[30000, 29000]);
    for name in [process_shm::LOSSY, process_shm::WORST, process_shm::COST] {
        assert!(ev.get(name).is_some(), "count_trials records no '{name}'");
    }
    assert_eq!(ev.get(&process_shm::trial_final(2)), Some(29000.0));
}

#[test]
fn every_experiment_a_claim_names_can_run() {
    for claim in CLAIMS {
        for &name in claim.experiments {
            if name == COUNTERS {
                continue;
            }
            // As `measure` finds it: the name before any option.
            let base = name.split(" --").next().unwrap();
            assert!(
                experiments::find_process(base).is_some(),
                "{} names '{name}'",
                claim.id
            );
        }
    }
    assert_eq!(
        process_shm::SYNC_NONE,
        format!(
            "{} {} {}",
            SHM,
            crate::procs::POpt::Sync.flag(),
            ShmSync::None.name()
        )
    );
    let cancel = Cancel::new();
    assert_eq!(
        params_for(process_shm::SYNC_NONE, &cancel).sync,
        ShmSync::None
    );
    assert_eq!(params_for(SPAWN_COST, &cancel).tasks, 20);
    assert_eq!(params_for(THREAD_COUNT, &cancel).procs, 8);
}

#[test]
fn the_evidence_is_what_the_judge_read() {
    let r = lab_with(None).judge(&CLAIMS[10]); // C11
    let names: Vec<&str> = r.evidence.iter().map(|m| m.name.as_str()).collect();
    let read = |measure| format!("{}: {measure}", CRASH);
    assert!(names.contains(&read(crash::JOIN_ERR).as_str()), "{names:?}");
    assert!(names.contains(&read(crash::SURVIVED).as_str()), "{names:?}");
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
    let io = gil::speedup_label(gil::IO_BOUND, true, 4);
    let mut lab = lab_with(Some((GIL, &io, 1.0)));
    assert_eq!(verdict("C18", &lab), Yes);
    let ev = lab.evidence.get_mut(GIL).unwrap();
    let cpu_alone = gil::speedup_label(gil::CPU_BOUND, false, 4);
    for m in &mut ev.measures {
        if m.name == cpu_alone {
            m.value = 1.0;
        }
    }
    assert_eq!(verdict("C18", &lab), Ct);
}

#[test]
fn one_cpu_is_judged_as_one_cpu() {
    let mut lab = lab_with(None);
    lab.cpus = 1.0;
    assert_eq!(verdict("C2", &lab), Ct);
}
