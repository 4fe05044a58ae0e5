#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Installs cargo-fuzz when missing. libFuzzer needs nightly compiler flags; on a stable
# toolchain they are enabled with RUSTC_BOOTSTRAP=1. The address sanitizer is used when
# FUZZ_SANITIZER=address (default: none, which works everywhere and still catches panics,
# overflows in debug assertions and aborts).
#
# Seeds come from fuzz/corpus/TARGET (kept in the repository); new inputs go to
# fuzz/corpus-work/TARGET (ignored by git) so the seed corpus stays small. A crash leaves
# its input in fuzz/artifacts/TARGET and stops the script with a non-zero exit code;
# turn it into a regression test next to the code it checks.
set -euo pipefail

seconds="${1:-60}"
shift || true
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1
sanitizer="${FUZZ_SANITIZER:-none}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list)
fi

cargo fuzz build --sanitizer "$sanitizer"

summary=()
for target in "${targets[@]}"; do
    work="corpus-work/$target"
    mkdir -p "$work" "corpus/$target"
    log="$(mktemp)"
    echo "== $target: ${seconds}s"
    start=$(date +%s)
    if ! cargo fuzz run --sanitizer "$sanitizer" "$target" "$work" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
        >"$log" 2>&1; then
        tail -n 40 "$log"
        echo "FINDING in $target: see fuzz/artifacts/$target" >&2
        exit 1
    fi
    elapsed=$(( $(date +%s) - start ))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    summary+=("$target: ${elapsed}s, ${execs} runs, no findings")
    echo "${summary[-1]}"
    rm -f "$log"
done

echo
printf '%s\n' "${summary[@]}"
