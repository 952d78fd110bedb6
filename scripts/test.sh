#!/usr/bin/env bash
# Installs what the tests need (GnuPG, an SMTP server, Chromium, axe-core, nginx, tor,
# PostgreSQL, poppler's pdftotext) and runs every test of the workspace. Safe to rerun: each step skips what is
# already there.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need_apt=()
command -v gpg >/dev/null 2>&1 || need_apt+=(gnupg)
# openssl: the mail tests make a throw-away CA and relay certificate for the TLS cases.
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# The site quality gates run playwright-core and axe-core under Node.js.
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# The deployment tests (tests/tests/e2e/deploy_*.rs): Debian's nginx in front of the real
# endpoint, curl as the visitor, tor and systemd-analyze checking the shipped files.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v tor >/dev/null 2>&1 || [ -x /usr/sbin/tor ] || need_apt+=(tor)
command -v systemd-analyze >/dev/null 2>&1 || need_apt+=(systemd)
# pdftotext reads the printed handouts back (generator/tests/generator/handouts.rs).
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
# exiftool writes GPS tags into the attachment tests' photo and reads what arrived
# (report-endpoint/tests/api/web_attachments.rs).
command -v exiftool >/dev/null 2>&1 || need_apt+=(libimage-exiftool-perl)
# wrk drives the tip endpoint's load benchmark (scripts/bench-tips.sh; a smoke run below).
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
# compose.yaml is read with PyYAML (tests/tests/e2e/deploy_container.rs).
python3 -c "import yaml" 2>/dev/null || need_apt+=(python3-yaml)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "==> installing ${need_apt[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  # Packages install here only as tools: their services (nginx on port 80, tor) must not
  # start. policy-rc.d is Debian's switch for that; it is removed again if we made it.
  made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
fi

# A real SMTP server for the delivery tests: aiosmtpd in a virtualenv.
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import aiosmtpd' 2>/dev/null; then
  echo "==> installing aiosmtpd (pip, .venv)"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
fi

# Browser tests: playwright-core drives Debian's Chromium; axe-core checks accessibility.
if [ -f tests/browser/package.json ] && [ ! -d tests/browser/node_modules ]; then
  echo "==> installing browser test packages (npm)"
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi

export XEBERDAR_PYTHON="$root/.venv/bin/python"
export XEBERDAR_CHROMIUM="${XEBERDAR_CHROMIUM:-$(command -v chromium)}"
export XEBERDAR_NODE_MODULES="$root/tests/browser/node_modules"

# The code rules are checked by this script, not left to goodwill: formatting first (fast),
# then every clippy warning as an error.
echo "==> checking formatting and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

# The dependency graph (deny.toml): licenses, banned crates, duplicate versions, sources.
# Advisories need the RustSec database from GitHub, out of CI's reach: README.md gives
# that check as a manual step. cargo-deny is built from crates.io once (no prebuilt one
# can be fetched here).
if ! command -v cargo-deny >/dev/null 2>&1; then
  echo "==> installing cargo-deny (cargo install)"
  cargo install --locked --quiet cargo-deny@0.20.2
fi
echo "==> checking dependencies (cargo deny)"
cargo deny --locked check --hide-inclusion-graph bans licenses sources

# A throw-away PostgreSQL server for the outbox tests, stopped however the run ends.
. scripts/test-postgres.sh
trap pg_test_stop EXIT
pg_test_start

echo "==> building"
cargo build --workspace --bins --locked
echo "==> testing"
cargo test --workspace --locked

# The tip endpoint's load benchmark, a few requests per phase with the dev build: that it
# runs, not how fast (the figures are BENCHMARKS.md's, from release builds).
echo "==> smoke run of scripts/bench-tips.sh"
bash scripts/bench-tips.sh --smoke

# A short fuzz run of each cargo-fuzz target (report-endpoint/fuzz): 60 s each unless
# XEBERDAR_FUZZ_SECONDS says otherwise (0 skips it). The sanitizer flags are nightly-only;
# run_fuzz.sh unlocks them on the installed toolchain with RUSTC_BOOTSTRAP, so no second
# toolchain is needed. The endpoint is built again with AddressSanitizer for it (about
# 20 CPU-minutes cold). The fuzz crate is not a workspace member, so clippy and the build
# above do not see it; this build does.
fuzz_seconds=${XEBERDAR_FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" = 0 ]; then
  echo "==> fuzz smoke run skipped (XEBERDAR_FUZZ_SECONDS=0)"
else
  if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "==> installing cargo-fuzz (cargo install)"
    cargo install --locked --quiet cargo-fuzz@0.13.1
  fi
  echo "==> fuzzing each target for ${fuzz_seconds}s"
  bash scripts/reliability/run_fuzz.sh "$fuzz_seconds"
fi
