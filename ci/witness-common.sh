# Shared by ci/miri.sh and ci/tsan.sh (sourced, not run). Before sourcing, a script sets
# WITNESS (miri|tsan), WITNESS_NAME (for messages), OUT (the .tsv) and LOGS (a folder).
#
# Provides: unavailable / failed (exit 3 / 1 with one line), install_nightly (the toolchain
# and components, or exit 3), the results file (begin_results, record, finish_results) and
# `agrees`, the lab's expectation for each class.

start_time=$(date +%s)
mkdir -p "$LOGS" witnesses

unavailable() {
    echo "$WITNESS.sh: $WITNESS_NAME unavailable: $*" >&2
    exit 3
}
failed() {
    echo "$WITNESS.sh: FAILED: $*" >&2
    exit 1
}

# install_nightly <component…>: nightly (installed if missing) with the given components.
install_nightly() {
    command -v rustup >/dev/null 2>&1 || unavailable "rustup is not installed ($WITNESS_NAME needs a nightly toolchain from rustup)"
    command -v timeout >/dev/null 2>&1 || unavailable "coreutils' timeout is missing"
    if ! rustup run nightly rustc --version >/dev/null 2>&1; then
        echo "$WITNESS.sh: installing the nightly toolchain" >&2
        timeout 300 rustup toolchain install nightly --profile minimal >"$LOGS/toolchain.log" 2>&1 ||
            unavailable "the nightly toolchain cannot be installed ($(tail -n1 "$LOGS/toolchain.log"))"
    fi
    timeout 300 rustup component add "$@" --toolchain nightly >"$LOGS/components.log" 2>&1 ||
        unavailable "the $* component(s) cannot be installed for nightly ($(tail -n1 "$LOGS/components.log"))"
}

# agrees <lab class> <verdict>: what the lab expects a race detector to say.
agrees() {
    case "$1/$2" in
    "data-race/data race" | logic-race/clean | fixed/clean | deadlock/clean | deadlock/deadlock) return 0 ;;
    *) return 1 ;;
    esac
}

# begin_results <header line>: starts the results file (moved into place by finish_results).
begin_results() {
    results=$(mktemp)
    chmod 644 "$results"
    trap 'rm -f "$results"' EXIT
    {
        printf '%s\n' "$1"
        printf 'experiment\twitness\tverdict\tfirst report line\n'
    } >"$results"
    disagreements=0
}

# record <experiment> <lab class> <verdict> <report> <seconds>
record() {
    local mark=agrees
    printf '%s\t%s\t%s\t%s\n' "$1" "$WITNESS" "$3" "$4" >>"$results"
    if ! agrees "$2" "$3"; then
        mark="DISAGREES with the lab ($2)"
        disagreements=$((disagreements + 1))
    fi
    printf '%-5s %-18s %-10s %6ss  %s\n' "$WITNESS" "$1" "$3" "$5" "$mark" >&2
}

# seconds_since <date +%s.%N>
seconds_since() {
    awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

# finish_results <number of experiments>: writes $OUT; fails if any verdict disagreed.
finish_results() {
    mv "$results" "$OUT"
    trap - EXIT
    local elapsed=$(($(date +%s) - start_time))
    if [ "$disagreements" -gt 0 ]; then
        failed "$disagreements experiment(s) disagree with the lab's classification (see $OUT and $LOGS/) [${elapsed} s]"
    fi
    echo "$WITNESS.sh: $1 experiments, every verdict agrees with the lab; wrote $OUT [${elapsed} s]" >&2
}
