// Sends the endpoint's tip form with JavaScript off from Debian's Chromium (playwright-core),
// with files chosen in the file input, and prints the page it lands on as JSON:
// { url, status, text }. Usage: NODE_PATH=<node_modules> node upload_without_js.js <job.json>,
// where job.json is { chromium, url, description, noJsAnswer, files: [paths] }.
const fs = require("fs");
const { chromium } = require("playwright-core");

(async () => {
  const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const browser = await chromium.launch({ executablePath: job.chromium, args: ["--no-sandbox"] });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(job.url);
    await page.fill("#report-description", job.description);
    await page.fill("#report-no-js-answer", job.noJsAnswer);
    await page.setInputFiles("#report-attachment", job.files);
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.click("form.report-form button[type=submit]"),
    ]);
    console.log(JSON.stringify({
      url: page.url(),
      status: response ? response.status() : 0,
      text: await page.locator("main").innerText(),
    }));
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(String(e && e.stack || e));
  process.exit(1);
});
