#!/usr/bin/env bash
# Builds the wasm package into wasm/pkg (an npm package: lifecircle-wasm).
# Run scripts/setup-wasm.sh first (scripts/test.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."

route=$(cat target/wasm-route 2>/dev/null || echo rustup)
target_dir=target/wasm
wasm_file=$target_dir/wasm32-unknown-unknown/wasm-release/lifecircle_wasm.wasm
if [[ "$route" == debian ]]; then
  # Debian's rustc-web ships the std sources, not a prebuilt wasm32 std.
  PATH=/usr/bin:$PATH RUSTC_BOOTSTRAP=1 cargo build --quiet -p lifecircle-wasm \
    --target wasm32-unknown-unknown --profile wasm-release --target-dir "$target_dir" \
    -Zbuild-std=std,panic_abort
else
  cargo build --quiet -p lifecircle-wasm --target wasm32-unknown-unknown \
    --profile wasm-release --target-dir "$target_dir"
fi

rm -rf wasm/pkg
wasm-bindgen --target web --out-dir wasm/pkg "$wasm_file"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
cat > wasm/pkg/package.json <<JSON
{
  "name": "lifecircle-wasm",
  "version": "$version",
  "description": "Walking-distance coverage of service centers (the 10-minute service circle) in the browser",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "lifecircle_wasm.js",
  "types": "lifecircle_wasm.d.ts",
  "files": ["lifecircle_wasm.js", "lifecircle_wasm.d.ts", "lifecircle_wasm_bg.wasm", "lifecircle_wasm_bg.wasm.d.ts"],
  "sideEffects": false
}
JSON
cp wasm/API.md wasm/pkg/README.md
printf 'wasm/pkg: %s bytes of wasm\n' "$(stat -c %s wasm/pkg/lifecircle_wasm_bg.wasm)"
