#!/usr/bin/env bash
# Installs what the wasm package and the browser viewer need, and only what is missing:
# the wasm32 target (rustup, else Debian's rustc-web route), wasm-bindgen-cli pinned to
# the crate's wasm-bindgen version, and Chromium (with a CJK font and poppler) for the
# browser tests.
# Quiet and quick when everything is present. Prints the wasm build route it chose
# into target/wasm-route (read by scripts/build-wasm.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup-wasm: %s\n' "$*" >&2; }

# The version the generated JS glue must match (wasm/Cargo.toml pins it with `=`).
BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' wasm/Cargo.toml)
[[ -n "$BINDGEN_VERSION" ]] || { say "cannot read the wasm-bindgen pin from wasm/Cargo.toml"; exit 1; }

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
apt_missing=()
need_deb() { dpkg -s "$1" >/dev/null 2>&1 || apt_missing+=("$1"); }

# 1. The wasm32 target: rustup first, Debian's rustc-web (with the std sources, built
#    by -Zbuild-std) when rustup cannot download it.
route=""
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  route=rustup
elif timeout 300 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
  say "installed the wasm32 target with rustup"
  route=rustup
else
  say "rustup cannot add the wasm32 target; using Debian's rustc-web"
  route=debian
  for p in rustc-web cargo-web rust-web-src lld-22; do need_deb "$p"; done
fi

# 2. Chromium for the browser tests, a CJK font so Chinese pages draw glyphs rather than
#    empty boxes, and poppler's pdftoppm/pdftotext to check a report printed to PDF.
command -v chromium >/dev/null 2>&1 || need_deb chromium
need_deb fonts-noto-cjk
command -v pdftoppm >/dev/null 2>&1 || need_deb poppler-utils

if ((${#apt_missing[@]})); then
  say "installing ${apt_missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

# 3. wasm-bindgen-cli equal to the crate's wasm-bindgen.
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$have" != "$BINDGEN_VERSION" ]]; then
  say "installing wasm-bindgen-cli $BINDGEN_VERSION (found: ${have:-none})"
  cargo install --quiet --force wasm-bindgen-cli --version "$BINDGEN_VERSION"
fi

mkdir -p target
echo "$route" > target/wasm-route
