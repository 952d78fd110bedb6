#!/usr/bin/env bash
# Times `xeberdar build` of the 3 x N-page bench tree for one or more binaries, interleaved
# (a, b, a, b, ...) so that all of them see the same load on a shared machine, and prints
# each one's runs, median wall time, median CPU time (user + system: steadier than wall
# time when other work shares the machine) and peak RSS. A benchmark, not a test.
#
#   bash generator/benches/build-interleaved.sh OLD_BINARY NEW_BINARY
#   RUNS=7 N=1000 OUT=/dev/shm/bout FRESH=1 TREE_DIR=/dev/shm bash generator/benches/build-interleaved.sh BIN...
#
# FRESH=1 (default) deletes the output folder before each run; FRESH=0 rebuilds into the
# folder each binary's previous run left (OUT gets a per-binary suffix).
set -euo pipefail
RUNS=${RUNS:-7}
N=${N:-1000}
OUT=${OUT:-/dev/shm/xeberdar-bench-out}
FRESH=${FRESH:-1}
here=$(cd "$(dirname "$0")" && pwd)
corpus_script=${CORPUS_SCRIPT:-$here/../../../shared/bench/gen_corpus.py}
[ -f "$corpus_script" ] || corpus_script=/work/shared/bench/gen_corpus.py
[ "$#" -ge 1 ] || { echo "usage: $0 BINARY [BINARY...]" >&2; exit 2; }
# The tree goes on tmpfs too (TREE_DIR): a machine that pages out cold page cache (this VM's
# DAMON "pageout" scheme does) otherwise makes some builds read their sources from disk.
tree=$(mktemp -d -p "${TREE_DIR:-/dev/shm}")
trap 'rm -rf "$tree"' EXIT
python3 "$corpus_script" --n "$N" --out "$tree/site" >/dev/null
timing=$(mktemp)
declare -A times rss cpu
for i in $(seq 1 "$RUNS"); do
  for n in $(seq 1 "$#"); do
    bin=${!n}
    out="$OUT-$n"
    [ "$FRESH" = 1 ] && rm -rf "$out"
    /usr/bin/time -o "$timing" -f "%e %M %U %S" "$bin" --root "$tree/site" build -o "$out" >/dev/null 2>&1
    read -r wall kib user sys <"$timing"
    times[$n]="${times[$n]:-} $wall"
    cpu[$n]="${cpu[$n]:-} $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')"
    rss[$n]="${rss[$n]:-} $((kib / 1024))"
  done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for n in $(seq 1 "$#"); do
  echo "${!n}: median $(median "${times[$n]}") s; runs (s):${times[$n]}; CPU median $(median "${cpu[$n]}") s:${cpu[$n]}; peak RSS (MiB):${rss[$n]}"
  rm -rf "$OUT-$n"
done
rm -f "$timing"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
