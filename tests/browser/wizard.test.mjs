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
  // A fixed build day, so the bank-holiday table covers 2011 to 2051 whatever today is.
  site = buildSite(["--today", "2026-11-23"]);
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
      const stays = data.nodes[last.id].question.choices.find((c) => c.key === last.key).next === null;
      const end = stays ? data.nodes[last.id] : data.nodes[data.nodes[last.id].question.choices.find((c) => c.key === last.key).next];
      const expected = !stays ? end.heading
        : end.kind === "decision" ? `You are waiting for a decision: ${end.heading}`
        : `You are at ${end.heading}`;
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
  assert.equal(
    await group.locator(".calculator-results li").first().textContent(),
    "CMG convened: 2 weeks: by Monday 14 December 2026; 4 weeks: by Monday 28 December 2026",
  );
  await context.close();
});

/** Enters a date in a calculator form and works out its dates; returns each result's text. */
async function workOut(form, day, month, year) {
  await form.locator("input[name=day]").fill(day);
  await form.locator("input[name=month]").fill(month);
  await form.locator("input[name=year]").fill(year);
  await form.locator("button").click();
  return form.locator(".calculator-results li").allTextContents();
}

test("the calculator says when a date has passed, and states the counting rule", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date("2026-01-10T12:00:00"));
  await page.goto(`${base}doncaster/wizard/now/stage-2-third-sector.html`);
  const form = page.locator("form.calculator-group").first();
  assert.deepEqual(await workOut(form, "1", "12", "2025"), [
    "Meeting held: by Tuesday 13 January 2026",
  ]);
  assert.deepEqual(await workOut(form, "20", "11", "2025"), [
    "Meeting held: by Friday 2 January 2026 (this date has passed)",
  ]);
  assert.match(
    await page.locator("[data-calculator]").textContent(),
    /The day of the event is day 0, and day 1 is the next day\./,
  );
  await context.close();
});

test("the calculator refuses to count working days outside the years its bank holidays cover", async () => {
  const context = await browser.newContext();
  const { page } = await openPage(context, `${base}doncaster/wizard/now/stage-2-third-sector.html`);
  const form = page.locator("form.calculator-group").first();
  const refused = "Meeting held: not worked out: this guide knows bank holidays only from 2011 to 2051";
  assert.deepEqual(await workOut(form, "20", "12", "2052"), [refused]);
  assert.deepEqual(await workOut(form, "20", "12", "2051"), [refused], "the answer would fall in 2052");
  assert.deepEqual(await workOut(form, "3", "1", "2011"), ["Meeting held: by Thursday 10 February 2011 (this date has passed)"]);
  await context.close();
});

test("a wrong date clears the dates worked out from the one before", async () => {
  const context = await browser.newContext();
  const { page } = await openPage(context, `${base}gloucestershire/wizard/now/stage-2.html`);
  const form = page.locator("form.calculator-group").first();
  assert.deepEqual(await workOut(form, "25", "12", "2026"), [
    "Panel convened: by Friday 8 January 2027",
    "Panel hears from both parties: by Friday 5 February 2027",
  ]);
  assert.deepEqual(await workOut(form, "31", "2", "2027"), ["", ""]);
  assert.equal(await form.locator(".error-summary").isVisible(), true);
  assert.doesNotMatch(await form.textContent(), /February 2027/);
  await context.close();
});

test("Staffordshire's result asks for one start date, and says what was assumed about it", async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${base}staffordshire/wizard/now/stage-2.html`);
  assert.equal(await page.locator("form.calculator-group").count(), 1);
  const results = await workOut(page.locator("form.calculator-group"), "30", "11", "2026");
  assert.equal(results.length, 2);
  assert.match(results[1], /^CMG hears from both parties: by Monday 25 January 2027 \(start assumed: Step 2\.2 counts from "the date when details of the disagreement were received by the NI 7 working group"\./);
  assert.deepEqual(problems, []);
  await context.close();
});

test("no date is offered for a time limit whose start the procedure does not state", async () => {
  const context = await browser.newContext();
  const { page } = await openPage(context, `${base}worcestershire/wizard/now/stage-1.html`);
  assert.equal(await page.locator("form.calculator-group").count(), 0);
  assert.match(
    await page.locator(".deadline-what").first().textContent(),
    /Conciliation panel convened: 28 days, counted from an event the procedure does not state\./,
  );
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
      const waiting = Object.keys(data.nodes).filter((id) => id !== "scope" && data.nodes[id].kind === "decision" && data.nodes[id].result);
      const pages = [`${slug}/wizard/index.html`, `${slug}/wizard/now/${stage}.html`, `${slug}/wizard/${ending}.html`]
        .concat(waiting.flatMap((id) => [`${slug}/wizard/${id}.html`, `${slug}/wizard/now/${id}.html`]));
      for (const rel of pages) {
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

test("the scope question comes first, and an exclusion leads to its ending, with JavaScript on and off", async () => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled });
    const { page, problems } = await openPage(context, `${base}worcestershire/wizard/index.html`);
    assert.equal(await heading(page), "Is your dispute about Compact themes and principles, between parties that are signatories to the Worcestershire Compact?");
    if (javaScriptEnabled) {
      await page.check("input[value=complaint-from-the-public]");
      await page.click("button:has-text('Continue')");
      await page.waitForFunction(() => /Not dealt with/.test(document.querySelector("h1").textContent));
      assert.match(page.url(), /\?scope=complaint-from-the-public$/);
    } else {
      await Promise.all([page.waitForNavigation(), page.click('a.choice >> text="No, it is a complaint from the public"')]);
    }
    assert.equal(await heading(page), "Not dealt with by the Compact Conciliation Process");
    assert.equal(await page.$eval(".outcome-tag", (e) => e.textContent), "Outcome: Not covered by this procedure");
    assert.deepEqual(
      await page.$$eval(".result-notes li", (l) => l.map((x) => x.textContent)),
      ["The document does not say where these matters should go instead."],
    );
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("a reader waiting for someone else's decision sees who decides, the notes and whom to contact, with JavaScript on and off", async () => {
  const start = "worcestershire/wizard/index.html?scope=yes&informal-stage=finished&after-informal-stage=no&stage-1=finished";
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled });
    const url = javaScriptEnabled ? `${base}${start}` : `${base}worcestershire/wizard/after-stage-1.html`;
    const { page, problems } = await openPage(context, url);
    assert.equal(await heading(page), "What is the most appropriate way forward?");
    assert.equal(await page.$eval(".hint", (e) => e.textContent),
      "Who decides: The Chair of WCSG, after seeking advice from the relevant Complaints Manager");
    assert.deepEqual(await page.$$eval(".question-notes li", (l) => l.map((x) => x.textContent)),
      ["The document sets no time limit for this decision."]);
    if (javaScriptEnabled) {
      await page.check("input[value=waiting]");
      await page.click("button:has-text('Continue')");
      await page.waitForFunction(() => /waiting for a decision/.test(document.querySelector("h1").textContent));
      assert.match(page.url(), /stage-1=finished&after-stage-1=waiting$/);
    } else {
      await Promise.all([page.waitForNavigation(), page.click('a.choice >> text="Not yet, I am still waiting for their decision"')]);
    }
    assert.equal(await heading(page), "You are waiting for a decision: What is the most appropriate way forward?");
    const text = await page.$eval("#wizard", (e) => e.textContent.replace(/\s+/g, " "));
    assert.match(text, /Who decides: The Chair of WCSG, after seeking advice from the relevant Complaints Manager/);
    assert.match(text, /Worcestershire Compact Steering Group \(WCSG\)/);
    assert.match(text, /What is the most appropriate way forward\? Commence Conciliation Process: Stage 2/);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("a question's own page keeps its notes when the script asks with radio buttons", async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${base}gloucestershire/wizard/joint-referral.html`);
  assert.equal(await page.$$eval("a.choice", (a) => a.length), 0, "the links became radio buttons");
  assert.deepEqual(await page.$$eval(".question-notes li", (l) => l.map((x) => x.textContent)),
    ["Stage 2 needs a joint referral (step 1.4). One party cannot refer the issue on its own."]);
  const labels = await page.$$eval(".radio label", (l) => l.map((x) => x.textContent));
  assert.deepEqual(labels, [
    "Yes, both parties agree and refer the issue jointly",
    "No, the parties do not both agree",
    "Not yet, the parties have not decided",
  ]);
  await page.check("input[type=radio] >> nth=2");
  await Promise.all([page.waitForNavigation(), page.click("button:has-text('Continue')")]);
  assert.match(page.url(), /wizard\/now\/joint-referral\.html$/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a time limit from either of two events counts only from the one the reader's route decides", async () => {
  const either = buildSite(["--root", "tests/fixtures/either-site", "--today", "2026-11-23"]);
  const { server: eitherServer, base: eitherBase } = await serve(either);
  try {
    const context = await browser.newContext();
    const guide = `${eitherBase}complaints/wizard/index.html`;
    const viaEarly = await context.newPage();
    await viaEarly.goto(`${guide}?complaint=finished&early=yes&early-resolution=finished&review=not-yet`);
    assert.deepEqual(await viaEarly.locator("form.calculator-group legend").allTextContents(), [
      "Counted from: you asked for a review after early resolution",
    ]);
    assert.deepEqual(await workOut(viaEarly.locator("form.calculator-group"), "1", "12", "2026"), [
      "Reply sent: by Thursday 31 December 2026",
    ]);
    const direct = await context.newPage();
    await direct.goto(`${guide}?complaint=finished&early=no&review=not-yet`);
    assert.deepEqual(await direct.locator("form.calculator-group legend").allTextContents(), [
      "Counted from: the complaint was received",
    ]);
    const ownPage = await context.newPage();
    await ownPage.goto(`${eitherBase}complaints/wizard/now/review.html`);
    assert.equal(await ownPage.locator("form.calculator-group").count(), 2, "with no route known, both events are asked for");
    assert.match(
      await ownPage.locator(".deadline-what").textContent(),
      /Reply sent: 20 working days after the complaint was received or after you asked for a review after early resolution, depending on the way your case went, not counting weekends/,
    );
    await context.close();
  } finally {
    eitherServer.close();
    removeSite(either);
  }
});
