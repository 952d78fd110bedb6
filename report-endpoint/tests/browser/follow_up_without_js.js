// Sends a tip from the endpoint's form with JavaScript off from Debian's Chromium
// (playwright-core), then follows the receipt's link to the follow-up form and sends an
// addition with the receipt's follow-up code. Prints what it saw as JSON:
// { reference, code, status, joined, text, addresses }. Usage:
// NODE_PATH=<node_modules> node follow_up_without_js.js <job.json>, where job.json is
// { chromium, url, description, addition, noJsAnswer }.
const fs = require("fs");
const { chromium } = require("playwright-core");

(async () => {
  const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const browser = await chromium.launch({ executablePath: job.chromium, args: ["--no-sandbox"] });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const addresses = [];
    page.on("framenavigated", (f) => { if (f === page.mainFrame()) addresses.push(f.url()); });
    await page.goto(job.url);
    await page.fill("#report-description", job.description);
    await page.fill("#report-no-js-answer", job.noJsAnswer);
    await Promise.all([page.waitForNavigation(), page.click("form.report-form button[type=submit]")]);
    const reference = ((await page.textContent("#reference-code")) || "").trim();
    const code = ((await page.textContent("#follow-up-code")) || "").trim();
    await Promise.all([page.waitForNavigation(), page.click('a[href*="/followup"]')]);
    await page.fill("#followup-code", code);
    await page.fill("#followup-description", job.addition);
    await page.fill("#report-no-js-answer", job.noJsAnswer);
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.click("form.report-form button[type=submit]"),
    ]);
    console.log(JSON.stringify({
      reference,
      code,
      status: response ? response.status() : 0,
      joined: ((await page.textContent("#reference-code")) || "").trim(),
      text: await page.locator("main").innerText(),
      addresses,
    }));
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(String(e && e.stack || e));
  process.exit(1);
});
