// Drives Debian's Chromium (through playwright-core) against a running `xeberdar serve`:
// opens a page, breaks a content file, waits for the error overlay, fixes the file, waits for
// the reload that clears it. Prints one JSON object for the Rust test to check.
//
// Usage: node overlay_check.js <chromium> <page-url> <file> <broken-text>
"use strict";

const fs = require("fs");
const { chromium } = require("playwright-core");

const [chromiumPath, url, file, broken] = process.argv.slice(2);
const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

(async () => {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS });
  const result = { failedRequests: [] };
  try {
    const page = await browser.newPage();
    // Every request that failed, except the favicon the fixture site does not have.
    page.on("response", (r) => {
      if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) {
        result.failedRequests.push(`${r.status()} ${r.url()}`);
      }
    });
    await page.goto(url);
    // The live-reload script marks the page once its event stream is open.
    await page.waitForSelector("html[data-xeberdar-live=connected]", { state: "attached", timeout: 60000 });
    const good = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, broken);
    await page.waitForSelector("#xeberdar-dev-overlay", { timeout: 60000 });
    result.overlayText = await page.textContent("#xeberdar-dev-overlay");
    result.overlayPosition = await page.$eval("#xeberdar-dev-overlay",
      (el) => getComputedStyle(el).position);
    fs.writeFileSync(file, good);
    await page.waitForSelector("#xeberdar-dev-overlay", { state: "detached", timeout: 60000 });
    await page.waitForLoadState("load");
    result.cleared = (await page.$("#xeberdar-dev-overlay")) === null;
    result.title = await page.title();
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(result));
})().catch((e) => { process.stdout.write(JSON.stringify({ error: String(e) })); process.exit(1); });
