#!/usr/bin/env bash
# Independent check of lifecircle walk distances on real road networks.
# Usage: tests/independent/run.sh ROADS.geojson[.gz] [more roads files...] [-- extra check_walks.py options]
# The lifecircle binary defaults to target/release/lifecircle (override with LIFECIRCLE=path).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$here/.venv"
PY="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
    "$PY" -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import numpy, scipy, shapely' 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet numpy==2.2.6 scipy==1.15.3 shapely==2.1.1
fi
bin="${LIFECIRCLE:-$repo/target/release/lifecircle}"
if [ ! -x "$bin" ]; then
    echo "lifecircle binary not found at $bin (build it with: cargo build --release -p lifecircle-cli)" >&2
    exit 2
fi
exec "$venv/bin/python" "$here/check_walks.py" --lifecircle "$bin" "$@"
