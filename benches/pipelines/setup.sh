#!/usr/bin/env bash
# Creates benches/pipelines/.venv with the pinned Python stack that the side-by-side
# pipelines use. Idempotent and quiet: a second run with everything present installs
# nothing.
#
#   bash benches/pipelines/setup.sh        # uses python3.11 if present, else python3
#   PYTHON=/path/to/python bash benches/pipelines/setup.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
py="${PYTHON:-$(command -v python3.11 || command -v python3)}"

# Pinned versions, checked to install on CPython 3.11 (x86_64 manylinux wheels).
required=(
  "numpy==2.4.6"
  "scipy==1.17.1"
  "pandas==3.1.1"
  "shapely==2.2.0"
  "pyproj==3.7.2"
  "pyogrio==0.13.0"
  "geopandas==1.2.0"
  "networkx==3.6.1"
  "osmnx==2.1.1"
  # Arrow reads make pyogrio several times faster on large files.
  "pyarrow==26.0.1"
)

if [[ ! -x "$venv/bin/python" ]]; then
  "$py" -m venv "$venv"
fi
vpy="$venv/bin/python"

# True when `pip` already has exactly this `name==version` installed.
have() {
  local name="${1%%==*}" version="${1##*==}"
  local got
  got="$("$vpy" -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p')"
  [[ "$got" == "$version" ]]
}

missing=()
for spec in "${required[@]}"; do
  have "$spec" || missing+=("$spec")
done
if ((${#missing[@]})); then
  echo "pipelines/setup: installing ${missing[*]}"
  "$vpy" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
fi
