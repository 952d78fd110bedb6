#!/usr/bin/env bash
# Prints the one-page "how to recognise trafficking" handouts (data/handouts/*.html,
# one per language) to PDF with headless Chromium, into the training module's bundle
# (content/training/recognising-trafficking/). The HTML files are the source: edit them,
# then run this from the repository root:  bash data/tools/make_handouts.sh
#
# The sources hold two placeholders filled from config.toml, so a printed handout shows the
# site's real address and the hotline number from one place:
#   {{site}}     base_url without the scheme (e.g. xeberdar.example)
#   {{hotline}}  [extra] hotline_local
# A placeholder left unfilled, or a config value missing, stops the script.
# Needs: chromium, python3 (to count pages) and the DejaVu fonts. Makes no network request (local files only).
set -euo pipefail

src=data/handouts
out=content/training/recognising-trafficking
chromium_bin=${XEBERDAR_CHROMIUM:-/usr/bin/chromium}

# Top-level `base_url = "…"` and `hotline_local = "…"` lines of config.toml.
config_value() {
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" config.toml | head -n 1
}
base_url=$(config_value base_url)
hotline=$(config_value hotline_local)
site=${base_url#https://}
site=${site#http://}
site=${site%/}
if [ -z "$site" ] || [ -z "$hotline" ]; then
  echo "config.toml must set base_url and [extra] hotline_local" >&2
  exit 1
fi

mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src/handout.css" "$work/"

for lang in az ru en; do
  sed -e "s|{{site}}|$site|g" -e "s|{{hotline}}|$hotline|g" \
    "$src/handout.$lang.html" > "$work/handout.$lang.html"
  if grep -q '{{' "$work/handout.$lang.html"; then
    echo "$src/handout.$lang.html: a placeholder is left: $(grep -o '{{[^}]*}}' "$work/handout.$lang.html" | head -n 1)" >&2
    exit 1
  fi
  "$chromium_bin" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --no-pdf-header-footer \
    --print-to-pdf="$PWD/$out/handout.$lang.pdf" "file://$work/handout.$lang.html" 2>/dev/null
  # Chromium keeps the page objects in compressed object streams: inflate them to count.
  pages=$(python3 -c '
import re, sys, zlib
data = open(sys.argv[1], "rb").read()
text = data
for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
    try:
        text += zlib.decompress(m.group(1))
    except zlib.error:
        pass
print(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", text)))
' "$out/handout.$lang.pdf")
  echo "$out/handout.$lang.pdf: $pages page(s)"
  if [ "$pages" -ne 1 ]; then
    echo "$src/handout.$lang.html: the handout must fit one page; shorten it" >&2
    exit 1
  fi
done
ls -l "$out"/handout.*.pdf
echo "printed with the address $site and the hotline $hotline"
