#!/usr/bin/env bash
# Edit → reload latency of `xeberdar serve` on the bench tree (3 languages × N pages).
#
# Starts the release binary on a generated tree, keeps one Server-Sent Events connection
# open like a browser tab, then RUNS times: appends a sentence to one page and measures the
# time from the write until the `reload` event arrives (debounce + re-read + re-render of
# the page, its translations, its section listings, taxonomy pages, feed and sitemap).
#
#   bash scripts/bench-serve.sh                 # N=1000, RUNS=20
#   N=10000 RUNS=10 bash scripts/bench-serve.sh
#
# Needs the release binary (cargo build --release -p xeberdar); XEBERDAR_BIN overrides it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${N:-1000}
runs=${RUNS:-20}
port=${PORT:-1199}
bin=${XEBERDAR_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/xeberdar}
gen=${GEN_CORPUS:-$root/../shared/bench/gen_corpus.py}
[ -x "$bin" ] || { echo "missing $bin: run cargo build --release -p xeberdar" >&2; exit 1; }

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

python3 "$gen" --n "$n" --out "$work/site" >/dev/null
"$bin" --root "$work/site" serve --port "$port" --no-report-endpoint 2>"$work/serve.log" &
server_pid=$!

python3 - "$work/site" "$port" "$runs" "$work/serve.log" <<'PY'
import pathlib, socket, statistics, sys, time

site, port, runs, log = pathlib.Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

deadline = time.time() + 300
while True:
    try:
        sock = socket.create_connection(("127.0.0.1", port))
        break
    except OSError:
        if time.time() > deadline:
            sys.exit("serve did not start:\n" + open(log).read())
        time.sleep(0.05)
sock.sendall(f"GET /_xeberdar/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
stream = sock.makefile("rb")

def next_event():
    name = None
    for raw in stream:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line == "" and name:
            return name
    sys.exit("event stream closed")

first = next_event()
if first != "ok":
    sys.exit(f"the bench tree does not build cleanly (first event: {first}):\n" + open(log).read())

pages = sorted((site / "content").glob("*/page-*.md"))
page = [p for p in pages if p.name.count(".") == 1][len(pages) // 6]
original = page.read_text()
samples = []
finals = []
for i in range(runs):
    time.sleep(0.3)  # let the watcher settle between edits, as between two saves
    started = time.perf_counter()
    page.write_text(original + f"\nEdit number {i}.\n")
    # The edited page's tab reloads on the first of `pages-ready` (sent while listings are
    # still rendering) and `reload`; wait for the final `reload` before the next edit.
    name = next_event()
    elapsed = (time.perf_counter() - started) * 1000
    if name not in ("pages-ready", "reload"):
        sys.exit(f"expected a reload, got {name}:\n" + open(log).read())
    while name != "reload":
        name = next_event()
    samples.append(elapsed)
    finals.append((time.perf_counter() - started) * 1000)
page.write_text(original)
samples.sort()
p90 = samples[min(len(samples) - 1, int(len(samples) * 0.9))]
print(f"edited {page.relative_to(site)} {runs} times on a tree of {len(pages)} pages")
print(f"edit -> reload event for the edited page: median {statistics.median(samples):.0f} ms, "
      f"p90 {p90:.0f} ms, min {samples[0]:.0f} ms, max {samples[-1]:.0f} ms")
print(f"edit -> final reload event (listings, feed, sitemap too): median "
      f"{statistics.median(finals):.0f} ms, max {max(finals):.0f} ms")
rebuilt = [l for l in open(log) if l.startswith("rebuilt")]
if rebuilt:
    print("last server line:", rebuilt[-1].strip())
PY
