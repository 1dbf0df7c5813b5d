#!/usr/bin/env bash
# Re-runs the README's sample commands (every code block whose first line is
# `$ race-lab …`) and compares the *shape* of their output with the sample: the first line,
# every table's header row and the last line, with numbers masked and runs of spaces folded.
# The last line of a command that measures real threads (run, litmus, compare, claims) is a
# verdict on what the hardware happened to show, so it is not compared: a sample must not
# fail CI because a race did not show this time.
# Samples drift when a default, a header or a verdict's wording changes; this says which.
# With --write it regenerates them instead: each sample's output replaced by today's.
# Usage: ci/readme-samples.sh [path/to/race-lab] [--write]
set -euo pipefail
cd "$(dirname "$0")/.."
LAB=${1:-target/release/race-lab}
WRITE=${2:-}
[ -x "$LAB" ] || { echo "readme-samples: $LAB not built (cargo build --release)"; exit 2; }
LAB="$LAB" WRITE="$WRITE" python3 - <<'PY'
import os, re, shlex, subprocess, sys

lab = os.environ["LAB"]
readme = open("README.md", encoding="utf-8").read()

def command(first):
    """The lab's arguments in a sample's first line, and what keeps the part shown: a
    sample may end in `| tail -N` or `| head -N` to show the end or the start of a long
    output."""
    words = shlex.split(first[len("$ race-lab "):])
    if "|" not in words:
        return words, lambda out: out
    i = words.index("|")
    tool, n = words[i + 1], int(words[i + 2].lstrip("-"))
    keep = (lambda ls: ls[-n:]) if tool == "tail" else (lambda ls: ls[:n])
    return words[:i], lambda out: "\n".join(keep(out.splitlines())) + "\n"

if os.environ["WRITE"] == "--write":
    def regenerate(m):
        body = m.group(2)
        first = body.splitlines()[0] if body else ""
        if not first.startswith("$ race-lab "):
            return m.group(0)
        args, cut = command(first)
        out = cut(subprocess.run([lab] + args, capture_output=True, text=True, timeout=600).stdout)
        print(f"wrote  $ race-lab {' '.join(args)}")
        return f"{m.group(1)}{first}\n{out.rstrip()}\n```"
    readme = re.sub(r"^(```[a-z]*\n)(.*?)^```", regenerate, readme, flags=re.S | re.M)
    open("README.md", "w", encoding="utf-8").write(readme)
blocks = re.findall(r"^```[a-z]*\n(.*?)^```", readme, flags=re.S | re.M)

def mask(line):
    line = re.sub(r"\d+(\.\d+)?(e[+-]?\d+)?", "#", line)
    line = re.sub(r"#(\s*[–-]\s*#)+", "#", line)  # ranges
    return re.sub(r"\s+", " ", line).strip()

def shape(lines):
    lines = [l.rstrip() for l in lines if l.strip()]
    if not lines:
        return []
    out = [("first line", mask(lines[0]))]
    for i, l in enumerate(lines[:-1]):
        if l.startswith("┌"):
            out.append(("table header", mask(lines[i + 1])))
    out.append(("last line", mask(lines[-1])))
    return out

failed = checked = 0
for block in blocks:
    lines = block.splitlines()
    if not lines or not lines[0].startswith("$ race-lab "):
        continue
    args, cut = command(lines[0])
    run = subprocess.run([lab] + args, capture_output=True, text=True, timeout=600)
    want, got = shape(lines[1:]), shape(cut(run.stdout).splitlines())
    if args and args[0] in ("run", "litmus", "compare", "claims"):
        want, got = want[:-1], got[:-1]
    checked += 1
    bad = [(w, g) for w, g in zip(want, got) if w != g]
    if len(want) != len(got):
        bad.append((("shape", f"{len(want)} structural lines"), ("shape", f"{len(got)}")))
    if bad:
        failed += 1
        print(f"DRIFT  $ race-lab {' '.join(args)}")
        for (kind, w), (_, g) in bad:
            print(f"   {kind}:\n     README: {w}\n     now:    {g}")
    else:
        print(f"ok     $ race-lab {' '.join(args)}")
print(f"readme-samples: {checked} samples, {failed} drifted")
sys.exit(1 if failed else 0)
PY
