#!/usr/bin/env bash
# Prints the one-page "how to recognise trafficking" handouts (data/handouts/*.html,
# one per language) to PDF with headless Chromium, into the training module's bundle
# (content/training/recognising-trafficking/). The HTML files are the source: edit them,
# then run this from the repository root:  bash data/tools/make_handouts.sh
# Needs: chromium and the DejaVu fonts. Makes no network request (local files only).
set -euo pipefail

src=data/handouts
out=content/training/recognising-trafficking
chromium_bin=${XEBERDAR_CHROMIUM:-/usr/bin/chromium}
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

for lang in az ru en; do
  "$chromium_bin" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --no-pdf-header-footer \
    --print-to-pdf="$PWD/$out/handout.$lang.pdf" "file://$PWD/$src/handout.$lang.html" 2>/dev/null
  pdfinfo "$out/handout.$lang.pdf" | grep -E '^(Pages|Page size)'
done
ls -l "$out"/handout.*.pdf
