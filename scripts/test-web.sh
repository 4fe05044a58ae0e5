#!/usr/bin/env bash
# Builds the map viewer (web/) and runs its browser tests in Chromium.
# Expects wasm/pkg to be built already (scripts/build-wasm.sh) and Debian's chromium
# (or CHROMIUM=/path/to/chrome). Installs npm packages only when package-lock.json changed.
set -euo pipefail
cd "$(dirname "$0")/../web"

if [[ ! -f ../wasm/pkg/lifecircle_wasm.js ]]; then
  echo "wasm/pkg is missing: run scripts/build-wasm.sh first" >&2
  exit 1
fi

stamp=node_modules/.lifecircle-package-lock.json
if [[ ! -f $stamp ]] || ! cmp -s package-lock.json "$stamp"; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

echo "== web build"
npm run build

echo "== web browser tests"
npm test
