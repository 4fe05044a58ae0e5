#!/usr/bin/env bash
# The whole coverage job side by side: `lifecircle coverage` against the Python pipelines
# a user would write instead (geopandas/shapely + SciPy; OSMnx + NetworkX), on the same
# files, timed end to end (process start to outputs written) with peak RSS, the answers
# checked equal resident by resident (compare.py). Tools take turns within each round,
# so every ratio comes from one run under one load.
#
#   bash benches/pipelines/run.sh                          # both cities, the checkout's build
#   LIFECIRCLE=/path/to/lifecircle bash benches/pipelines/run.sh
#   CITIES=gothenburg RESIDENTS=20000 RUNS=3 bash benches/pipelines/run.sh
#   CITIES=synthetic SYNTH_NODES=50000 SYNTH_RESIDENTS=100000 bash benches/pipelines/run.sh
#
# Cities: gothenburg (data/gothenburg_walk.geojson.gz, 18,856 nodes; RESIDENTS seeded
# residents, default 208,000, and 24 centers by benches/seed_gothenburg.py) and synthetic
# (SYNTH_NODES, default 1,000,000, with SYNTH_RESIDENTS, default 2,000,000, residents and
# one center per 2,000 nodes, by the export_city_files bin; written under $OUT, never
# committed). RUNS rounds on Gothenburg (default 3), SYNTH_RUNS on the synthetic city
# (default 1). OSMnx + NetworkX gets NETWORKX_LIMIT_S seconds per run (default 900);
# a run past it is killed and reported as such.
# Results: $OUT/CITY/runs.tsv (one line per run), $OUT/CITY/agreement.json, and the tables on
# standard output.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
out="${OUT:-$root/out/pipelines}"
cities="${CITIES:-gothenburg synthetic}"
networkx_limit_s="${NETWORKX_LIMIT_S:-900}"

bash "$here/setup.sh"
py="$here/.venv/bin/python"
if [[ -z "${LIFECIRCLE:-}" ]]; then
  cargo build --release -q -p lifecircle-cli --manifest-path "$root/Cargo.toml"
  LIFECIRCLE="$CARGO_TARGET_DIR/release/lifecircle"
fi
[[ -x "$LIFECIRCLE" ]] || { echo "run.sh: LIFECIRCLE=$LIFECIRCLE is not an executable" >&2; exit 2; }
mkdir -p "$out"

# One timed run: wall seconds and peak RSS of the command (children included) to the
# city's runs.tsv.
timed() {
  local city="$1" tool="$2" round="$3"; shift 3
  local stats="$out/$city/$tool.time" status=0
  /usr/bin/time -f '%e %M' -o "$stats" "$@" > "$out/$city/$tool.log" 2>&1 || status=$?
  local wall_s rss_kib
  read -r wall_s rss_kib < <(tail -n 1 "$stats")
  printf '%s\t%s\t%s\t%s\t%.1f\t%s\n' "$city" "$tool" "$round" "$wall_s" \
    "$(awk -v k="$rss_kib" 'BEGIN { print k / 1024 }')" "$status" >> "$out/$city/runs.tsv"
  if [[ "$status" != 0 ]]; then
    echo "run.sh: $tool on $city exited $status (log: $out/$city/$tool.log)" >&2
  fi
}

for city in $cities; do
  dir="$out/$city"
  mkdir -p "$dir"
  case "$city" in
    gothenburg)
      roads="$root/data/gothenburg_walk.geojson.gz"
      python3 "$root/benches/seed_gothenburg.py" "$roads" "$dir" "${RESIDENTS:-208000}"
      rounds="${RUNS:-3}"
      ;;
    synthetic)
      roads="$dir/roads.geojson"
      (cd "$root" && cargo build --release -q -p lifecircle-benches --bin export_city_files)
      "$CARGO_TARGET_DIR/release/export_city_files" --nodes "${SYNTH_NODES:-1000000}" \
        --residents "${SYNTH_RESIDENTS:-2000000}" --out "$dir"
      rounds="${SYNTH_RUNS:-1}"
      ;;
    *) echo "run.sh: unknown city $city (gothenburg, synthetic)" >&2; exit 2 ;;
  esac
  printf 'city\ttool\tround\twall_s\tpeak_rss_mib\texit\n' > "$dir/runs.tsv"
  rm -rf "$dir/osmnx-nearest-node"
  mkdir -p "$dir/osmnx-nearest-node"
  inputs=(--roads "$roads" --centers "$dir/centers.csv" --demand "$dir/residents.csv")
  files=("$roads" "$dir/centers.csv" "$dir/residents.csv")
  for round in $(seq "$rounds"); do
    rm -rf "$dir"/{lifecircle,scipy,osmnx}
    mkdir -p "$dir"/{lifecircle,scipy,osmnx}
    # Every default output (network, gaps, service areas, three walking profiles): the
    # CLI has no switch that leaves outputs or profiles out; timings.json tells what
    # the stages the scripts also do cost.
    timed "$city" lifecircle "$round" "$LIFECIRCLE" coverage "${inputs[@]}" --out "$dir/lifecircle" --quiet
    cp "$dir/lifecircle/timings.json" "$dir/lifecircle.timings.$round.json"
    timed "$city" scipy "$round" "$py" "$here/scipy_pipeline.py" "${files[@]}" "$dir/scipy"
    timed "$city" osmnx "$round" timeout "$networkx_limit_s" \
      "$py" "$here/osmnx_pipeline.py" "${files[@]}" "$dir/osmnx"
    # The nearest-node variant once, on the real city: it shows how far that shortcut
    # moves the answers, not a speed of its own.
    if [[ "$round" == 1 && "$city" == gothenburg ]]; then
      timed "$city" osmnx-nearest-node "$round" timeout "$networkx_limit_s" \
        "$py" "$here/osmnx_pipeline.py" --snap nearest-node "${files[@]}" "$dir/osmnx-nearest-node"
    fi
    for tool in scipy osmnx; do
      [[ -f "$dir/$tool/stages.json" ]] && cp "$dir/$tool/stages.json" "$dir/$tool.stages.$round.json"
    done
  done
  # Agreement with lifecircle's default run (the last round's outputs).
  {
    echo "{"
    first=1
    for tool in scipy osmnx osmnx-nearest-node; do
      [[ -f "$dir/$tool/summary.json" ]] || continue
      [[ $first == 1 ]] || echo ","
      first=0
      printf '"%s": ' "$tool"
      "$py" "$here/compare.py" "$dir/lifecircle" "$dir/$tool"
    done
    echo "}"
  } > "$dir/agreement.json"
  # Decoded input size: what the peak RSS is compared with.
  decoded_bytes=0
  for f in "${files[@]}"; do
    if [[ "$f" == *.gz ]]; then n=$(gzip -dc "$f" | wc -c); else n=$(stat -c %s "$f"); fi
    decoded_bytes=$((decoded_bytes + n))
  done
  echo "$decoded_bytes" > "$dir/decoded_input_bytes"
done

echo "load after the runs: $(uptime)"
"$py" "$here/table.py" "$out" $cities
