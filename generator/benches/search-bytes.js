// Bytes a visitor's browser loads for one search, measured in Chromium on a built site:
// serves PUBLIC on 127.0.0.1, types each query into the language's search box, and adds up
// the index files fetched (as stored, and gzipped as a server would send them). Also prints
// the size of each language's whole index. A benchmark, not a test.
//
//   NODE_PATH=tests/browser/node_modules node generator/benches/search-bytes.js PUBLIC \
//     az:/search/:pasportunuzu ru:/ru/search/:визы en:/en/search/:visas
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
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
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
  for (const spec of queries) {
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
