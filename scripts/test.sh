#!/usr/bin/env bash
# Runs every check and test of the project. Installs nothing that is already present.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

# A one-off run gains nothing from incremental caches, and they double the build's disk use.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

step "formatting"
cargo fmt --all -- --check

step "structure (import circles, rust-version, file sizes)"
python3 scripts/check_structure.py

step "every declared dependency used"
if ! command -v cargo-machete >/dev/null 2>&1; then
  cargo install cargo-machete --locked --version 0.9.2 --quiet
fi
cargo machete --with-metadata

step "lints"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "benches compile"
cargo bench --workspace --no-run --quiet

step "tests"
cargo test --workspace

step "python package"
bash scripts/test-python.sh

step "wasm package"
bash scripts/setup-wasm.sh
bash scripts/build-wasm.sh
node --test wasm/tests/

if [[ -f scripts/test-web.sh ]]; then
  step "browser viewer"
  bash scripts/test-web.sh
fi

step "disk used"
du -sh target web/node_modules 2>/dev/null || true
df -h . | tail -1
