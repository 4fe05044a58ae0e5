#!/usr/bin/env bash
# The whole `lifecircle coverage` job as a user times it, stage by stage: the Gothenburg
# footpaths (data/gothenburg_walk.geojson.gz, 18,856 nodes) with 208,000 seeded residents
# and 24 seeded centers (benches/seed_gothenburg.py), every default output, the three
# walking profiles. Each binary runs RUNS times in turn (default 3), one table row per
# stage with the median, then the process's CPU time and peak RSS (GNU time); the outputs
# of the binaries are checked byte-equal.
#
#   bash benches/whole_job.sh                                  # this checkout
#   BASE=/path/to/old/lifecircle bash benches/whole_job.sh     # against another build
#   RESIDENTS=50000 RUNS=5 bash benches/whole_job.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release -q -p lifecircle-cli --manifest-path "$root/Cargo.toml"
new="$CARGO_TARGET_DIR/release/lifecircle"
out="${OUT:-$root/out/whole_job}"
mkdir -p "$out"
roads="$root/data/gothenburg_walk.geojson.gz"
python3 "$root/benches/seed_gothenburg.py" "$roads" "$out" "${RESIDENTS:-208000}"

bins=(new)
declare -A path=([new]="$new")
if [[ -n "${BASE:-}" ]]; then bins=(base new); path[base]="$BASE"; fi
for run in $(seq "${RUNS:-3}"); do
  for b in "${bins[@]}"; do
    /usr/bin/time -f "%M %U %S" -o "$out/$b.time.$run.txt" \
      "${path[$b]}" coverage --roads "$roads" --centers "$out/centers.csv" \
      --demand "$out/residents.csv" --out "$out/$b" --quiet
    cp "$out/$b/timings.json" "$out/$b.timings.$run.json"
  done
done
if [[ -n "${BASE:-}" ]]; then
  for f in summary.json demand.geojson network.geojson gaps.geojson service_areas.geojson; do
    cmp -s "$out/base/$f" "$out/new/$f" || { echo "outputs differ: $f" >&2; exit 1; }
  done
  echo "outputs byte-equal"
fi
python3 - "$out" "${bins[@]}" <<'PY'
import glob, json, statistics, sys
out, bins = sys.argv[1], sys.argv[2:]
runs = {b: [json.load(open(p)) for p in sorted(glob.glob(f"{out}/{b}.timings.*.json"))] for b in bins}
stages = list(runs[bins[-1]][0]["stages_s"])
median = lambda b, key: statistics.median(r["stages_s"].get(key, 0.0) if key else r["total_s"] for r in runs[b])
print("| stage | " + " | ".join(f"{b}, s" for b in bins) + " |")
print("|---|" + "---:|" * len(bins))
for key in stages + [None]:
    print(f"| {key or '**whole job**'} | " + " | ".join(f"{median(b, key):.3f}" for b in bins) + " |")
# Peak RSS and CPU time of the whole process (GNU time), medians.
proc = {b: [open(p).read().split() for p in sorted(glob.glob(f"{out}/{b}.time.*.txt"))] for b in bins}
cell = lambda b, f: statistics.median(f(r) for r in proc[b])
print("| CPU time (user + system), s | " + " | ".join(f"{cell(b, lambda r: float(r[1]) + float(r[2])):.2f}" for b in bins) + " |")
print("| peak RSS, MB | " + " | ".join(f"{cell(b, lambda r: int(r[0])) / 1024:.0f}" for b in bins) + " |")
PY
