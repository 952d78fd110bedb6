#!/usr/bin/env bash
# Runs each cargo-fuzz target of report-endpoint/fuzz for a fixed time and prints libFuzzer's
# run count and any crash. Usage: scripts/reliability/run_fuzz.sh [SECONDS] [TARGET...]
#
# cargo-fuzz needs nightly-only rustc flags (-Zsanitizer). The workspace's own toolchain is
# used with RUSTC_BOOTSTRAP=1, which unlocks those flags, so that the run needs nothing a
# machine with one stable toolchain lacks; XEBERDAR_FUZZ_TOOLCHAIN=nightly uses rustup's
# nightly instead.
# Install the tool with `cargo install cargo-fuzz --locked`. Exits 1 when a target crashed
# or libFuzzer stopped with an error, so scripts/test.sh can run it as a smoke test.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
seconds=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(form_tip captcha_token attachment_strippers)

command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is not installed: cargo install cargo-fuzz --locked" >&2; exit 1; }
toolchain=()
if [ -n "${XEBERDAR_FUZZ_TOOLCHAIN:-}" ]; then
  toolchain=("+$XEBERDAR_FUZZ_TOOLCHAIN")
else
  export RUSTC_BOOTSTRAP=1
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR_FUZZ:-$root/target/fuzz}
out=${FUZZ_OUT:-/tmp/xeberdar-fuzz}
mkdir -p "$out"
# Same dependency versions as the workspace: start from its lock file.
[ -f report-endpoint/fuzz/Cargo.lock ] || cp Cargo.lock report-endpoint/fuzz/Cargo.lock

cd report-endpoint/fuzz
echo "toolchain: ${toolchain[*]:-stable+RUSTC_BOOTSTRAP} $(rustc "${toolchain[@]}" --version)"
cargo "${toolchain[@]}" fuzz build -O --debug-assertions 2>&1 | tail -3
failed=()
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  log="$out/$t.log"
  echo "==> $t for ${seconds}s (log: $log)"
  set +e
  cargo "${toolchain[@]}" fuzz run -O --debug-assertions "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
  crashes=$(ls "artifacts/$t" 2>/dev/null | wc -l)
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
  echo "$t: exit=$rc ${runs:-no final line} ; ${cov} ; crash artifacts=$crashes"
  grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb' "$log" || true
  if [ "$crashes" -gt 0 ]; then ls -la "artifacts/$t"; grep -m5 -E 'panicked|ERROR' "$log" || true; fi
  if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then failed+=("$t"); fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (logs in $out)" >&2
  exit 1
fi
