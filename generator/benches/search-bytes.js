// Bytes a visitor's browser loads for one search, measured in Chromium on a built site:
// serves PUBLIC on 127.0.0.1, types each query into the language's search box, and adds up
// the index files fetched (as stored, and gzipped as a server would send them). Also prints
// the size of each language's whole index. A benchmark, not a test.
//
//   xeberdar build -o PUBLIC --base-url http://127.0.0.1:8787   # pages load search.js from there
//   PORT=8787 NODE_PATH=tests/browser/node_modules node generator/benches/search-bytes.js PUBLIC \
//     az:/search/:pasportunuzu ru:/ru/search/:визы en:/en/search/:visas
//
// A site whose theme has no search page (the bench tree) is measured without the browser:
// `files:az:pasport` adds up the files search.js would fetch for that query (meta.json, the
// chunks of its stems, the first 10 pages found), stemming with search.js's own machine.
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");
const zlib = require("zlib");
const { chromium } = require("playwright-core");

const [root, ...queries] = process.argv.slice(2);
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json", ".css": "text/css" };

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (p.endsWith("/")) p += "index.html";
  const file = path.join(root, path.normalize(p));
  if (!file.startsWith(path.resolve(root)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404);
    return res.end();
  }
  res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream" });
  res.end(fs.readFileSync(file));
});

(async () => {
  await new Promise((r) => server.listen(Number(process.env.PORT || 8787), "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.XEBERDAR_CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu"],
  });
  for (const lang of fs.readdirSync(path.join(root, "search-index"))) {
    const files = walk(path.join(root, "search-index", lang));
    const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    const gz = files.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
    const meta = JSON.parse(fs.readFileSync(path.join(root, "search-index", lang, "meta.json"), "utf8"));
    const chunks = files.filter((f) => f.includes(`${path.sep}t${path.sep}`)).length;
    console.log(`index ${lang}: ${meta.n} pages, ${files.length} files (${chunks} chunks), ${bytes} B, ${gz} B gzipped per file`);
  }
  for (const spec of queries.filter((q) => q.startsWith("files:"))) {
    const [, lang, q] = spec.split(":");
    const dir = path.join(root, "search-index", lang);
    const machine = require(path.join(__dirname, "../../themes/xeberdar/static/search.js"));
    const meta = JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8"));
    const m = machine(meta.rules);
    const name = (k) => (k ? Array.from(k).map((c) => c.codePointAt(0).toString(36)).join("-") : "_");
    const loaded = [path.join(dir, "meta.json")];
    const W = /[\p{Alphabetic}\p{N}]+/gu;
    const ws = m.fold(q).match(W) || [];
    let docs = null;
    ws.forEach((w, i) => {
      const t = m.stem(w), prefix = i === ws.length - 1 && w.length >= 3 ? w : "";
      let best = null;
      const keys = [];
      meta.k.forEach((k) => {
        if (t.startsWith(k) && (best === null || k.length > best.length)) best = k;
        if (prefix && k.length > prefix.length && k.startsWith(prefix) && keys.length < 6) keys.push(k);
      });
      if (best !== null) keys.push(best);
      const here = new Map();
      for (const k of keys) {
        const file = path.join(dir, "t", name(k) + ".json");
        loaded.push(file);
        const chunk = JSON.parse(fs.readFileSync(file, "utf8"));
        for (const [term, p] of Object.entries(chunk)) {
          if (term !== t && !(prefix && term.startsWith(prefix))) continue;
          for (let j = 0; j < p.length; j += 2) here.set(p[j], (here.get(p[j]) || 0) + p[j + 1]);
        }
      }
      docs = docs === null ? here : new Map([...docs].filter(([d]) => here.has(d)));
    });
    const top = [...(docs || new Map())].sort((a, b) => b[1] - a[1]).slice(0, 10);
    for (const [d] of top) loaded.push(path.join(dir, "d", d + ".json"));
    const raw = loaded.reduce((n, f) => n + fs.statSync(f).size, 0);
    const gz = loaded.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
    console.log(`query ${lang} "${q}" (files): ${loaded.length} files, ${raw} B (${gz} B gzipped); ${docs ? docs.size : 0} pages match`);
  }
  for (const spec of queries.filter((q) => !q.startsWith("files:"))) {
    const [lang, page, q] = spec.split(":");
    const context = await browser.newContext();
    const tab = await context.newPage();
    const loaded = [];
    tab.on("response", async (r) => {
      const u = new URL(r.url());
      if (!u.pathname.startsWith("/search-index/")) return;
      try {
        const body = await r.body();
        loaded.push({ path: u.pathname, raw: body.length, gz: zlib.gzipSync(body, { level: 9 }).length });
      } catch (e) { /* no body */ }
    });
    await tab.goto(base + page);
    await tab.fill("#search-q", q);
    await tab.press("#search-q", "Enter");
    await tab.waitForSelector("#search-results li h2 a", { timeout: 30000 }).catch(() => {});
    await tab.waitForLoadState("networkidle");
    const first = await tab.$eval("#search-results li h2 a", (a) => a.getAttribute("href")).catch(() => "none");
    const found = await tab.textContent("#search-status");
    const raw = loaded.reduce((n, f) => n + f.raw, 0);
    const gz = loaded.reduce((n, f) => n + f.gz, 0);
    console.log(`query ${lang} "${q}": ${loaded.length} files, ${raw} B (${gz} B gzipped); ${found}; first ${first}`);
    await context.close();
  }
  await browser.close();
  server.close();
})();
