#!/usr/bin/env bash
# ThreadSanitizer as an independent witness: builds race-lab-witness with -Zsanitizer=thread
# (std rebuilt with it too, -Zbuild-std, so std's own synchronisation is seen), runs every
# thread experiment's native kernel at a small size (2 threads x 20 increments; deadlock
# 2 x 1), and writes one line per experiment to witnesses/tsan.tsv:
#
#   experiment <TAB> tsan <TAB> verdict <TAB> first line of TSan's report
#
# verdict: data race | clean | deadlock | timeout | error. The lab expects a data race exactly
# for its data-race experiments (unsynced, plain); racy-atomic is a logic race (atomics
# only: no UB), the fixed experiments are clean, and deadlock is clean or deadlocks.
#
# TSan watches one real execution, so each experiment runs up to TSAN_RUNS times (default
# 10) and the first run with a report decides. That matters for `plain`: the optimiser folds
# its loop into one load and one store per thread, and when the two threads' accesses land at
# the same instant TSan can miss them (seen here in about 1 run in 8: the spin barrier makes
# such collisions likely). A clean verdict means every run was clean.
#
# TSan does not see std's futex-based Mutex as a lock, so it has no lock-order report for
# the `deadlock` experiment; when that kernel really deadlocks, race-lab-witness's own
# watchdog reports it after 10 s and the verdict is `deadlock`.
#
# Exit status: 0 every verdict agrees with the lab; 1 a verdict disagrees (or the witness
# could not be built); 3 ThreadSanitizer is unavailable here (one line on stderr says why) —
# CI reports that as skipped, never as passed. Environment: TSAN_RUNS, TSAN_TIMEOUT (seconds
# per run, default 60). Modelled on crossbeam's ci/san.sh.
set -uo pipefail
cd "$(dirname "$0")/.."

WITNESS=tsan
WITNESS_NAME=ThreadSanitizer
OUT=witnesses/tsan.tsv
LOGS=target/witness-logs/tsan
TARGET=x86_64-unknown-linux-gnu
RUNS=${TSAN_RUNS:-10}
PER_RUN=${TSAN_TIMEOUT:-60}
export CARGO_TARGET_DIR=target/tsan
BIN=$CARGO_TARGET_DIR/$TARGET/release/race-lab-witness
# shellcheck source=ci/witness-common.sh
. ci/witness-common.sh

# ---- the toolchain: nightly with rust-src (for -Zbuild-std), on x86_64 Linux --------------
[ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] || unavailable "this script runs TSan on x86_64 Linux only (this is $(uname -s)/$(uname -m))"
install_nightly rust-src
sysroot=$(rustc +nightly --print sysroot)
ls "$sysroot"/lib/rustlib/$TARGET/lib/librustc-nightly_rt.tsan.a >/dev/null 2>&1 ||
    unavailable "nightly has no ThreadSanitizer runtime for $TARGET (librustc-nightly_rt.tsan.a)"
rustc_version=$(rustc +nightly --version)
llvm_version=$(rustc +nightly -vV | sed -n 's/^LLVM version: /LLVM /p')

# ---- build the witness binary with TSan ------------------------------------------------------
# RUSTFLAGS apply to the target only (with --target), so build scripts and proc macros are
# built normally; every crate that ends up in the binary, std included, is instrumented.
echo "tsan.sh: building race-lab-witness with ThreadSanitizer ($rustc_version, $llvm_version)" >&2
if ! RUSTFLAGS="-Zsanitizer=thread" timeout 1800 cargo +nightly build -q -Zbuild-std --target $TARGET \
    --release --bin race-lab-witness >"$LOGS/build.log" 2>&1; then
    tail -n 20 "$LOGS/build.log" >&2
    failed "race-lab-witness does not build with -Zsanitizer=thread (log: $LOGS/build.log)"
fi
mapfile -t catalogue < <("$BIN" --list | grep -P '^[a-z0-9-]+\t[a-z-]+$')
[ "${#catalogue[@]}" -gt 0 ] || failed "race-lab-witness --list printed no experiments"

# Stop at the first report, with an exit status (66) no kernel uses.
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"

# ---- up to $RUNS runs per experiment -------------------------------------------------------
clean_line() { sed -e 's/\x1b\[[0-9;]*m//g' -e 's/\t/ /g' -e 's/^==[0-9]*==//' -e 's/[[:space:]]*$//'; }

# verdict_of <exit status> <log>: sets $verdict and $report.
verdict_of() {
    local rc=$1 log=$2
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        verdict=timeout
        report="no result within ${PER_RUN} s (TSAN_TIMEOUT)"
    elif grep -q 'WARNING: ThreadSanitizer: data race' "$log"; then
        verdict="data race"
        report=$(grep -m1 'WARNING: ThreadSanitizer: data race' "$log" | clean_line)
    elif grep -qE 'WARNING: ThreadSanitizer: lock-order-inversion' "$log"; then
        verdict=deadlock
        report=$(grep -m1 'WARNING: ThreadSanitizer: lock-order-inversion' "$log" | clean_line)
    elif grep -qE 'WARNING: ThreadSanitizer|FATAL: ThreadSanitizer' "$log"; then
        verdict=error
        report=$(grep -m1 -E 'WARNING: ThreadSanitizer|FATAL: ThreadSanitizer' "$log" | clean_line)
    elif [ "$rc" -eq 4 ] && grep -q 'deadlocked' "$log"; then
        verdict=deadlock
        report=$(grep -m1 'deadlocked' "$log" | clean_line)
    elif [ "$rc" -eq 0 ] && grep -q 'final value' "$log"; then
        verdict=clean
        report="no report; the kernel printed: $(grep -m1 'final value' "$log" | clean_line)"
    else
        verdict=error
        report="exit status $rc: $(tail -n1 "$log" | clean_line)"
    fi
}

begin_results "$(printf '# produced %s by ci/tsan.sh; %s; ThreadSanitizer from %s; -Zsanitizer=thread -Zbuild-std --release; up to %s runs per experiment; race-lab-witness <experiment> (2 threads x 20 iters; deadlock 2 x 1)' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$rustc_version" "$llvm_version" "$RUNS")"

for entry in "${catalogue[@]}"; do
    exp=${entry%%$'\t'*}
    class=${entry#*$'\t'}
    log="$LOGS/$exp.log"
    t0=$(date +%s.%N)
    for run in $(seq 1 "$RUNS"); do
        timeout -k 5 "$PER_RUN" "$BIN" "$exp" >"$log" 2>&1
        rc=$?
        verdict_of "$rc" "$log"
        [ "$verdict" = clean ] || break
    done
    if [ "$verdict" = clean ]; then
        report="$report ($RUNS runs)"
    else
        report="$report (run $run of up to $RUNS)"
    fi
    record "$exp" "$class" "$verdict" "$report" "$(seconds_since "$t0")"
done

finish_results "${#catalogue[@]}"
