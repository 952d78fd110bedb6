// Takes the home-page screenshots kept in docs/screenshots/ (phone 360 px and desktop
// 1280 px, in az and ru) from a running copy of the site.
// Usage: node screenshots.js <base-url> <out-dir>   (XEBERDAR_CHROMIUM or /usr/bin/chromium)
"use strict";
const path = require("path");
const { chromium } = require("playwright-core");

(async () => {
  const [base, out] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.XEBERDAR_CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const shots = [
    ["az", "/", "phone", 360, 780],
    ["ru", "/ru/", "phone", 360, 780],
    ["az", "/", "desktop", 1280, 900],
    ["ru", "/ru/", "desktop", 1280, 900],
  ];
  for (const [lang, p, kind, width, height] of shots) {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(base.replace(/\/$/, "") + p);
    await page.screenshot({ path: path.join(out, `home-${lang}-${kind}.png`) });
    await page.close();
  }
  await browser.close();
})();
