#!/usr/bin/env bash
# Scaling curve: synthetic cities of growing size, each in its own process (peak memory
# is per process). Writes scaling.csv, scaling.svg (and scaling.png with chromium) here.
#
#   bash benches/scaling/run.sh                      # 10k 100k 1M 4M nodes
#   SIZES="10000 100000" bash benches/scaling/run.sh
#
# Columns (see src/bin/scaling.rs): build and full-coverage seconds, the input lines'
# resident memory, the network's own heap bytes per edge (`WalkNetwork::heap_bytes`),
# and peak resident memory (VmHWM) of the build and of the whole process, per edge.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
sizes="${SIZES:-10000 100000 1000000 4000000}"
csv="${CSV:-$here/scaling.csv}"

(cd "$root" && CARGO_TARGET_DIR="$target" cargo build --quiet --release \
  -p lifecircle-benches --bin scaling)
bin="$target/release/scaling"

{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$bin" --header
  for n in $sizes; do
    "$bin" "$n"
  done
  echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$csv"

python3 "$here/plot.py" "$csv" "$here/scaling.svg"
echo "wrote $csv and $here/scaling.svg"
# A PNG too, when a headless Chromium is at hand.
if command -v chromium >/dev/null; then
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --window-size=900,360 \
    --screenshot="$here/scaling.png" "file://$here/scaling.svg" >/dev/null 2>&1 &&
    echo "wrote $here/scaling.png"
fi
