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
OUT=witnesses/miri.tsv
LOGS=target/witness-logs/miri
PER_EXPERIMENT=${MIRI_TIMEOUT:-120}
export MIRIFLAGS=${MIRIFLAGS:--Zmiri-many-seeds=0..32}
start_time=$(date +%s)
mkdir -p "$LOGS" witnesses

unavailable() {
    echo "miri.sh: Miri unavailable: $*" >&2
    exit 3
}
failed() {
    echo "miri.sh: FAILED: $*" >&2
    exit 1
}

# ---- the toolchain: nightly, with the miri and rust-src components -------------------------
command -v rustup >/dev/null 2>&1 || unavailable "rustup is not installed (Miri needs a nightly toolchain from rustup)"
command -v timeout >/dev/null 2>&1 || unavailable "coreutils' timeout is missing"
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "miri.sh: installing the nightly toolchain" >&2
    timeout 900 rustup toolchain install nightly --profile minimal >"$LOGS/toolchain.log" 2>&1 ||
        unavailable "the nightly toolchain cannot be installed ($(tail -n1 "$LOGS/toolchain.log"))"
fi
timeout 900 rustup component add miri rust-src --toolchain nightly >"$LOGS/components.log" 2>&1 ||
    unavailable "the miri and rust-src components cannot be installed for nightly ($(tail -n1 "$LOGS/components.log"))"
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

# agrees <lab class> <verdict>
agrees() {
    case "$1/$2" in
    "data-race/data race" | logic-race/clean | fixed/clean | deadlock/clean | deadlock/deadlock) return 0 ;;
    *) return 1 ;;
    esac
}

tmp=$(mktemp)
chmod 644 "$tmp"
trap 'rm -f "$tmp"' EXIT
{
    printf '# produced %s by ci/miri.sh; %s; %s; MIRIFLAGS=%s; race-lab-witness <experiment> (2 threads x 20 iters; deadlock 2 x 1)\n' \
        "$(date -u '+%Y-%m-%d %H:%M UTC')" "$rustc_version" "$miri_version" "$MIRIFLAGS"
    printf 'experiment\twitness\tverdict\tfirst report line\n'
} >"$tmp"

disagreements=0
for entry in "${catalogue[@]}"; do
    exp=${entry%%$'\t'*}
    class=${entry#*$'\t'}
    log="$LOGS/$exp.log"
    t0=$(date +%s.%N)
    timeout -k 10 "$PER_EXPERIMENT" cargo +nightly miri run -q --bin race-lab-witness -- "$exp" >"$log" 2>&1
    rc=$?
    verdict_of "$rc" "$log"
    secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    printf '%s\t%s\t%s\t%s\n' "$exp" "$WITNESS" "$verdict" "$report" >>"$tmp"
    if agrees "$class" "$verdict"; then
        mark=agrees
    else
        mark="DISAGREES with the lab ($class)"
        disagreements=$((disagreements + 1))
    fi
    printf 'miri  %-18s %-10s %6ss  %s\n' "$exp" "$verdict" "$secs" "$mark" >&2
done

mv "$tmp" "$OUT"
trap - EXIT
elapsed=$(($(date +%s) - start_time))
if [ "$disagreements" -gt 0 ]; then
    failed "$disagreements experiment(s) disagree with the lab's classification (see $OUT and $LOGS/) [${elapsed} s]"
fi
echo "miri.sh: ${#catalogue[@]} experiments, every verdict agrees with the lab; wrote $OUT [${elapsed} s]" >&2
