#!/usr/bin/env bash
# Miri as an independent witness: runs every thread experiment's native kernel once, at a
# small size (race-lab-witness: 2 threads x 20 increments; deadlock: 2 x 1), under Miri, and
# writes one line per experiment to witnesses/miri.tsv:
#
#   experiment <TAB> miri <TAB> verdict <TAB> first line of Miri's report
#
# verdict: data race | clean | deadlock | timeout | error. The lab expects a data race exactly
# for its data-race experiments (unsynced, plain); racy-atomic is a logic race (atomics
# only: no UB), the fixed experiments are clean, and deadlock is clean or deadlocks.
#
# Exit status: 0 every verdict agrees with the lab; 1 a verdict disagrees (or the witness
# could not be built); 3 Miri is unavailable here (one line on stderr says why) — CI reports
# that as skipped, never as passed.
#
# Environment: MIRIFLAGS (default: -Zmiri-many-seeds=0..32, i.e. 32 schedules per experiment;
# data races are found by happens-before, whatever the schedule), MIRI_TIMEOUT (seconds per
# experiment, default 120). Modelled on crossbeam's ci/miri.sh.
set -uo pipefail
cd "$(dirname "$0")/.."

WITNESS=miri
WITNESS_NAME=Miri
OUT=witnesses/miri.tsv
LOGS=target/witness-logs/miri
PER_EXPERIMENT=${MIRI_TIMEOUT:-120}
export MIRIFLAGS=${MIRIFLAGS:--Zmiri-many-seeds=0..32}
# shellcheck source=ci/witness-common.sh
. ci/witness-common.sh

# ---- the toolchain: nightly, with the miri and rust-src components -------------------------
install_nightly miri rust-src
timeout 900 cargo +nightly miri setup >"$LOGS/setup.log" 2>&1 ||
    unavailable "Miri's sysroot cannot be built ($(tail -n1 "$LOGS/setup.log"); log: $LOGS/setup.log)"
rustc_version=$(rustc +nightly --version)
miri_version=$(cargo +nightly miri --version 2>/dev/null | head -n1)

# ---- build the witness binary under Miri and ask it for the catalogue ----------------------
# `--list` is run by Miri itself (one seed: many would print it many times); this first
# `cargo miri run` also builds (checks) every dependency.
echo "miri.sh: building race-lab-witness for Miri ($miri_version)" >&2
if ! MIRIFLAGS= timeout 900 cargo +nightly miri run -q --bin race-lab-witness -- --list \
    >"$LOGS/list.out" 2>"$LOGS/build.log"; then
    tail -n 20 "$LOGS/build.log" >&2
    failed "race-lab-witness does not build or run under Miri (log: $LOGS/build.log)"
fi
mapfile -t catalogue < <(grep -P '^[a-z0-9-]+\t[a-z-]+$' "$LOGS/list.out" | awk '!seen[$0]++')
[ "${#catalogue[@]}" -gt 0 ] || failed "race-lab-witness --list printed no experiments"

# ---- one run per experiment ----------------------------------------------------------------
clean_line() { sed -e 's/\x1b\[[0-9;]*m//g' -e 's/\t/ /g' -e 's/^error: //' -e 's/[[:space:]]*$//'; }

# verdict <exit status> <log>: sets $verdict and $report.
verdict_of() {
    local rc=$1 log=$2
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        verdict=timeout
        report="no result within ${PER_EXPERIMENT} s (MIRI_TIMEOUT)"
    elif grep -q 'Undefined Behavior: Data race detected' "$log"; then
        verdict="data race"
        report=$(grep -m1 'Undefined Behavior: Data race detected' "$log" | clean_line)
    elif grep -qiE '^error: .*deadlock' "$log"; then
        verdict=deadlock
        report=$(grep -m1 -iE '^error: .*deadlock' "$log" | clean_line)
    elif [ "$rc" -eq 0 ] && grep -q 'final value' "$log"; then
        verdict=clean
        report="no report; the kernel printed: $(grep -m1 'final value' "$log" | clean_line)"
    else
        verdict=error
        report=$( (grep -m1 -E '^error' "$log" || tail -n1 "$log") | clean_line)
        report="exit status $rc: ${report:-no output}"
    fi
    local seed
    seed=$(grep -m1 -oE 'FAILING SEED: [0-9]+' "$log" | grep -oE '[0-9]+$')
    if [ -n "$seed" ]; then report="$report (seed $seed)"; fi
}

begin_results "$(printf '# produced %s by ci/miri.sh; %s; %s; MIRIFLAGS=%s; race-lab-witness <experiment> (2 threads x 20 iters; deadlock 2 x 1)' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$rustc_version" "$miri_version" "$MIRIFLAGS")"

for entry in "${catalogue[@]}"; do
    exp=${entry%%$'\t'*}
    class=${entry#*$'\t'}
    log="$LOGS/$exp.log"
    t0=$(date +%s.%N)
    timeout -k 10 "$PER_EXPERIMENT" cargo +nightly miri run -q --bin race-lab-witness -- "$exp" >"$log" 2>&1
    rc=$?
    verdict_of "$rc" "$log"
    record "$exp" "$class" "$verdict" "$report" "$(seconds_since "$t0")"
done

finish_results "${#catalogue[@]}"
