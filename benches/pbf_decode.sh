#!/usr/bin/env bash
# OSM PBF decoding: lifecircle reading the walkable roads of a PBF against osmium-tool
# (libosmium, multi-threaded decoding) on the same file. The file is a synthetic grid city
# written as OPL and converted to PBF by osmium itself (zlib-compressed blobs of 8,000
# elements, as every writer makes them): SIDE × SIDE nodes (default 2,000: 4 M nodes),
# footways along every row and column, one way per 50 nodes.
#
#   bash benches/pbf_decode.sh                  # 4 M nodes
#   SIDE=1000 RUNS=5 bash benches/pbf_decode.sh
#
# Prints one row per tool with the median of RUNS runs (default 3), seconds and MB/s of
# the PBF file, and peak RSS. lifecircle's figure is `lifecircle::read_roads` from the
# file's bytes to the walkable lines (decode, node table, ways resolved;
# `src/bin/read_pbf.rs`), on both cores and on one; osmium's are
# `osmium cat -f opl -o /dev/null` (decode and write every object as text) and
# `osmium fileinfo -e --no-crc` (decode every object, count and bound them), whole
# processes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
command -v osmium >/dev/null || { echo "osmium-tool is missing (Debian: apt-get install osmium-tool)" >&2; exit 1; }
cargo build --release -q -p lifecircle-benches --bin read_pbf --manifest-path "$root/Cargo.toml"
read_pbf="$CARGO_TARGET_DIR/release/read_pbf"
side="${SIDE:-2000}"
out="${OUT:-$root/out/pbf_decode}"
mkdir -p "$out"
pbf="$out/grid_$side.osm.pbf"
if [[ ! -f $pbf ]]; then
  python3 - "$side" "$out" <<'PY'
import sys
side, out = int(sys.argv[1]), sys.argv[2]
step = 0.0009  # about 100 m of latitude between neighbours
node = lambda i, j: i * side + j + 1
with open(f"{out}/grid.opl", "w") as f:
    for i in range(side):
        for j in range(side):
            f.write(f"n{node(i, j)} v1 x{10 + j * step * 1.8:.7f} y{50 + i * step:.7f}\n")
    way = 1
    for i in range(side):
        for lo in range(0, side - 1, 49):
            hi = min(lo + 49, side - 1)
            for refs in (",".join(f"n{node(i, j)}" for j in range(lo, hi + 1)),
                         ",".join(f"n{node(j, i)}" for j in range(lo, hi + 1))):
                f.write(f"w{way} v1 Thighway=footway N{refs}\n")
                way += 1
PY
  osmium cat "$out/grid.opl" -o "$pbf" --overwrite
  rm "$out/grid.opl"
fi
mb=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)" "$pbf")
echo "file: $pbf ($mb MB), load: $(cut -d' ' -f1-3 /proc/loadavg)"
timed() {  # label, command...: one line "label seconds peak_kb"
  local label=$1; shift
  /usr/bin/time -f "$label %e %M" "$@" >/dev/null 2>"$out/time.txt" || { cat "$out/time.txt" >&2; exit 1; }
  tail -1 "$out/time.txt"
}
"$read_pbf" "$pbf" --reps "${RUNS:-3}" > "$out/lifecircle.json"
timed "lifecircle_rss" "$read_pbf" "$pbf" --reps 1 > "$out/runs.txt"
for run in $(seq "${RUNS:-3}"); do
  timed "osmium_cat" osmium cat "$pbf" -f opl -o /dev/null --overwrite
  timed "osmium_fileinfo" osmium fileinfo -e --no-crc "$pbf"
done >> "$out/runs.txt"
python3 - "$out" "$mb" <<'PY'
import json, statistics, sys
out, mb = sys.argv[1], float(sys.argv[2])
rows = {}
for line in open(f"{out}/runs.txt"):
    label, s, kb = line.split()
    rows.setdefault(label, []).append((float(s), int(kb)))
ours = json.load(open(f"{out}/lifecircle.json"))
rss = rows.pop("lifecircle_rss")[0][1] / 1024
print(f"walkable lines: {ours['walkable_lines']}, file read: {ours['file_read_s']:.2f} s")
print("| tool | what it does | s | MB/s | peak RSS, MB |")
print("|---|---|---:|---:|---:|")
for key, what in [("read_roads_s", f"`read_roads`, {ours['threads']} threads"), ("read_roads_one_thread_s", "`read_roads`, 1 thread")]:
    s = ours[key]
    print(f"| lifecircle | {what} | {s:.2f} | {mb / s:.0f} | {rss:.0f} (process, file in memory) |")
what = {"osmium_cat": "`cat -f opl -o /dev/null`", "osmium_fileinfo": "`fileinfo -e --no-crc`"}
for label, runs in rows.items():
    s = statistics.median(r[0] for r in runs)
    kb = statistics.median(r[1] for r in runs)
    print(f"| osmium | {what[label]} | {s:.2f} | {mb / s:.0f} | {kb / 1024:.0f} |")
PY
