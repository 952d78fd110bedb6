#!/usr/bin/env bash
# Builds the bench tree (3 languages × N pages) with xeberdar and with Zola, compares the two
# output folders file by file and prints which files differ, grouped by kind, with one example
# of each kind of difference. A comparison for people, not a test.
#
#   ZOLA=/path/to/zola bash scripts/compare-zola.sh           # N=1000, SLUGIFY=on
#   N=100 SLUGIFY= bash scripts/compare-zola.sh               # without [slugify]
#
# SLUGIFY=on appends `[slugify] paths/taxonomies/anchors = "on"` to the tree's config, as a
# site moved from Zola (whose default is `on`) would write it; empty leaves this generator's
# default (Unicode slugs), so tag addresses differ too. KEEP=DIR keeps both outputs there.
# Needs the release binary (cargo build --release -p xeberdar); XEBERDAR_BIN overrides it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${N:-1000}
slugify=${SLUGIFY-on}
bin=${XEBERDAR_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/xeberdar}
zola=${ZOLA:-$root/../shared/bench/bin/zola}
gen=${GEN_CORPUS:-$root/../shared/bench/gen_corpus.py}
[ -x "$bin" ] || { echo "missing $bin: run cargo build --release -p xeberdar" >&2; exit 1; }
[ -x "$zola" ] || { echo "missing Zola at $zola: set ZOLA=" >&2; exit 1; }

work=${KEEP:-$(mktemp -d)}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
rm -rf "$work/site" "$work/zola" "$work/xeberdar"
python3 "$gen" --n "$n" --out "$work/site" >/dev/null
if [ -n "$slugify" ]; then
  printf '\n[slugify]\npaths = "%s"\ntaxonomies = "%s"\nanchors = "%s"\n' \
    "$slugify" "$slugify" "$slugify" >>"$work/site/config.toml"
fi
(cd "$work/site" && "$zola" build -o "$work/zola" >/dev/null)
"$bin" --root "$work/site" build -o "$work/xeberdar" >/dev/null

python3 - "$work/zola" "$work/xeberdar" <<'EOF'
"""Groups the differing files by kind; says which differ only in the order of list items."""
import difflib, os, re, sys
from collections import defaultdict

zdir, xdir = sys.argv[1], sys.argv[2]

def files(d):
    out = set()
    for base, _, names in os.walk(d):
        for n in names:
            out.add(os.path.relpath(os.path.join(base, n), d))
    return out

def kind(path):
    p = re.sub(r"^(az|ru)/", "L/", path)
    p = re.sub(r"page-\d+", "PAGE", p)
    p = re.sub(r"/page/\d+/", "/page/N/", p)
    p = re.sub(r"^(L/)?tags/[^/]+/", r"\1tags/TERM/", p)
    p = re.sub(r"^(L/)?[a-z]+/PAGE/", r"\1SECTION/PAGE/", p)
    p = re.sub(r"^(L/)?[a-z]+/page/N/", r"\1SECTION/page/N/", p)
    p = re.sub(r"^(L/)?[a-z]+/index.html", r"\1SECTION/index.html", p)
    return p

def sort_lists(text):
    """The same file with the <li> items of every <ul> in sorted order."""
    def one(m):
        items = re.findall(r"<li>.*?</li>", m.group(1), re.S)
        return "<ul>" + "".join(sorted(items)) + "</ul>"
    return re.sub(r"<ul>(.*?)</ul>", one, text, flags=re.S)

z, x = files(zdir), files(xdir)
print(f"zola: {len(z)} files, xeberdar: {len(x)} files, in both: {len(z & x)}")
for label, only in (("only zola", z - x), ("only xeberdar", x - z)):
    groups = defaultdict(list)
    for f in sorted(only):
        groups[kind(f)].append(f)
    for k, fs in sorted(groups.items()):
        print(f"{label}: {len(fs):5} {k}  (e.g. {fs[0]})")

same = 0
groups = defaultdict(list)
for f in sorted(z & x):
    a = open(os.path.join(zdir, f), encoding="utf-8", errors="replace").read()
    b = open(os.path.join(xdir, f), encoding="utf-8", errors="replace").read()
    if a == b:
        same += 1
        continue
    order_only = sort_lists(a) == sort_lists(b)
    groups[(kind(f), order_only)].append((f, a, b))
print(f"identical: {same}")

def sitemap_urls(d):
    urls = set()
    for f in os.listdir(d):
        if re.fullmatch(r"sitemap\d*\.xml", f):
            text = open(os.path.join(d, f), encoding="utf-8").read()
            if "<urlset" in text:
                urls |= set(re.findall(r"<loc>([^<]*)</loc>", text))
    return urls

zu, xu = sitemap_urls(zdir), sitemap_urls(xdir)
print(f"sitemap URLs: zola {len(zu)}, xeberdar {len(xu)}, only zola {len(zu - xu)}, only xeberdar {len(xu - zu)}")
for u in sorted(zu - xu)[:5]:
    print(f"    only zola: {u}")
for u in sorted(xu - zu)[:5]:
    print(f"    only xeberdar: {u}")
for (k, order_only), items in sorted(groups.items()):
    what = "only the order of list items differs" if order_only else "content differs"
    f, a, b = items[0]
    print(f"\ndiffer: {len(items):5} {k}: {what} (e.g. {f})")
    if not order_only:
        diff = list(difflib.unified_diff(a.splitlines(), b.splitlines(), "zola", "xeberdar", n=0, lineterm=""))
        for line in diff[2:12]:
            print("    " + line[:160])
EOF
