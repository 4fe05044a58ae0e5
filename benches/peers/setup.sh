#!/usr/bin/env bash
# Creates benches/peers/.venv with the pinned peer tools. Idempotent and quiet:
# a second run with everything present installs nothing.
#
#   bash benches/peers/setup.sh            # uses python3.11 if present, else python3
#   PYTHON=/path/to/python bash benches/peers/setup.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
py="${PYTHON:-$(command -v python3.11 || command -v python3)}"

# Pinned versions, checked to install on CPython 3.11 (x86_64 manylinux wheels).
required=(
  "numpy==2.4.6"
  "scipy==1.17.1"
  "networkx==3.6.1"
  "python-igraph==1.0.0"
)
# Optional: pandana builds against pandas/numpy and may have no wheel for this Python.
optional=(
  "pandana==0.8"
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
  echo "peers/setup: installing ${missing[*]}"
  "$vpy" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
fi

for spec in "${optional[@]}"; do
  name="${spec%%==*}"
  if have "$spec" || [[ -e "$venv/.skip-$name" ]]; then
    continue
  fi
  echo "peers/setup: trying optional $spec"
  if "$vpy" -m pip install --quiet --disable-pip-version-check "$spec"; then
    rm -f "$venv/.skip-$name"
  else
    echo "peers/setup: $spec did not install; run_peers.py will skip it" >&2
    # Remember the failure so later runs stay fast; delete the marker to retry.
    touch "$venv/.skip-$name"
  fi
done
