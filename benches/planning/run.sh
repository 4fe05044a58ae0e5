#!/usr/bin/env bash
# Side-by-side with PySAL spopt on the Isle of Man sample: lifecircle exports the
# candidate/demand matrix of its exact MCLP (k=3) and LSCP (100 %) runs, spopt solves
# the same matrices with CBC, and the objectives are compared.
#
#   bash benches/planning/run.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bash "$here/setup.sh"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release -q -p lifecircle-cli --manifest-path "$root/Cargo.toml"
bin="$CARGO_TARGET_DIR/release/lifecircle"
out="${OUT:-$root/out/spopt}"
common=(--roads "$root/data/isle_of_man.osm.pbf"
  --centers-osm "amenity=community_centre|social_centre|library|townhall|social_facility"
  --demand-osm building --candidate-spacing-m 400 --exact --export-matrix --quiet)
"$bin" plan --model mclp --k 3 "${common[@]}" --out "$out/mclp"
"$bin" plan --model lscp --target 1.0 "${common[@]}" --out "$out/lscp"
# The exact solver's time from timings.json goes into plan.json's private field for the table.
for d in mclp lscp; do
  "$here/.venv/bin/python" - "$out/$d" <<'PY'
import json, sys
d = sys.argv[1]
t = json.load(open(f"{d}/timings.json"))["stages_s"]["optimizing sites"]
p = json.load(open(f"{d}/plan.json")); p["_solve_s"] = t
json.dump(p, open(f"{d}/plan.json", "w"), indent=2)
PY
done
"$here/.venv/bin/python" "$here/compare_spopt.py" "$out/mclp" "$out/lscp"
