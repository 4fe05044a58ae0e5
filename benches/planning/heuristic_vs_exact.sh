#!/usr/bin/env bash
# Greedy + swap against the exact solver on a real walk network: the Gothenburg
# footpaths (data/gothenburg_walk.geojson.gz) with seeded residents, centers and
# candidate sites on its vertices, MCLP for k = 5 and 10 at 5 and 10 minutes. Prints
# each method's objective, its share of the exact optimum and the optimizing time.
#
#   bash benches/planning/heuristic_vs_exact.sh            # 208,000 residents
#   RESIDENTS=50000 bash benches/planning/heuristic_vs_exact.sh
#   LIFECIRCLE=/path/to/other/lifecircle bash benches/planning/heuristic_vs_exact.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release -q -p lifecircle-cli --manifest-path "$root/Cargo.toml"
bin="${LIFECIRCLE:-$CARGO_TARGET_DIR/release/lifecircle}"
out="${OUT:-$root/out/heuristic_vs_exact}"
mkdir -p "$out"
roads="$root/data/gothenburg_walk.geojson.gz"

# Seeded points near the network's vertices: residents (population 1), 24 centers and
# 244 candidate sites, so every run sees the same city.
python3 "$root/benches/seed_gothenburg.py" "$roads" "$out" "${RESIDENTS:-208000}"

printf '| minutes | k | method | covered (new) | of exact | optimizing, s |\n|---|---|---|---|---|---|\n'
for minutes in 5 10; do
  for k in 5 10; do
    declare -A objective=()
    for method in exact greedy greedy+swap; do
      case "$method" in
        exact) flags=(--exact) ;;
        greedy) flags=(--no-swap) ;;
        greedy+swap) flags=() ;;
      esac
      dir="$out/m${minutes}_k${k}_${method}"
      "$bin" plan --model mclp --k "$k" --minutes "$minutes" --roads "$roads" \
        --centers "$out/centers.csv" --demand "$out/residents.csv" \
        --candidates "$out/candidates.csv" "${flags[@]}" --out "$dir" --quiet
      read -r value seconds < <(python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
plan = json.load(open(f"{d}/plan.json"))
stages = json.load(open(f"{d}/timings.json"))["stages_s"]
print(plan["objective"], f'{stages["optimizing sites"]:.2f}')
PY
)
      objective[$method]="$value"
      share=$(python3 -c "print(f'{100 * $value / ${objective[exact]}:.2f} %')")
      printf '| %s | %s | %s | %s | %s | %s |\n' "$minutes" "$k" "$method" "$value" "$share" "$seconds"
    done
    unset objective
  done
done
