#!/usr/bin/env bash
# Sends SIGINT (as Ctrl-C does) to each long-running command mid-run and checks that it
# exits 130 with a partial report on stdout, within the time limit, leaving no process and
# no shared-memory object behind. Prints the stop latency of each (target: under 1 s).
# A command marked `^` runs in a process group of its own and the signal goes to the whole
# group, as a terminal's Ctrl-C does: its worker processes hear it too.
# Usage: ci/interrupt.sh [path/to/race-lab]
set -uo pipefail
cd "$(dirname "$0")/.."
LAB=${1:-target/release/race-lab}
[ -x "$LAB" ] || { echo "interrupt: $LAB not built (cargo build --release)"; exit 2; }
TAG="RACE_LAB_INTERRUPT=$$"
LIMIT=10   # seconds a command may take to stop: this checks liveness, not speed
WAIT=${INTERRUPT_AFTER:-1}   # seconds before the signal; a command may set its own ("@0.5 cmd")
# A whole run of racy-atomic at 6 × 20 (every worker to its end), for play's searches.
PLAY_MOVES=$(for t in 0 1 2 3 4 5; do for _ in $(seq 40); do printf '%s,' "$t"; done; done)
cmds=(
  "run unsynced --threads 2 --iters 2000000000 --trials 5"
  "run deadlock --trials 1000 --watchdog 60"
  "explore racy-atomic --threads 3 --iters 3 --world loom"
  "explore racy-atomic --threads 3 --iters 3 --world scheduled --max-seconds 600"
  "replay racy-atomic --threads 64 --iters 10000 --schedule 0,1 --full"
  "hunt atomic --threads 64 --iters 100 --cases 50000"
  "hunt atomic --threads 64 --iters 100 --cases 50000 --strategy pct"
  "litmus"
  "compare"
  "@0.5 claims"
  "run process-shm --sync atomic --iters 100000000 --trials 100"
  "^@2 run process-shm --sync atomic --iters 100000000 --trials 100"
  "^@1 run process-pipe --iters 100000000"
  "@0.5 play racy-atomic --threads 6 --iters 20 --moves ${PLAY_MOVES%,}"
  "@3 verify"
  "@4 report --out target/interrupted-report.html"
)
fail=0
out=$(mktemp)
# Seconds since $1 (a `date +%s.%N`), two decimals.
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }
# What is wrong with a finished command: exit status $1 where $2 was wanted, or no output
# in $out; nothing if neither.
wrong() {
  if [ "$1" != "$2" ]; then echo "exit $1, expected $2"
  elif [ ! -s "$out" ]; then echo "nothing on stdout"
  fi
}
for cmd in "${cmds[@]}"; do
  wait_for=$WAIT
  group=
  if [[ $cmd == ^* ]]; then
    group=1; cmd=${cmd#^}
  fi
  if [[ $cmd == @* ]]; then
    wait_for=${cmd%% *}; wait_for=${wait_for#@}; cmd=${cmd#* }
  fi
  if [ -n "$group" ]; then
    # setsid execs the lab as the leader of a new process group (its pid is the group's).
    env "$TAG" setsid "$LAB" $cmd >"$out" 2>/dev/null &
  else
    env "$TAG" "$LAB" $cmd >"$out" 2>/dev/null &
  fi
  pid=$!
  sleep "$wait_for"
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"; echo "FAIL  $cmd: finished before the signal (status $?): make it bigger"; fail=1; continue
  fi
  t0=$(date +%s.%N)
  if [ -n "$group" ]; then kill -INT -- "-$pid"; else kill -INT "$pid"; fi
  rc=
  for _ in $(seq 1 $((LIMIT * 100))); do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.01
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "FAIL  $cmd: still running ${LIMIT} s after SIGINT"; kill -KILL "$pid"; wait "$pid" 2>/dev/null; fail=1; continue
  fi
  wait "$pid"; rc=$?
  latency=$(since "$t0")
  bytes=$(wc -c <"$out")
  bad=$(wrong "$rc" 130)
  if [ -n "$bad" ]; then
    echo "FAIL  $cmd: $bad (a partial report and exit 130 wanted)"; fail=1
  elif ! grep -qi "interrupt" "$out"; then
    echo "FAIL  $cmd: the report does not say it was interrupted; it printed:"; head -c 2000 "$out"; fail=1
  else
    echo "ok    ${latency} s  ${group:+(group) }${cmd:0:100}  ($bytes bytes)"
  fi
done
# Capped and bounded runs: each ends within its cap (seconds, plus the stop limit) with exit 0
# and a verdict, and prints less than a megabyte (a --step replay without a terminal once
# printed a gigabyte; an explore capped at 10 s once ran 27 s and printed 16 MB).
capped=(
  "3 explore philosophers-polite --world scheduled -t 8 -i 100 --max-seconds 3"
  "3 explore mutex --world scheduled -t 11 -i 1 --max-seconds 3"
  "30 replay lazy-init -t 64 -i 10000 -s 0,1 --step"
  "30 replay racy-atomic -t 64 -i 10000 -s 0 --step"
)
for c in "${capped[@]}"; do
  cap=${c%% *}; cmd=${c#* }
  t0=$(date +%s.%N)
  rc=0
  timeout $((cap + LIMIT)) env "$TAG" "$LAB" $cmd >"$out" 2>/dev/null </dev/null || rc=$?
  took=$(since "$t0")
  bytes=$(wc -c <"$out")
  bad=$(wrong "$rc" 0)
  [ -z "$bad" ] && [ "$bytes" -ge 1000000 ] && bad="printed $bytes bytes"
  if [ -n "$bad" ]; then
    echo "FAIL  $cmd: $bad after ${took} s (cap ${cap} s)"; fail=1
  else
    echo "ok    ${took} s  (cap ${cap} s)  $cmd  ($bytes bytes)"
  fi
done
rm -f "$out"
left=""
for _ in $(seq 1 50); do
  left=$(grep -lz "^${TAG}\$" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 | while read -r p; do
    state=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null); [ "$state" != Z ] && [ -n "$state" ] && echo "$p"; done)
  [ -z "$left" ] && break
  sleep 0.1
done
shm=$(ls /dev/shm 2>/dev/null | grep -c race-lab)
if [ -n "$left" ]; then echo "FAIL  processes left behind: $left"; fail=1; fi
if [ "$shm" != 0 ]; then echo "FAIL  $shm race-lab objects left in /dev/shm"; fail=1; fi
[ "$fail" = 0 ] && echo "interrupt: every command stopped on SIGINT with a partial report, nothing left behind"
exit "$fail"
