#!/usr/bin/env bash
# 100 runs of the process experiments — some interrupted with SIGINT, some killed, some
# with crashing children — then check that no race-lab process is left and nothing was
# left in /dev/shm. Usage: ci/orphans.sh [path/to/race-lab]
set -uo pipefail
cd "$(dirname "$0")/.."
LAB=${1:-target/release/race-lab}
[ -x "$LAB" ] || { echo "orphans: $LAB not built (cargo build --release)"; exit 2; }
TAG="RACE_LAB_ORPHANS=$$"
runs=(
  "run pool-submit"
  "run process-shm --sync none --iters 1000000"
  "run process-shm --sync atomic --iters 1000000"
  "run process-pipe --iters 200000"
  "run crash"
  "run process-isolated"
  "run cpu-vs-io"
  "run spawn-cost"
)
signals=(INT KILL TERM NONE)
for i in $(seq 1 100); do
  cmd=${runs[$((i % ${#runs[@]}))]}
  sig=${signals[$((i % ${#signals[@]}))]}
  env "$TAG" "$LAB" $cmd >/dev/null 2>&1 &
  pid=$!
  if [ "$sig" != NONE ]; then
    sleep "0.$((RANDOM % 3))$((RANDOM % 10))"
    kill -s "$sig" "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
done
# Children die with their parent (PR_SET_PDEATHSIG); give the kernel a moment to deliver it.
left=""
for _ in $(seq 1 50); do
  left=$(grep -lz "^${TAG}\$" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 | while read -r p; do
    state=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null); [ "$state" != Z ] && [ -n "$state" ] && echo "$p"; done)
  [ -z "$left" ] && break
  sleep 0.1
done
shm=$(ls /dev/shm 2>/dev/null | grep -c race-lab)
if [ -n "$left" ] || [ "$shm" != 0 ]; then
  echo "orphans: FAILED: processes left: ${left:-none}; /dev/shm objects left: $shm"
  exit 1
fi
echo "orphans: 100 runs (interrupted with SIGINT, SIGTERM, SIGKILL or not; crashing children included): no race-lab process left, no shared memory left"
