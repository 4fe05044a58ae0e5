#!/usr/bin/env bash
# Creates benches/planning/.venv with pinned spopt + PuLP (CBC). Idempotent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
py="${PYTHON:-$(command -v python3.11 || command -v python3)}"
required=("spopt==0.7.0" "pulp==2.9.0" "numpy==2.2.6")
[[ -x "$venv/bin/python" ]] || "$py" -m venv "$venv"
vpy="$venv/bin/python"
have() { [[ "$("$vpy" -m pip show "${1%%==*}" 2>/dev/null | sed -n 's/^Version: //p')" == "${1##*==}" ]]; }
missing=()
for spec in "${required[@]}"; do have "$spec" || missing+=("$spec"); done
if ((${#missing[@]})); then
  echo "planning/setup: installing ${missing[*]}"
  "$vpy" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
fi
