#!/bin/sh
# Raster demand on real data: a WorldPop-style 100 m population grid made from the Isle of
# Man sample's buildings (one person per building, counted per cell in UTM 30N), then
# `lifecircle coverage --demand-raster` on the sample's roads and centers, from that small
# grid and from the same grid set inside a country-sized raster (the island in one corner
# of SIZE × SIZE cells). Prints the people read against the grid's sum, the coverage
# beside the run on building points, and each run's time and peak memory.
#   sh benches/raster_demand.sh                 # SIZE=20000: 2,000 km square, 1.6 GB of samples
# Needs GDAL (ogr2ogr, gdal_translate, gdalwarp) and Python 3; files go to /tmp.
set -eu
SIZE=${SIZE:-20000}
DIR=${DIR:-/tmp/lifecircle-raster-demand}
HERE=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$DIR"
cargo build --release -q -p lifecircle-cli
BIN="${CARGO_TARGET_DIR:-$HERE/target}/release/lifecircle"
FILTER="amenity=community_centre|social_centre|library|townhall|social_facility"
PBF="$HERE/data/isle_of_man.osm.pbf"

timed() { # label, command...
  label=$1; shift
  /usr/bin/time -f "$label: %e s, peak RSS %M KiB" "$@" 2>"$DIR/time.txt" >/dev/null || { cat "$DIR/time.txt"; exit 1; }
  tail -1 "$DIR/time.txt"
}

# The buildings as points: the demo's residents (one per building).
timed "buildings run (demo)" "$BIN" demo --quiet --out "$DIR/points"
ogr2ogr -f CSV -t_srs EPSG:32630 -lco GEOMETRY=AS_XY -select population "$DIR/buildings.csv" \
  "$DIR/points/demand.geojson"

# Counted into 100 m cells on a grid aligned to 100 m, written as an ASCII grid.
python3 - "$DIR" <<'PY'
import csv, math, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(f"{d}/buildings.csv")))
xs = [float(r["X"]) for r in rows]; ys = [float(r["Y"]) for r in rows]
x0 = math.floor(min(xs) / 100) * 100 - 500; y0 = math.floor(min(ys) / 100) * 100 - 500
ncols = int((max(xs) - x0) // 100) + 6; nrows = int((max(ys) - y0) // 100) + 6
cells = {}
for r, x, y in zip(rows, xs, ys):
    key = (int((x - x0) // 100), int((y - y0) // 100))
    cells[key] = cells.get(key, 0) + float(r["population"])
with open(f"{d}/grid.asc", "w") as f:
    f.write(f"ncols {ncols}\nnrows {nrows}\nxllcorner {x0}\nyllcorner {y0}\ncellsize 100\nNODATA_value -1\n")
    for row in range(nrows - 1, -1, -1):
        f.write(" ".join(str(int(cells.get((col, row), 0))) for col in range(ncols)) + "\n")
print(f"grid: {ncols} x {nrows} cells of 100 m, {len(cells)} with people, sum {sum(cells.values()):.0f}"
      f" = {len(rows)} buildings")
open(f"{d}/origin.txt", "w").write(f"{x0} {y0}\n")
PY
gdal_translate -q -ot Float32 -a_srs EPSG:32630 -co TILED=YES -co COMPRESS=DEFLATE \
  "$DIR/grid.asc" "$DIR/grid.tif"

# The same cells inside a country-sized raster: the island near its south-west corner.
BIG="$DIR/country_${SIZE}.tif"
if [ ! -f "$BIG" ]; then
  read -r X0 Y0 < "$DIR/origin.txt"
  XMIN=$(python3 -c "print($X0 - 100000)"); YMIN=$(python3 -c "print($Y0 - 100000)")
  XMAX=$(python3 -c "print($XMIN + $SIZE * 100)"); YMAX=$(python3 -c "print($YMIN + $SIZE * 100)")
  /usr/bin/time -f "gdalwarp (country raster): %e s" gdalwarp -q -te "$XMIN" "$YMIN" "$XMAX" "$YMAX" \
    -tr 100 100 -dstnodata -99999 -co TILED=YES -co COMPRESS=DEFLATE -co BIGTIFF=YES \
    "$DIR/grid.tif" "$BIG"
fi
ls -l "$DIR/grid.tif" "$BIG" | awk '{print $5, $9}'

for RASTER in "$DIR/grid.tif" "$BIG"; do
  NAME=$(basename "$RASTER" .tif)
  timed "raster run ($NAME)" "$BIN" coverage --roads "$PBF" --centers-osm "$FILTER" \
    --demand-raster "$RASTER" --quiet --out "$DIR/$NAME"
done

python3 - "$DIR" "$SIZE" <<'PY'
import json, sys
d, size = sys.argv[1], sys.argv[2]
grid_sum = sum(float(v) for line in open(f"{d}/grid.asc").readlines()[6:] for v in line.split())
points = json.load(open(f"{d}/points/summary.json"))["coverage"]
for name in ("grid", f"country_{size}"):
    s = json.load(open(f"{d}/{name}/summary.json"))
    c = s["coverage"]
    print(f"{name}: {c['residents']} cell points, total {c['total_population']:.1f} people "
          f"(grid sum {grid_sum:.1f}), covered {c['coverage_ratio'] * 100:.2f} % "
          f"(building points: {points['coverage_ratio'] * 100:.2f} %); notes: "
          f"{s['inputs']['demand'].get('skipped', {})}")
PY
