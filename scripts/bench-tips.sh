#!/usr/bin/env bash
# Load benchmark of the tip endpoint (figures in BENCHMARKS.md). Starts a release build of
# xeberdar-report on 127.0.0.1 with a bench config (proof of work with a known key, rate
# limits and the hourly cap lifted, SQLite outbox, delivery into a folder of .eml files),
# pre-solves one proof of work per tip with the endpoint's own code (examples/bench_tokens.rs),
# then runs, each phase after the other:
#   1. saturation: wrk POSTs valid tips on CONNECTIONS connections for SAT_SECS;
#   2. paced: valid tips at PACED_RATE a second, open loop, for PACED_SECS (examples/bench_paced.rs);
#   3. flood: wrk POSTs invalid-captcha forms for FLOOD_SECS on FLOOD_CONNECTIONS while a
#      paced stream of valid tips (STREAM_RATE a second) runs beside it.
# Each phase prints wrk's or the client's figures, the endpoint's counters (from /metrics),
# its RSS and the load average. Every request goes to 127.0.0.1; every phase ends by itself.
#
#   bash scripts/bench-tips.sh            # the recorded run (release build)
#   bash scripts/bench-tips.sh --smoke    # a few requests per phase with the dev build: checks
#                                         # that the script works, measures nothing
# Settings by environment: SAT_SECS, PACED_RATE, PACED_SECS, FLOOD_SECS, STREAM_RATE,
# CONNECTIONS, FLOOD_CONNECTIONS, WRK_THREADS, PROFILE (release|dev), BIN (another build of
# xeberdar-report, e.g. an older commit's, for before/after figures), KEEP=1 keeps the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

smoke=
[ "${1:-}" = "--smoke" ] && smoke=1
if [ -n "$smoke" ]; then
  : "${SAT_SECS:=1}" "${PACED_RATE:=20}" "${PACED_SECS:=1}" "${FLOOD_SECS:=1}" "${STREAM_RATE:=10}"
  : "${CONNECTIONS:=2}" "${FLOOD_CONNECTIONS:=2}" "${WRK_THREADS:=1}" "${PROFILE:=dev}"
fi
: "${SAT_SECS:=20}" "${PACED_RATE:=500}" "${PACED_SECS:=30}" "${FLOOD_SECS:=20}" "${STREAM_RATE:=50}"
: "${CONNECTIONS:=32}" "${FLOOD_CONNECTIONS:=64}" "${WRK_THREADS:=2}" "${PROFILE:=release}"

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed: apt-get install -y curl" >&2; exit 1; }

profile_flag=(--release)
profile_dir=release
if [ "$PROFILE" = dev ]; then profile_flag=(); profile_dir=debug; fi
echo "==> building xeberdar-report and the bench examples ($PROFILE)"
# --workspace: the features the workspace's own build and tests unify, so the smoke run in
# scripts/test.sh reuses what they compiled instead of building the dependencies again.
cargo build "${profile_flag[@]}" -q --workspace --bin xeberdar-report \
  --example bench_tokens --example bench_paced
target=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
bin="${BIN:-$target/$profile_dir/xeberdar-report}"
tokens_bin="$target/$profile_dir/examples/bench_tokens"
paced_bin="$target/$profile_dir/examples/bench_paced"

work=$(mktemp -d /tmp/xeberdar-bench.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
metrics_port=$(free_port)
key=bench-run-key
difficulty=4
cat >"$work/config.toml" <<TOML
[application]
host = "127.0.0.1"
port = $port
prefix = "/report"
site_dir = "$root"
mode = "bench"
[captcha]
kind = "pow"
pow_difficulty = $difficulty
pow_ttl_secs = 3600
pow_hmac_key = "$key"
no_js_question = true
[rate_limit]
tips_per_hour = 1000000000
no_js_tips_per_hour = 1000000000
challenges_per_minute = 1000000000
follow_ups_per_hour = 1000000000
[metrics]
listen = "127.0.0.1:$metrics_port"
[outbox]
path = "$work/outbox.sqlite"
[delivery]
poll_interval_ms = 200
stats_interval_ms = 1000
hourly_cap_per_recipient = 1000000000
[mail]
transport = "folder"
path = "$work/mail"
TOML

"$bin" --config "$work/config.toml" >"$work/endpoint.log" 2>&1 &
server_pid=$!
url="http://127.0.0.1:$port/report"
for _ in $(seq 1 200); do
  curl -fs -o /dev/null "$url/health" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/endpoint.log" >&2; exit 1; }
  sleep 0.1
done
curl -fs -o /dev/null "$url/health" || { echo "the endpoint did not become healthy" >&2; exit 1; }

# Solutions: enough for the saturation phase at up to 4,000 tips a second, and one set per
# paced stream; the flood's are refused at the signature and sent round and round.
solve() { "$tokens_bin" --key "$key" --difficulty "$difficulty" --ttl 3600 "$@"; }
solve --count $((SAT_SECS * 4000)) >"$work/sat.tokens"
solve --count $((PACED_RATE * PACED_SECS + 10)) >"$work/paced.tokens"
solve --count $((STREAM_RATE * FLOOD_SECS + 10)) >"$work/stream.tokens"
solve --count 1000 --invalid >"$work/invalid.tokens"

counters() {
  curl -fs "http://127.0.0.1:$metrics_port/metrics" |
    awk '/^xeberdar_report_(tips_accepted|captcha_failed|tips_invalid|rate_limited|unavailable)_total /{printf "%s=%s ", $1, $2} END {print ""}' |
    sed 's/xeberdar_report_//g; s/_total//g'
}
# CPU time the endpoint used so far, in milliseconds (utime + stime of /proc/<pid>/stat):
# on a shared machine the CPU a request costs says more than the rate alone.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$server_pid/stat"; }
# The endpoint's CPU per request since `cpu_mark`, for the N requests given.
cpu_mark() { cpu_before=$(cpu_ms); }
cpu_per() { echo "endpoint CPU: $(( $(cpu_ms) - cpu_before )) ms for $1 requests, $(( ($(cpu_ms) - cpu_before) * 1000 / ($1 > 0 ? $1 : 1) )) µs each"; }
counter() { counters | tr ' ' '\n' | sed -n "s/^$1=//p"; }
status() {
  echo "endpoint: $(counters)"
  echo "endpoint memory: $(awk '/^(VmRSS|VmHWM)/{printf "%s %d MiB  ", $1, $2/1024}' "/proc/$server_pid/status")"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
status

echo
echo "==> 1. saturation: valid tips, $CONNECTIONS connections, ${SAT_SECS}s"
cpu_mark; accepted_before=$(counter tips_accepted)
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${SAT_SECS}s" --timeout 10s -s scripts/bench/tips.lua \
  "$url" -- "$work/sat.tokens" "$WRK_THREADS" once
cpu_per $(( $(counter tips_accepted) - accepted_before ))
status

echo
echo "==> 2. paced: valid tips at $PACED_RATE/s for ${PACED_SECS}s"
cpu_mark; accepted_before=$(counter tips_accepted)
"$paced_bin" --addr "127.0.0.1:$port" --tokens "$work/paced.tokens" --rate "$PACED_RATE" --duration "$PACED_SECS"
cpu_per $(( $(counter tips_accepted) - accepted_before ))
status

echo
echo "==> 3. flood: invalid captcha on $FLOOD_CONNECTIONS connections for ${FLOOD_SECS}s, valid tips at $STREAM_RATE/s beside it"
"$paced_bin" --addr "127.0.0.1:$port" --tokens "$work/stream.tokens" --rate "$STREAM_RATE" \
  --duration "$FLOOD_SECS" >"$work/stream.json" &
stream_pid=$!
cpu_mark; refused_before=$(counter captcha_failed)
wrk -t"$WRK_THREADS" -c"$FLOOD_CONNECTIONS" -d"${FLOOD_SECS}s" --timeout 10s -s scripts/bench/tips.lua \
  "$url" -- "$work/invalid.tokens" "$WRK_THREADS" cycle
wait "$stream_pid"
echo "(CPU below: the flood's and the valid stream's together, per refused request)"
cpu_per $(( $(counter captcha_failed) - refused_before ))
echo "valid stream during the flood: $(cat "$work/stream.json")"
status

if [ -n "$smoke" ]; then
  # The smoke run checks only that each phase reached the endpoint and got its answer.
  counts=$(counters)
  accepted=$(sed -n 's/.*tips_accepted=\([0-9]*\).*/\1/p' <<<"$counts")
  refused=$(sed -n 's/.*captcha_failed=\([0-9]*\).*/\1/p' <<<"$counts")
  if [ "${accepted:-0}" -lt 1 ] || [ "${refused:-0}" -lt 1 ]; then
    echo "smoke run: expected accepted tips and refused floods, got: $counts" >&2
    exit 1
  fi
  echo "smoke run ok: $counts"
fi
