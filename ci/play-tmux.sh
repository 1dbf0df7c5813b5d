#!/usr/bin/env bash
# ci/play-tmux.sh [race-lab binary]: plays `race-lab play racy-atomic` full-screen inside
# tmux — a hint (h), then the keys 0 1 0 0 0 1 1 1 (T0 and T1 both load 0, then each
# finishes; an update is lost) — captures the pane and checks that the "broken!" screen
# appears with its replay line, that u undoes the last step and 1 wins again, that q quits
# and gives the terminal back, and that the win was recorded in the campaign's progress file
# (a data directory of its own: the user's progress is untouched).
#
# Exit status: 0 passed; 1 failed; 3 SKIPPED (no tmux, and it cannot be installed here).
set -uo pipefail
cd "$(dirname "$0")/.."

bin=${1:-target/debug/race-lab}
if [ ! -x "$bin" ]; then
    cargo build --quiet || exit 1
    bin=target/debug/race-lab
fi
bin=$(realpath "$bin")

if ! command -v tmux >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "play-tmux: installing tmux"
        apt-get install -y -qq tmux >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq tmux >/dev/null 2>&1; }
    fi
    if ! command -v tmux >/dev/null 2>&1; then
        echo "play-tmux: SKIPPED: tmux is not installed and cannot be installed here"
        exit 3
    fi
fi

data=$(mktemp -d)
session="race-lab-play-$$"
socket="race-lab-play-$$"
t() { tmux -L "$socket" "$@"; }
cleanup() {
    t kill-server >/dev/null 2>&1
    rm -rf "$data"
}
trap cleanup EXIT

fail() {
    echo "play-tmux: FAILED: $1"
    echo "---- the pane ----"
    t capture-pane -p -t "$session" 2>/dev/null
    exit 1
}

# The pane runs the game, then says how it ended, then stays open to be captured.
t new-session -d -s "$session" -x 132 -y 44 \
    "env RACE_LAB_DATA_DIR='$data' TERM=xterm-256color '$bin' play racy-atomic; echo \"play exited with status \$?\"; sleep 60" ||
    fail "tmux could not start a session"

# Waits until the pane shows $1 (up to ~10 s).
wait_for() {
    for _ in $(seq 100); do
        t capture-pane -p -t "$session" | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    return 1
}

wait_for "Goal: Lose an update" || fail "the level did not start"
t send-keys -t "$session" h
wait_for "hint: step 0 (a shortest way to the goal from here takes 8 more steps" ||
    fail "h gave no hint"
for key in 0 1 0 0 0 1 1 1; do
    t send-keys -t "$session" "$key"
    sleep 0.2
done
wait_for "*** BROKEN! ***" || fail "no broken screen after the winning keys"
screen=$(t capture-pane -p -t "$session")
echo "$screen"
grep -qF 'race-lab replay racy-atomic -t 2 -i 2 --schedule "0,1,0,0,0"' <<<"$screen" ||
    fail "the broken screen lacks the replay line"
grep -qF "You broke it in 8 steps; the shortest possible is 8" <<<"$screen" ||
    fail "the broken screen lacks the step counts"

# u takes the winning step back (the run goes on), and stepping T1 again wins again.
t send-keys -t "$session" u
wait_for "step 7: the run goes on; thread 1 can step" || fail "u did not undo the last step"
t send-keys -t "$session" 1
wait_for "*** BROKEN! ***" || fail "no broken screen after undo and redo"

t send-keys -t "$session" q
wait_for "play exited with status 0" || fail "q did not quit with status 0"
# Back on the normal screen: the game's panels are gone (the alternate screen was left).
t capture-pane -p -t "$session" | grep -qF "Shared state" && fail "the terminal was not restored"
grep -q '"won": true' "$data/progress.json" 2>/dev/null || fail "the win was not recorded in progress.json"
echo "play-tmux: passed (hint, won racy-atomic in tmux, undo and win again, quit cleanly, progress recorded)"
