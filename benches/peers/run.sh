#!/usr/bin/env bash
# Peer comparison end to end: set up the venv, export cases, run every peer.
#
#   bash benches/peers/run.sh                 # default sizes: 10000 100000 1000000
#   SIZES="10000 50000" REPS=3 bash benches/peers/run.sh
#   MIN_TIME_MS=0 bash benches/peers/run.sh   # exactly REPS timed runs per tool
#
# Every tool times at least REPS runs of a search, and more until they add up to
# MIN_TIME_MS (default 1000).
# Cases go to $OUT (default target dir/peer-cases); results to $OUT/peers.json.
# Then the planning workload (rank every candidate, one what-if at a time) on
# $RANK_SIZES (default 10000 100000): one candidate per 10 nodes, at most 10,000;
# results to $OUT/rank_peers.json.
# Each size is exported twice: seeds with random initial costs and no bound, and seeds
# with zero costs bounded at 1,200 m (a 15-minute walk), where SciPy's native
# multi-source form also runs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
out="${OUT:-$target/peer-cases}"
sizes="${SIZES:-10000 100000 1000000}"
rank_sizes="${RANK_SIZES-10000 100000}"
reps="${REPS:-5}"
min_time_ms="${MIN_TIME_MS:-1000}"
sources="${SOURCES:-50}"

bash "$here/setup.sh"
(cd "$root" && CARGO_TARGET_DIR="$target" cargo build --quiet --release \
  -p lifecircle-benches --bin export_peer_case --bin export_ranking_case)
export_case="$target/release/export_peer_case"
export_ranking="$target/release/export_ranking_case"

cases=()
for n in $sizes; do
  "$export_case" --nodes "$n" --sources "$sources" --reps "$((reps + 4))" \
    --min-time-ms "$min_time_ms" --out "$out/n$n-costs"
  "$export_case" --nodes "$n" --sources "$sources" --reps "$((reps + 4))" \
    --min-time-ms "$min_time_ms" --max-initial-cost-m 0 --limit-m 1200 --out "$out/n$n-zero-1200m"
  cases+=("$out/n$n-costs" "$out/n$n-zero-1200m")
done

"$here/.venv/bin/python" "$here/run_peers.py" --reps "$reps" \
  --min-time-ms "$min_time_ms" --json "$out/peers.json" "${cases[@]}"

rank_cases=()
for n in $rank_sizes; do
  candidates=$((n / 10 < 10000 ? n / 10 : 10000))
  "$export_ranking" --nodes "$n" --candidates "$candidates" --reps "$reps" \
    --out "$out/n$n-rank"
  rank_cases+=("$out/n$n-rank")
done
if [ "${#rank_cases[@]}" -gt 0 ]; then
  "$here/.venv/bin/python" "$here/rank_peers.py" --reps "$reps" \
    --json "$out/rank_peers.json" "${rank_cases[@]}"
fi
