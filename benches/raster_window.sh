#!/bin/sh
# Raster window read: a country-sized Float32 GeoTIFF (made with GDAL in /tmp, never in
# the repository), then windows of it, each timed with its peak memory.
#   sh benches/raster_window.sh                  # 40000 × 40000 cells of 100 m
#   SIZE=20000 KIND=varied sh benches/raster_window.sh
# KIND=constant: every cell 1 (gdal_create; compresses to a few MB).
# KIND=varied: the 40 × 30 test grid resampled bilinearly to SIZE × SIZE (values vary
# from cell to cell; deflate gives ~250 MB at 40000).
# KIND=uncompressed: the varied grid stored uncompressed (6.4 GB at 40000).
set -eu
SIZE=${SIZE:-40000}
KIND=${KIND:-constant}
DIR=${DIR:-/tmp/lifecircle-raster-bench}
HERE=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$DIR"
BIG="$DIR/${KIND}_${SIZE}.tif"
SPAN=$((SIZE * 100))
CO="-co TILED=YES -co COMPRESS=DEFLATE -co BIGTIFF=YES"
if [ ! -f "$BIG" ]; then
  case $KIND in
    constant)
      /usr/bin/time -f "gdal_create: %e s" gdal_create -of GTiff -outsize "$SIZE" "$SIZE" \
        -bands 1 -ot Float32 -burn 1 -a_srs EPSG:32650 -a_ullr 0 "$SPAN" "$SPAN" 0 \
        -a_nodata -99999 $CO "$BIG" ;;
    uncompressed)
      CO="-co TILED=YES -co COMPRESS=NONE -co BIGTIFF=YES"
      /usr/bin/time -f "gdal_translate: %e s" gdal_translate -q -ot Float32 -r bilinear \
        -outsize "$SIZE" "$SIZE" -a_srs EPSG:32650 -a_ullr 0 "$SPAN" "$SPAN" 0 $CO \
        "$HERE/core/tests/fixtures/raster/pop.asc" "$BIG" ;;
    varied)
      /usr/bin/time -f "gdal_translate: %e s" gdal_translate -q -ot Float32 -r bilinear \
        -outsize "$SIZE" "$SIZE" -a_srs EPSG:32650 -a_ullr 0 "$SPAN" "$SPAN" 0 $CO \
        "$HERE/core/tests/fixtures/raster/pop.asc" "$BIG" ;;
    *) echo "KIND is constant, varied or uncompressed" >&2; exit 2 ;;
  esac
fi
ls -l "$BIG"
cargo build --release -q -p lifecircle --example raster_window 2>/dev/null
BIN="${CARGO_TARGET_DIR:-$HERE/target}/release/examples/raster_window"
MID=$((SPAN / 2))
# Windows of 10 km (100 × 100 cells) and 100 km (1000 × 1000) in the middle.
for KM in 10 100; do
  WINDOW="$MID,$MID,$((MID + KM * 1000)),$((MID + KM * 1000))"
  echo "== ${KM} km window"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$BIN" "$BIG" "$WINDOW" 2>"$DIR/time.txt"
    grep -E "Elapsed|Maximum resident" "$DIR/time.txt"
  else
    "$BIN" "$BIG" "$WINDOW"
  fi
done
