#!/usr/bin/env bash
# Builds the Python package into the test environment and runs its tests.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=$(bash scripts/setup-python.sh)
VENV=$(dirname "$(dirname "$PYTHON")")
# `maturin develop` builds the extension in release mode into the environment; the
# pure-Python part is linked, not copied.
(cd python && VIRTUAL_ENV="$PWD/../$VENV" "../$VENV/bin/maturin" develop --release --quiet)
"$PYTHON" -m pytest -q python/tests "$@"
