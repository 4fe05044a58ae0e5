#!/usr/bin/env bash
# Compares `lifecircle bench` between two revisions of the repository, interleaved in one
# run (so both see the same machine load), and prints the median of each stage's p50.
#
#   bash benches/compare_revisions.sh REV_BEFORE REV_AFTER [ROUNDS] [-- BENCH ARGS...]
#
# Each revision is checked out into target/revisions/REV (a git worktree) and built in
# release mode with its own target folder; the bench runs ROUNDS times (default 5) per
# revision, alternating, with `--json`. Bench arguments after `--` are passed to both
# (default: the bundled Isle of Man sample, 1,000 what-ifs, candidates 400 m apart).
set -euo pipefail
cd "$(dirname "$0")/.."

before=${1:?usage: compare_revisions.sh REV_BEFORE REV_AFTER [ROUNDS] [-- ARGS]}
after=${2:?usage: compare_revisions.sh REV_BEFORE REV_AFTER [ROUNDS] [-- ARGS]}
shift 2
rounds=5
if [[ $# -gt 0 && $1 != "--" ]]; then
  rounds=$1
  shift
fi
[[ ${1:-} == "--" ]] && shift
args=("$@")

root=target/revisions
mkdir -p "$root"
build() {
  local rev=$1 dir
  dir="$root/$(git rev-parse --short "$rev")"
  if [[ ! -d $dir ]]; then
    git worktree add --detach -q "$dir" "$rev"
  fi
  (cd "$dir" && CARGO_TARGET_DIR=target cargo build --release -q -p lifecircle-cli)
  echo "$dir/target/release/lifecircle"
}
bin_before=$(build "$before")
bin_after=$(build "$after")

out=$root/results
rm -rf "$out"
mkdir -p "$out"
for ((i = 1; i <= rounds; i++)); do
  "$bin_before" bench --quiet --json "$out/before-$i.json" "${args[@]}"
  "$bin_after" bench --quiet --json "$out/after-$i.json" "${args[@]}"
done

python3 - "$out" "$rounds" "$before" "$after" <<'PY'
import json, statistics, sys
out, rounds, before, after = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def load(kind):
    runs = [json.load(open(f"{out}/{kind}-{i}.json")) for i in range(1, rounds + 1)]
    stages = {}
    for r in runs:
        for s in r["stages"]:
            stages.setdefault(s["stage"], []).append(s["p50_ms"])
    return runs[0], {k: statistics.median(v) for k, v in stages.items()}
meta, b = load("before")
_, a = load("after")
w = meta["workload"]
print(f"{w['roads']}: {w['nodes']} nodes, {w['residents']} residents, {w['candidates']} candidates; "
      f"{rounds} interleaved rounds, median of per-round p50")
print(f"| stage | {before} | {after} | after / before |")
print("|---|---:|---:|---:|")
for stage in b:
    print(f"| {stage} | {b[stage]:.3f} ms | {a[stage]:.3f} ms | {a[stage] / b[stage]:.2f} |")
PY
