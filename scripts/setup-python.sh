#!/usr/bin/env bash
# Makes the Python environment of the package's tests: a virtualenv in
# target/python-venv with maturin, pytest, geopandas, pyarrow and tqdm from PyPI
# (python/requirements-test.txt pins them). Skipped when the environment is present and
# the pins have not changed. Prints the environment's python.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup-python: %s\n' "$*" >&2; }

VENV=target/python-venv
PINS=python/requirements-test.txt
STAMP="$VENV/.pins"

if [[ ! -x "$VENV/bin/python" ]] || ! cmp -s "$PINS" "$STAMP"; then
  say "making $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$PINS"
  cp "$PINS" "$STAMP"
fi
echo "$VENV/bin/python"
