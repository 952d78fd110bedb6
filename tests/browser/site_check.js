// Drives Debian's Chromium (through playwright-core) over the built site and prints one
// JSON object: { failures: [ "…" ], notes: [ "…" ] }. The Rust tests in
// tests/tests/site_*.rs start the site, run this script and assert that `failures` is
// empty, so every failure message must say which page and what is wrong.
//
// Usage: node site_check.js <job.json>, where job.json is
//   { mode, chromium, baseUrl, exitUrl, pages: ["/", "/ru/"...], artifacts, label }
// Modes:
//   audit   every page: axe-core (WCAG 2.2 AA tags, zero violations) at 320 px (and at
//           1280 px for job.desktopPages),
//           no sideways scrolling at 320 px (full-page screenshot kept), no cookies,
//           no request to any other origin
//   nojs    JavaScript off: quick-exit link works, language links go to the same page in
//           the other language, the report form and the hotline are visible
//   exit    JavaScript on: Shift x3 and a click leave with location.replace (Back does not
//           return to the site), the live region speaks, the sticky bar never hides the
//           focused element
//   search  JavaScript on: each of job.queries ({page, q, expect}) typed into the search
//           box and sent with Enter finds job.expect first, with a highlighted excerpt,
//           loads only that language's index, never puts the words in the address, the
//           history or any request, passes axe-core with results shown; then Shift x3
//           leaves and no address seen holds the words. Without JavaScript
//           (job.nojsPages) the box opens the language's list of all pages, with no words
//           in the address
//   report-up / report-down   the report page with the endpoint's health check answering
//           200 / failing: form shown / hotline shown instead
//   css     every stylesheet in job.css ([{name, text}]): each declaration's value must be
//           one Chromium accepts (CSS.supports) for a property it knows, and each selector
//           must parse; and the report form's submit button renders bold at 17 px
//   visitor job.pages with JavaScript off and on: the exit hint speaks of Shift only when
//           the script runs, no request answers 404 (the favicon), the home pages' h1 and
//           the 404 pages' language links (job.homes, job.notFound), the main menu, the
//           header's share of a phone screen (at most job.headerShareMax)
//   send-tip / send-tip-nojs   each page's tip form (JavaScript on / off, then answering the
//           no-JS question with job.noJsAnswer) sends job.text to the real endpoint and lands
//           on the receipt: status 200, the reference code visible
//   send-follow-up   each page's tip form (JavaScript on or off, as job.javaScript says) sends
//           job.text; the receipt shows the reference code and the follow-up code, neither
//           in any address; the report page links the follow-up page; the receipt's link
//           opens the follow-up form, which sends job.addition with that code (and the
//           file job.photo, when given) and lands on a page naming the same reference code
//           (and what was removed from the file); the receipt cannot be opened again
//   print-cards   the hotline-card pages as printed: no site header, title or footer;
//           job.perSheet bank-card-sized cards of the chosen kind only (#cards-discreet,
//           #cards-standard; the discreet kind when none is chosen), the discreet card
//           showing only a neutral word and the number; the sheet fits one A4 and one
//           Letter page
"use strict";

const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
// The brief's Chromium flags. Playwright gives every launch a fresh temporary profile
// (its own --user-data-dir), so none is passed here.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const failures = [];
const notes = [];
const fail = (msg) => failures.push(msg);
const base = job.baseUrl.replace(/\/$/, "");
const origin = new URL(base).origin;

async function newContext(browser, options) {
  const context = await browser.newContext(options);
  // Anything not from the site's own origin is recorded and never fetched.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    let requestOrigin = "";
    try {
      requestOrigin = new URL(url).origin;
    } catch (e) {
      requestOrigin = url;
    }
    if (requestOrigin !== origin) {
      context._foreign.push(url);
      return route.abort();
    }
    return route.continue();
  });
  context._foreign = [];
  // Content-Security-Policy violations (the server sends public/_headers) are failures:
  // the policy must allow exactly what the pages load.
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
    });
  });
  return context;
}

// Screenshots are kept for a person to look at; nothing is checked on them. Chromium under
// heavy load sometimes answers "Unable to capture screenshot", so one failed capture is
// tried again and a second only warns: it must not fail a page whose checks passed.
async function keepScreenshot(page, file) {
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await page.screenshot({ path: file, fullPage: true });
      return;
    } catch (e) {
      if (attempt === 2) console.error(`warning: no screenshot ${file}: ${e.message}`);
    }
  }
}

function safeName(p) {
  return (p.replace(/^\/|\/$/g, "").replace(/[^a-zA-Z0-9._-]+/g, "_") || "home");
}

async function audit(browser) {
  const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const context = await newContext(browser, { viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  fs.mkdirSync(job.artifacts, { recursive: true });
  for (const p of job.pages) {
    const url = base + p;
    const response = await page.goto(url, { waitUntil: "load" });
    if (!response || response.status() !== 200) {
      fail(`${p}: HTTP status ${response ? response.status() : "none"}`);
    }
    // Every page at 320 px; the pages in job.desktopPages (one of each kind) at 1280 px
    // too. axe takes about a second a run, and the layout only changes at one breakpoint.
    const widths = (job.desktopPages || []).includes(p) ? [320, 1280] : [320];
    for (const width of widths) {
      await page.setViewportSize({ width, height: width === 320 ? 640 : 900 });
      if (width === 320) {
        const overflow = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          inner: window.innerWidth,
          widest: [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 ||
              el.getBoundingClientRect().left < -1)
            .slice(0, 3)
            .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")),
        }));
        if (overflow.scroll > overflow.inner) {
          fail(`${p}: scrolls sideways at 320 px (content ${overflow.scroll} px wide; ` +
            `too wide: ${overflow.widest.join(", ")})`);
        }
        await keepScreenshot(page, path.join(job.artifacts, `${job.label}-${safeName(p)}-320.png`));
      }
      if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) {
        // Evaluated through DevTools, not as an inline <script>, so the page's CSP stays on.
        await page.evaluate(axeSource);
      }
      const result = await page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
        AXE_TAGS,
      );
      for (const v of result.violations) {
        const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
        fail(`${p} @${width}px: axe ${v.id} (${v.impact}): ${v.help} — at ${where}`);
      }
    }
    const csp = await page.evaluate(() => window.__cspViolations || []);
    for (const v of csp) fail(`${p}: Content-Security-Policy violation: ${v}`);
    const cookie = await page.evaluate(() => document.cookie);
    if (cookie) fail(`${p}: document.cookie is "${cookie}"`);
  }
  const cookies = await context.cookies();
  if (cookies.length) fail(`cookies were set: ${cookies.map((c) => c.name).join(", ")}`);
  for (const u of context._foreign) fail(`request to another origin: ${u}`);
  notes.push(`audited ${job.pages.length} pages`);
  await context.close();
}

async function noJs(browser) {
  const context = await newContext(browser, {
    javaScriptEnabled: false,
    viewport: { width: 320, height: 640 },
  });
  const page = await context.newPage();
  for (const p of job.pages) {
    await page.goto(base + p);
    const lang = await page.getAttribute("html", "lang");
    // Quick exit: a real link that works without JavaScript.
    const exit = page.locator("a[data-exit]");
    if ((await exit.count()) !== 1 || !(await exit.isVisible())) {
      fail(`${p}: no visible quick-exit link without JavaScript`);
    } else {
      const rel = (await exit.getAttribute("rel")) || "";
      if (!rel.includes("nofollow") || !rel.includes("noreferrer")) {
        fail(`${p}: quick-exit rel is "${rel}", expected nofollow noreferrer`);
      }
      await exit.click();
      await page.waitForLoadState("load");
      if (page.url() !== job.exitUrl) fail(`${p}: quick exit without JS went to ${page.url()}`);
      await page.goto(base + p);
    }
    // The hotline is visible and callable.
    const tel = page.locator('header a[href^="tel:"]').first();
    if (!(await tel.isVisible())) fail(`${p}: the hotline's tel: link is not visible`);
    // Language switcher: every other language leads to a page in that language.
    const links = await page.$$eval(".langs a:not([aria-current])", (as) =>
      as.map((a) => ({ href: a.href, hreflang: a.getAttribute("hreflang"), lang: a.lang })),
    );
    if (links.length === 0) fail(`${p}: no other language is linked`);
    for (const l of links) {
      if (l.lang !== l.hreflang) fail(`${p}: language link ${l.href} has lang=${l.lang} hreflang=${l.hreflang}`);
      const r = await page.goto(l.href);
      const got = await page.getAttribute("html", "lang");
      if (!r || r.status() !== 200 || got !== l.hreflang) {
        fail(`${p} (${lang}): language link ${l.href} gave status ${r && r.status()}, lang=${got}`);
      }
    }
    await page.goto(base + p);
  }
  // The report page's form is there and usable without JavaScript.
  for (const p of job.reportPages || []) {
    await page.goto(base + p);
    for (const sel of ["form.report-form", "#report-description", "#report-no-js-answer", "form.report-form button[type=submit]"]) {
      if (!(await page.locator(sel).isVisible())) fail(`${p}: ${sel} is not visible without JavaScript`);
    }
    if (await page.locator(".report-offline").isVisible()) {
      fail(`${p}: the "cannot send" notice shows although nothing has failed`);
    }
  }
  for (const u of context._foreign) fail(`request to another origin: ${u}`);
  await context.close();
}

async function exitWithJs(browser) {
  const context = await newContext(browser, { viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const start = base + "/__exit/?start";
  for (const p of job.pages) {
    // 1. Shift three times.
    await page.goto(start);
    await page.goto(base + p);
    await page.waitForLoadState("load");
    const before = await page.evaluate(() => history.length);
    const msg1 = await page.getAttribute("a[data-exit]", "data-msg-1");
    const msg2 = await page.getAttribute("a[data-exit]", "data-msg-2");
    await page.keyboard.press("Shift");
    const said1 = await page.textContent("#exit-live");
    if (said1 !== msg1) fail(`${p}: after one Shift the live region says "${said1}", expected "${msg1}"`);
    await page.keyboard.press("Shift");
    const said2 = await page.textContent("#exit-live");
    if (said2 !== msg2) fail(`${p}: after two Shifts the live region says "${said2}", expected "${msg2}"`);
    await Promise.all([page.waitForURL(job.exitUrl), page.keyboard.press("Shift")]);
    const after = await page.evaluate(() => history.length);
    if (after !== before) fail(`${p}: Shift x3 added a history entry (${before} -> ${after}); expected location.replace`);
    await page.goBack();
    if (page.url() !== start) fail(`${p}: Back after Shift x3 went to ${page.url()}, expected the page before the site`);

    // 2. A click on the button.
    await page.goto(base + p);
    const before2 = await page.evaluate(() => history.length);
    await Promise.all([page.waitForURL(job.exitUrl), page.click("a[data-exit]")]);
    const after2 = await page.evaluate(() => history.length);
    if (after2 !== before2) fail(`${p}: the exit click added a history entry; expected location.replace`);
    await page.goBack();
    if (page.url() === base + p) fail(`${p}: Back after the exit click returned to the site`);
  }

  // 3. The sticky exit bar never covers the element that has keyboard focus.
  for (const p of job.pages) {
    await page.goto(base + p);
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press("Tab");
      const state = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const bar = document.querySelector(".exit");
        const r = el.getBoundingClientRect();
        const b = bar.getBoundingClientRect();
        const inBar = bar.contains(el);
        const skip = el.classList.contains("skip");
        return {
          name: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + (el.textContent || "").trim().slice(0, 30),
          hidden: !inBar && !skip && r.height > 0 && r.top < b.bottom - 1 && r.bottom > b.top,
        };
      });
      if (state && state.hidden) {
        fail(`${p}: the sticky exit bar covers the focused element ${state.name}`);
        break;
      }
    }
  }
  for (const u of context._foreign) {
    if (!u.startsWith(job.exitUrl)) fail(`request to another origin: ${u}`);
  }
  await context.close();
}

async function report(browser, up) {
  const context = await newContext(browser, { viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  for (const p of job.pages) {
    await page.goto(base + p);
    await page.waitForSelector("[data-health-state]", { state: "attached" });
    const formVisible = await page.locator("form.report-form").isVisible();
    const offlineVisible = await page.locator(".report-offline").isVisible();
    const telVisible = await page.locator('.report-offline a[href^="tel:"]').isVisible();
    if (up && (!formVisible || offlineVisible)) {
      fail(`${p}: endpoint up, but form visible=${formVisible}, offline notice visible=${offlineVisible}`);
    }
    if (!up && (formVisible || !offlineVisible || !telVisible)) {
      fail(`${p}: endpoint down, but form visible=${formVisible}, hotline notice visible=${offlineVisible && telVisible}`);
    }
    if (!(await page.locator('header a[href^="tel:"]').isVisible())) fail(`${p}: header hotline not visible`);
    const csp = await page.evaluate(() => window.__cspViolations || []);
    for (const v of csp) fail(`${p}: Content-Security-Policy violation: ${v}`);
  }
  for (const u of context._foreign) fail(`request to another origin: ${u}`);
  await context.close();
}

async function cssCheck(browser) {
  const context = await newContext(browser, { viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await page.goto(base + "/");
  for (const sheet of job.css) {
    const problems = await page.evaluate((text) => {
      const out = [];
      const clean = text.replace(/\/\*[\s\S]*?\*\//g, "");
      // Innermost blocks: `prelude { declarations }`.
      const block = /([^{};]*)\{([^{}]*)\}/g;
      let m;
      while ((m = block.exec(clean))) {
        const prelude = m[1].trim();
        if (prelude && !prelude.startsWith("@") && !/^(from|to|[\d.]+%)(\s*,\s*(from|to|[\d.]+%))*$/.test(prelude)) {
          try {
            document.querySelectorAll(prelude.replace(/::?(before|after|placeholder|marker|selection)\b/g, ""));
          } catch (e) {
            out.push(`selector "${prelude}" does not parse`);
          }
        }
        for (const decl of m[2].split(";")) {
          const i = decl.indexOf(":");
          if (i < 0) {
            if (decl.trim()) out.push(`"${decl.trim()}" is not a declaration (in ${prelude})`);
            continue;
          }
          const prop = decl.slice(0, i).trim();
          const value = decl.slice(i + 1).replace(/!important\s*$/, "").trim();
          if (prop.startsWith("--")) continue;
          // A property this browser does not know (another engine's prefix) is not checked.
          if (!CSS.supports(prop, "inherit")) continue;
          if (!CSS.supports(prop, value)) out.push(`${prelude} { ${prop}: ${value} } is rejected by the browser`);
        }
      }
      return out;
    }, sheet.text);
    for (const p of problems) fail(`${sheet.name}: ${p}`);
  }
  for (const p of job.reportPages || []) {
    await page.goto(base + p);
    const style = await page.$eval("form.report-form button[type=submit]", (b) => {
      const c = getComputedStyle(b);
      return { weight: c.fontWeight, size: c.fontSize };
    });
    if (style.weight !== "700" || style.size !== "17px") {
      fail(`${p}: the submit button renders at weight ${style.weight}, size ${style.size}; the stylesheet asks for 700 and 1.0625rem (17px)`);
    }
  }
  await context.close();
}

async function visitor(browser) {
  for (const javaScript of [false, true]) {
    const context = await newContext(browser, { javaScriptEnabled: javaScript, viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    const missing = [];
    page.on("response", (r) => {
      const endpoint = job.endpointPath && new URL(r.url()).pathname.startsWith(job.endpointPath);
      if (r.status() === 404 && !endpoint && !r.request().isNavigationRequest()) missing.push(r.url());
    });
    const js = javaScript ? "JavaScript on" : "JavaScript off";
    for (const p of job.pages) {
      await page.goto(base + p, { waitUntil: "load" });
      // Let the browser ask for its icon.
      await page.waitForTimeout(300);
      const hint = ((await page.locator(".exit").innerText()) || "").trim();
      const saysShift = /shift/i.test(hint);
      if (!javaScript && saysShift) fail(`${p} (${js}): the exit bar says "${hint}", but Shift does nothing without the script`);
      if (javaScript && !saysShift) fail(`${p} (${js}): the exit bar does not mention Shift: "${hint}"`);
      const menu = await page.$$eval(".nav a", (as) => as.map((a) => new URL(a.href).pathname));
      for (const slug of ["films", "training", "plan"]) {
        if (!menu.some((m) => m.endsWith(`/${slug}/`))) fail(`${p}: the main menu has no link to ${slug}/ (only ${menu.join(", ")})`);
      }
      const share = await page.evaluate(() => {
        const nav = document.querySelector(".nav");
        return nav ? nav.getBoundingClientRect().bottom / window.innerHeight : 1;
      });
      if (share > job.headerShareMax) {
        fail(`${p} (${js}): the exit bar, header and menu take ${(share * 100).toFixed(0)} % of a 320x640 screen (at most ${(job.headerShareMax * 100).toFixed(0)} %)`);
      }
      // Headless Chromium does not fetch icons by itself, so ask for them as a browser
      // would: the page's declared icon, else /favicon.ico.
      const icons = await page.$$eval('link[rel~="icon"]', (ls) => ls.map((l) => l.href));
      if (icons.length === 0) fail(`${p}: the page declares no icon (browsers then ask for /favicon.ico)`);
      for (const icon of [...icons, base + "/favicon.ico"]) {
        const r = await page.request.get(icon);
        const type = r.headers()["content-type"] || "";
        if (r.status() !== 200 || !type.startsWith("image/")) fail(`${p}: the icon ${icon} answered ${r.status()} (${type})`);
      }
      const operator = await page.locator(".site-footer").innerText();
      if (job.operator && !operator.includes(job.operator[await page.getAttribute("html", "lang")])) {
        fail(`${p}: the footer does not say who runs the site (config.toml [extra.operator])`);
      }
    }
    for (const [p, want] of Object.entries(job.homes || {})) {
      await page.goto(base + p);
      const h1 = ((await page.locator("h1").first().innerText()) || "").trim();
      if (h1 !== want.text) fail(`${p}: the first heading is "${h1}", expected "${want.text}"`);
      if (want.script && !new RegExp(want.script).test(h1)) fail(`${p}: the first heading "${h1}" is not in the page's script`);
    }
    for (const [p, home] of Object.entries(job.notFound || {})) {
      await page.goto(base + p);
      const href = await page.getAttribute(".langs a[aria-current]", "href");
      if (href !== home) fail(`${p}: the current language's link goes to ${href}, expected ${home}`);
    }
    for (const u of new Set(missing)) fail(`${js}: a page asked for ${u}, which answered 404`);
    for (const u of context._foreign) fail(`request to another origin: ${u}`);
    await context.close();
  }
}

// JavaScript off, the no-JS question left empty: the error asks for its answer in the
// no-JS path's own words (job.expected[lang]); nothing about an automatic check.
async function noJsEmptyAnswer(browser) {
  const context = await newContext(browser, { javaScriptEnabled: false, viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  for (const p of job.pages) {
    await page.goto(base + p);
    const lang = await page.getAttribute("html", "lang");
    await page.fill("#report-description", job.text);
    await Promise.all([page.waitForNavigation(), page.click("form.report-form button[type=submit]")]);
    const error = page.locator("#report-no-js-answer-error");
    const said = (await error.count()) ? ((await error.innerText()) || "").trim() : "";
    if (said !== job.expected[lang]) fail(`${p}: with the question left empty the error beside it says "${said}", expected "${job.expected[lang]}"`);
    const all = (await page.locator("form.report-form").innerText()) || "";
    for (const word of job.forbidden) {
      if (all.includes(word)) fail(`${p}: the form's errors mention "${word}", a check that never runs without JavaScript`);
    }
    if ((await page.inputValue("#report-description")) !== job.text) fail(`${p}: the typed text was lost`);
  }
  await context.close();
}

const REFERENCE_CODE = /^[3479ACEFHJKMNPRTWXY]{4}-[3479ACEFHJKMNPRTWXY]{4}-[3479ACEFHJKMNPRTWXY]{4}$/;

async function sendTip(browser, javaScript) {
  const context = await newContext(browser, {
    javaScriptEnabled: javaScript,
    viewport: { width: 320, height: 640 },
  });
  const page = await context.newPage();
  for (const p of job.pages) {
    await page.goto(base + p);
    await page.fill("#report-description", job.text);
    if (!javaScript) await page.fill("#report-no-js-answer", job.noJsAnswer);
    // With JavaScript the script holds the submit until its proof of work is solved.
    const [response] = await Promise.all([
      page.waitForNavigation({ url: (u) => !u.href.startsWith(base + p), timeout: 60000 }),
      page.click("form.report-form button[type=submit]"),
    ]);
    const status = response ? response.status() : 0;
    const where = new URL(page.url()).pathname;
    if (status !== 200) {
      const text = (await page.textContent("body")) || "";
      fail(`${p} (JavaScript ${javaScript ? "on" : "off"}): after sending, ${where} answered ${status}: ${text.trim().slice(0, 200)}`);
      continue;
    }
    const code = page.locator("#reference-code");
    if (!(await code.isVisible())) {
      fail(`${p} (JavaScript ${javaScript ? "on" : "off"}): ${where} shows no reference code`);
      continue;
    }
    const text = ((await code.textContent()) || "").trim();
    if (!REFERENCE_CODE.test(text)) fail(`${p}: the reference code reads "${text}"`);
    notes.push(`${p} (JavaScript ${javaScript ? "on" : "off"}): ${where} shows reference code ${text}`);
  }
  for (const u of context._foreign) fail(`request to another origin: ${u}`);
  await context.close();
}

const FOLLOW_UP_CODE = /^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{4}$/;

async function sendFollowUp(browser, javaScript) {
  const context = await newContext(browser, {
    javaScriptEnabled: javaScript,
    viewport: { width: 320, height: 640 },
  });
  const page = await context.newPage();
  const addresses = [];
  page.on("framenavigated", (f) => { if (f === page.mainFrame()) addresses.push(f.url()); });
  const js = `JavaScript ${javaScript ? "on" : "off"}`;
  const send = async (p, what) => {
    const from = page.url();
    const [response] = await Promise.all([
      page.waitForNavigation({ url: (u) => u.href !== from, timeout: 60000 }),
      page.click("form.report-form button[type=submit]"),
    ]);
    const status = response ? response.status() : 0;
    if (status !== 200) {
      const text = (await page.textContent("body")) || "";
      fail(`${p} (${js}): after sending the ${what}, ${new URL(page.url()).pathname} answered ${status}: ${text.trim().slice(0, 300)}`);
      return false;
    }
    return true;
  };
  for (const p of job.pages) {
    await page.goto(base + p);
    const link = page.locator('a[href*="/followup?lang="]');
    if (!(await link.count()) || !(await link.first().isVisible())) fail(`${p} (${js}): the report page has no visible link to the follow-up form`);
    await page.fill("#report-description", job.text);
    if (!javaScript) await page.fill("#report-no-js-answer", job.noJsAnswer);
    if (!(await send(p, "tip"))) continue;
    const receipt = page.url();
    const reference = ((await page.textContent("#reference-code")) || "").trim();
    const codeBox = page.locator("#follow-up-code");
    if (!(await codeBox.count()) || !(await codeBox.isVisible())) {
      fail(`${p} (${js}): the receipt shows no follow-up code`);
      continue;
    }
    const code = ((await codeBox.textContent()) || "").trim();
    if (!REFERENCE_CODE.test(reference)) fail(`${p} (${js}): the reference code reads "${reference}"`);
    if (!FOLLOW_UP_CODE.test(code)) fail(`${p} (${js}): the follow-up code reads "${code}"`);
    if (job.artifacts) {
      fs.mkdirSync(job.artifacts, { recursive: true });
      await keepScreenshot(page, path.join(job.artifacts, `receipt-${javaScript ? "js" : "nojs"}-${safeName(p)}-320.png`));
    }
    const box = await codeBox.boundingBox();
    if (box && box.x + box.width > 320) fail(`${p} (${js}): the follow-up code runs off a 320 px screen (right edge at ${box.x + box.width} px)`);
    await Promise.all([page.waitForNavigation(), page.click('a[href*="/followup?lang="]')]);
    await page.fill("#followup-code", code.toLowerCase().replace(/-/g, " "));
    await page.fill("#followup-description", job.addition);
    if (job.photo) await page.setInputFiles("#report-attachment", job.photo);
    if (!javaScript) await page.fill("#report-no-js-answer", job.noJsAnswer);
    if (!(await send(p, "addition"))) continue;
    if (job.photo) {
      const listed = page.locator("#files-removed");
      const said = (await listed.count()) ? ((await listed.innerText()) || "") : "";
      if (!said.includes(path.basename(job.photo))) fail(`${p} (${js}): the addition's page does not say what was removed from ${path.basename(job.photo)}: "${said}"`);
    }
    const joined = ((await page.textContent("#reference-code")) || "").trim();
    if (joined !== reference) fail(`${p} (${js}): the addition's page names "${joined}", the tip's reference code is "${reference}"`);
    if (await page.locator("#follow-up-code").count()) fail(`${p} (${js}): the addition's page shows a follow-up code`);
    if (((await page.content()) || "").includes(code)) fail(`${p} (${js}): the addition's page repeats the follow-up code`);
    const again = await page.goto(receipt);
    if (!again || again.status() !== 404) fail(`${p} (${js}): the receipt opened again (status ${again ? again.status() : 0})`);
    if (((await page.content()) || "").includes(code)) fail(`${p} (${js}): the receipt showed the follow-up code again`);
    const plain = code.replace(/-/g, "");
    for (const a of addresses) {
      const upper = decodeURIComponent(a).toUpperCase().replace(/[-+ ]/g, "");
      if (upper.includes(plain)) fail(`${p} (${js}): an address holds the follow-up code: ${a}`);
      if (upper.includes(reference.replace(/-/g, ""))) fail(`${p} (${js}): an address holds the reference code: ${a}`);
    }
    notes.push(`${p} (${js}): addition joined to ${reference}`);
  }
  for (const u of context._foreign) fail(`request to another origin: ${u}`);
  await context.close();
}

async function searchPages(browser) {
  const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  for (const { page: p, q, expect, lang } of job.queries) {
    const context = await newContext(browser, { viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    const requests = [];
    const addresses = [];
    let bytes = 0;
    page.on("request", (r) => requests.push(r.url()));
    page.on("response", async (r) => {
      try { bytes += (await r.body()).length; } catch (e) { /* redirects have no body */ }
    });
    page.on("framenavigated", (f) => { if (f === page.mainFrame()) addresses.push(f.url()); });
    await page.goto(base + "/__exit/?start");
    await page.goto(base + p, { waitUntil: "load" });
    const before = await page.evaluate(() => history.length);
    const loadedBefore = requests.length;
    bytes = 0;
    await page.focus("#search-q");
    await page.keyboard.type(q);
    await page.keyboard.press("Enter");
    try {
      await page.waitForSelector("#search-results li h2 a", { timeout: 15000 });
    } catch (e) {
      fail(`${p} "${q}": no result shown (status: "${await page.textContent("#search-status")}")`);
      await context.close();
      continue;
    }
    const first = await page.$eval("#search-results li h2 a", (a) => a.getAttribute("href"));
    if (first.split("#")[0] !== expect) fail(`${p} "${q}": first result is ${first}, expected ${expect}`);
    const marked = await page.$$eval("#search-results li:first-child mark", (ms) => ms.map((m) => m.textContent));
    if (!marked.length) fail(`${p} "${q}": the first result's excerpt highlights nothing`);
    const said = await page.textContent("#search-status");
    if (!/\d/.test(said)) fail(`${p} "${q}": the status line says "${said}", not how many pages were found`);
    if (page.url() !== base + p) fail(`${p} "${q}": the address became ${page.url()}`);
    const after = await page.evaluate(() => history.length);
    if (after !== before) fail(`${p} "${q}": searching added to the history (${before} -> ${after})`);
    // The page's own icon may arrive while the search runs (Chromium asks for it when it
    // likes); it is the same file for every page and carries nothing of the query.
    const fetched = requests.slice(loadedBefore).filter((u) => !/^\/favicon\.(svg|ico)$/.test(new URL(u).pathname));
    for (const u of fetched) {
      const path = new URL(u).pathname;
      if (!path.startsWith(`/search-index/${lang}/`)) fail(`${p} "${q}": the search fetched ${u}, outside /search-index/${lang}/`);
    }
    notes.push(`${lang} "${q}": ${fetched.length} files, ${bytes} bytes (uncompressed) for the query, first ${first}`);
    // Keyboard: Tab from the box reaches the button, then (past the note) the first result.
    await page.focus("#search-q");
    let reached = false;
    for (let i = 0; i < 4 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement === document.querySelector("#search-results a"));
    }
    if (!reached) fail(`${p} "${q}": Tab from the search box does not reach the first result`);
    if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) await page.evaluate(axeSource);
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
      AXE_TAGS,
    );
    for (const v of result.violations) {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
      fail(`${p} with results: axe ${v.id} (${v.impact}): ${v.help} — at ${where}`);
    }
    // Quick exit with results on screen.
    await Promise.all([page.waitForURL(job.exitUrl), (async () => {
      await page.keyboard.press("Shift");
      await page.keyboard.press("Shift");
      await page.keyboard.press("Shift");
    })()]);
    await page.goBack();
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    for (const u of requests.concat(addresses)) {
      const decoded = decodeURIComponent(u).toLowerCase();
      for (const w of words) if (decoded.includes(w)) fail(`${p} "${q}": the words appear in ${u}`);
    }
    if (page.url() !== base + "/__exit/?start") fail(`${p} "${q}": Back after the quick exit went to ${page.url()}`);
    const csp = await page.evaluate(() => window.__cspViolations || []);
    for (const v of csp) fail(`${p}: Content-Security-Policy violation: ${v}`);
    for (const u of context._foreign) if (!u.startsWith(job.exitUrl)) fail(`request to another origin: ${u}`);
    await context.close();
  }
  const context = await newContext(browser, { javaScriptEnabled: false, viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const addresses = [];
  page.on("framenavigated", (f) => { if (f === page.mainFrame()) addresses.push(f.url()); });
  for (const { page: p, all, q, expect } of job.nojsPages) {
    await page.goto(base + p);
    await page.fill("#search-q", q);
    await Promise.all([page.waitForNavigation(), page.press("#search-q", "Enter")]);
    const url = new URL(page.url());
    if (url.pathname !== all) fail(`${p} without JavaScript: the search box led to ${page.url()}, expected ${all}`);
    if (url.search.length > 1) fail(`${p} without JavaScript: the address carries "${url.search}"`);
    const links = await page.$$eval("main a", (as) => as.map((a) => a.getAttribute("href")));
    if (!links.includes(expect)) fail(`${all}: no link to ${expect}`);
    if (!links.some((h) => h.includes("#"))) fail(`${all}: no page's headings are listed`);
    const back = await page.$eval("main a", (a) => a.getAttribute("href"));
    if (back !== p) fail(`${all}: its first link is ${back}, expected the search page ${p}`);
  }
  for (const u of addresses) {
    for (const { q } of job.nojsPages) if (decodeURIComponent(u).includes(q)) fail(`without JavaScript the words "${q}" appear in ${u}`);
  }
  for (const u of context._foreign) fail(`request to another origin: ${u}`);
  await context.close();
}

async function printCards(browser) {
  const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const choices = [
    ["", "card-discreet"],
    ["#cards-discreet", "card-discreet"],
    ["#cards-standard", "card-standard"],
  ];
  for (const p of job.pages) {
    for (const [hash, kind] of choices) {
      const where = `${p}${hash || " (nothing chosen)"}`;
      await page.emulateMedia({ media: "screen" });
      await page.goto(base + p + hash);
      await page.emulateMedia({ media: "print" });
      const state = await page.evaluate(() => {
        const shown = (el) =>
          !!el && getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
        const cards = [...document.querySelectorAll(".card")].filter(shown);
        return {
          header: shown(document.querySelector(".site-header")),
          title: shown(document.querySelector("main h1")),
          footer: shown(document.querySelector(".site-footer")),
          kinds: cards.map((c) => (c.classList.contains("card-discreet") ? "card-discreet" : "card-standard")),
          texts: cards.map((c) => c.innerText.replace(/\s+/g, " ").trim()),
          sizes: cards.map((c) => {
            const r = c.getBoundingClientRect();
            return [r.width, r.height];
          }),
        };
      });
      if (state.header) fail(`${where}: the site header is printed`);
      if (state.title) fail(`${where}: the page title is printed`);
      if (state.footer) fail(`${where}: the footer is printed`);
      if (state.kinds.length !== job.perSheet) {
        fail(`${where}: ${state.kinds.length} cards are printed, not ${job.perSheet}`);
      }
      const wrong = state.kinds.filter((k) => k !== kind);
      if (wrong.length) fail(`${where}: prints ${wrong.length} cards of the other kind (${wrong[0]})`);
      // 85.6 × 54 mm at 96 px per inch.
      for (const [w, h] of state.sizes) {
        if (Math.abs(w - 323.5) > 2 || Math.abs(h - 204.1) > 2) {
          fail(`${where}: a card is ${w.toFixed(1)} × ${h.toFixed(1)} px, not 85.6 × 54 mm`);
          break;
        }
      }
      for (const t of state.texts) {
        if (!t.includes("152")) fail(`${where}: a card without the number: "${t}"`);
        if (kind === "card-discreet" && t.split(" ").length > 2) {
          fail(`${where}: the discreet card says more than a word and the number: "${t}"`);
        }
      }
      for (const format of ["A4", "Letter"]) {
        const pdf = await page.pdf({ format });
        const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
        if (pages !== 1) fail(`${where}: the ${format} sheet prints on ${pages} pages, not 1`);
      }
      notes.push(`${where}: ${state.kinds.length} × ${kind}`);
    }
  }
  for (const u of context._foreign) fail(`request to another origin: ${u}`);
  await context.close();
}

(async () => {
  const browser = await chromium.launch({
    executablePath: job.chromium,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    if (job.mode === "audit") await audit(browser);
    else if (job.mode === "nojs") await noJs(browser);
    else if (job.mode === "exit") await exitWithJs(browser);
    else if (job.mode === "search") await searchPages(browser);
    else if (job.mode === "report-up") await report(browser, true);
    else if (job.mode === "report-down") await report(browser, false);
    else if (job.mode === "css") await cssCheck(browser);
    else if (job.mode === "nojs-empty-answer") await noJsEmptyAnswer(browser);
    else if (job.mode === "visitor") await visitor(browser);
    else if (job.mode === "send-tip") await sendTip(browser, true);
    else if (job.mode === "send-tip-nojs") await sendTip(browser, false);
    else if (job.mode === "send-follow-up") await sendFollowUp(browser, job.javaScript === true);
    else if (job.mode === "print-cards") await printCards(browser);
    else fail(`unknown mode ${job.mode}`);
  } catch (e) {
    fail(`the browser script stopped: ${e && e.stack ? e.stack : e}`);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ failures, notes }) + "\n");
})();
