// The guide in a real browser: every route of every procedure clicked
// through with JavaScript on and followed by links with it off, landing on
// the same result; Back, Forward, Change, Start again, shared addresses,
// focus, errors, the date calculator, and axe on question and result pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { buildSite, removeSite, serve, launch, openPage, repo } from "./support.mjs";

let site, server, base, browser;
const procedures = {};

before(async () => {
  site = buildSite();
  ({ server, base } = await serve(site));
  browser = await launch();
  for (const slug of readdirSync(site)) {
    const file = join(site, slug, "wizard", "data.js");
    if (!existsSync(file)) continue;
    const window = {};
    new Function("window", readFileSync(file, "utf8"))(window);
    procedures[slug] = window.WaymarkWizard;
  }
});

after(async () => {
  await browser?.close();
  server?.close();
  if (site) removeSite(site);
});

/** Every route through a procedure's guide: the choices made, in order. */
function routes(data) {
  const done = [];
  const stack = [{ id: data.start, path: [] }];
  while (stack.length) {
    const { id, path } = stack.pop();
    const node = data.nodes[id];
    if (node.kind === "ending") {
      done.push(path);
      continue;
    }
    for (const choice of node.question.choices) {
      const step = [...path, { id, key: choice.key, label: choice.label }];
      if (choice.next === null) done.push(step);
      else stack.push({ id: choice.next, path: step });
    }
  }
  return done;
}

const heading = (page) => page.$eval("h1", (h) => h.textContent.replace(/\s+/g, " ").trim());

async function clickThrough(page, slug, route) {
  await page.goto(`${base}${slug}/wizard/index.html`);
  for (const step of route) {
    const before = await heading(page);
    await page.check(`input[type=radio][value="${step.key}"]`);
    await page.click("button:has-text('Continue')");
    await page.waitForFunction((h) => document.querySelector("h1")?.textContent.trim() !== h, before);
  }
  return heading(page);
}

async function followLinks(page, slug, route) {
  await page.goto(`${base}${slug}/wizard/index.html`);
  for (const step of route) {
    await Promise.all([page.waitForNavigation(), page.click(`a.choice >> text="${step.label}"`)]);
  }
  return heading(page);
}

test("every route of every procedure lands on the same result with JavaScript on and off", async () => {
  assert.equal(Object.keys(procedures).length, 6);
  const on = await browser.newContext();
  const off = await browser.newContext({ javaScriptEnabled: false });
  const withJs = await on.newPage();
  const withoutJs = await off.newPage();
  const problems = [];
  withJs.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  withJs.on("pageerror", (e) => problems.push(e.message));
  let count = 0;
  for (const [slug, data] of Object.entries(procedures)) {
    for (const route of routes(data)) {
      const a = await clickThrough(withJs, slug, route);
      const b = await followLinks(withoutJs, slug, route);
      const last = route[route.length - 1];
      const end = last.key === "not-yet" ? data.nodes[last.id] : data.nodes[data.nodes[last.id].question.choices.find((c) => c.key === last.key).next];
      const expected = last.key === "not-yet" ? `You are at ${end.heading}` : end.heading;
      assert.equal(a, expected, `${slug} ${JSON.stringify(route.map((s) => s.key))} with JavaScript`);
      assert.equal(b, expected, `${slug} ${JSON.stringify(route.map((s) => s.key))} without JavaScript`);
      count++;
    }
  }
  assert.ok(count >= 30, `${count} routes`);
  assert.deepEqual(problems, []);
  await on.close();
  await off.close();
});

test("Back and Forward move between questions, and focus lands on the new heading", async () => {
  const context = await browser.newContext();
  const { page } = await openPage(context, `${base}doncaster/wizard/index.html`);
  const first = await heading(page);
  await page.check("input[value=finished]");
  await page.click("button:has-text('Continue')");
  await page.waitForFunction((h) => document.querySelector("h1").textContent !== h, first);
  const second = await heading(page);
  assert.equal(await page.evaluate(() => document.activeElement.id), "wizard-heading");
  assert.match(page.url(), /\?stage-1=finished$/);
  assert.match(await page.title(), new RegExp(second.replace(/[?]/g, "\\?")));
  await page.goBack();
  await page.waitForFunction((h) => document.querySelector("h1").textContent === h, first);
  assert.equal(await page.evaluate(() => document.activeElement.id), "wizard-heading");
  await page.goForward();
  await page.waitForFunction((h) => document.querySelector("h1").textContent === h, second);
  await context.close();
});

test("a shared address restores the whole state, and Change and Start again work", async () => {
  const context = await browser.newContext();
  const query = "?stage-1=finished&after-stage-1=no&stage-2-route=third-sector&stage-2-third-sector=not-yet";
  const { page, problems } = await openPage(context, `${base}doncaster/wizard/index.html${query}`);
  assert.equal(await heading(page), "You are at Stage 2: Contact the compact representative at Doncaster CVS");
  const answers = await page.$$eval(".answer-list dd:not(.change)", (d) => d.map((x) => x.textContent));
  assert.deepEqual(answers, ["Yes, it has finished", "No", "A Third Sector organisation", "Not yet, I am doing this now"]);
  await page.click(".answer-list div:nth-child(3) .change a");
  await page.waitForFunction(() => /Third Sector organisation or/.test(document.querySelector("h1").textContent));
  assert.match(page.url(), /\?stage-1=finished&after-stage-1=no$/);
  await page.click(".wizard-restart a");
  await page.waitForFunction(() => /Have you finished Stage 1/.test(document.querySelector("h1").textContent));
  assert.match(page.url(), /wizard\/index\.html$/);
  assert.equal(await page.$$eval(".answer-list", (l) => l.length), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("Continue without an answer shows an error summary that takes focus", async () => {
  const context = await browser.newContext();
  const { page } = await openPage(context, `${base}gloucestershire/wizard/index.html`);
  await page.click("button:has-text('Continue')");
  assert.equal(await page.$eval(".error-summary", (e) => e.hidden), false);
  assert.equal(await page.evaluate(() => document.activeElement.className), "error-summary");
  assert.match(await page.$eval(".error-summary", (e) => e.textContent), /Select an answer/);
  await context.close();
});

test("the date calculator counts working days past bank holidays and refuses impossible dates", async () => {
  const context = await browser.newContext();
  const { page } = await openPage(context, `${base}doncaster/wizard/now/stage-2-third-sector.html`);
  assert.equal(await page.$eval("[data-calculator]", (e) => e.hidden), false, "the script shows the calculator");
  const form = page.locator("form.calculator-group").first();
  await form.locator("input[name=day]").fill("1");
  await form.locator("input[name=month]").fill("12");
  await form.locator("input[name=year]").fill("2025");
  await form.locator("button").click();
  assert.match(await form.locator(".calculator-results").textContent(), /by Tuesday 13 January 2026/);
  await form.locator("input[name=day]").fill("31");
  await form.locator("input[name=month]").fill("2");
  await form.locator("button").click();
  assert.equal(await form.locator(".error-summary").isVisible(), true);
  assert.equal(await form.locator("input[name=day]").getAttribute("aria-invalid"), "true");
  const staffs = await context.newPage();
  await staffs.goto(`${base}staffordshire/wizard/now/stage-2.html`);
  const group = staffs.locator("form.calculator-group").first();
  await group.locator("input[name=day]").fill("30");
  await group.locator("input[name=month]").fill("11");
  await group.locator("input[name=year]").fill("2026");
  await group.locator("button").click();
  assert.match(await group.locator(".calculator-results").textContent(), /between Monday 14 and Monday 28 December 2026/);
  await context.close();
});

test("axe finds no WCAG 2.2 A/AA violations on each procedure's question and result pages, with and without JavaScript", async () => {
  const axe = readFileSync(join(repo, "node_modules", "axe-core", "axe.min.js"), "utf8");
  for (const javaScriptEnabled of [true, false]) {
    // axe needs timers, which a context with JavaScript off never runs; so "off"
    // is a normal context where the site's own scripts are refused instead.
    const context = await browser.newContext({ bypassCSP: true });
    if (!javaScriptEnabled) await context.route(/\.js$/, (route) => route.abort());
    for (const [slug, data] of Object.entries(procedures)) {
      const stage = Object.keys(data.nodes).find((id) => data.nodes[id].kind === "stage");
      const ending = Object.keys(data.nodes).find((id) => data.nodes[id].kind === "ending");
      for (const rel of [`${slug}/wizard/index.html`, `${slug}/wizard/now/${stage}.html`, `${slug}/wizard/${ending}.html`]) {
        const page = await context.newPage();
        await page.goto(base + rel);
        await page.evaluate(axe);
        const result = await page.evaluate(() =>
          window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] } }),
        );
        const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
        assert.deepEqual(violations, [], `${rel} (JavaScript ${javaScriptEnabled ? "on" : "off"})`);
        await page.close();
      }
    }
    await context.close();
  }
});

test("a question's own page asks with radio buttons too, and Continue follows the chosen answer", async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${base}doncaster/wizard/stage-2-route.html`);
  assert.equal(await page.$$eval("a.choice", (a) => a.length), 0, "the links became radio buttons");
  const labels = await page.$$eval(".radio label", (l) => l.map((x) => x.textContent));
  assert.deepEqual(labels, ["A Third Sector organisation", "A public sector agency"]);
  await page.check("input[type=radio] >> nth=1");
  await Promise.all([page.waitForNavigation(), page.click("button:has-text('Continue')")]);
  assert.match(page.url(), /wizard\/stage-2-public-sector\.html$/);
  assert.match(await heading(page), /Have you finished Stage 2: Contact the compact representative within your organisation/);
  await page.goBack();
  assert.match(page.url(), /wizard\/stage-2-route\.html$/);
  assert.deepEqual(problems, []);
  await context.close();
});
