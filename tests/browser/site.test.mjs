// The built site in a real browser: served under a sub-path with a strict
// CSP, opened from file://, checked with axe-core and the Nu HTML Checker.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { buildSite, removeSite, serve, launch, openPage, htmlFiles, PAGE_TYPES, repo } from "./support.mjs";

let site, server, base, browser;

before(async () => {
  site = buildSite();
  ({ server, base } = await serve(site));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (site) removeSite(site);
});

async function styled(page) {
  // The header's colour comes only from the stylesheet: proof the CSS loaded.
  return page.$eval(".site-header", (e) => getComputedStyle(e).backgroundColor);
}

test("every page loads under a sub-path with its CSS, no console errors and no third-party requests", async () => {
  const context = await browser.newContext();
  for (const rel of htmlFiles(site)) {
    const { page, problems, response } = await openPage(context, base + rel);
    assert.equal(response.status(), 200, rel);
    assert.equal(await styled(page), "rgb(18, 67, 109)", `${rel}: stylesheet applied`);
    assert.deepEqual(problems, [], rel);
    await page.close();
  }
  await context.close();
});

test("links work under a sub-path: following every link from the home page lands on a real page", async () => {
  const context = await browser.newContext();
  const { page } = await openPage(context, base + "index.html");
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.href));
  const internal = [...new Set(hrefs.filter((h) => h.startsWith(base)).map((h) => h.split("#")[0]))];
  assert.ok(internal.length >= 10, `only ${internal.length} links`);
  for (const href of internal) {
    const response = await page.goto(href);
    assert.equal(response.status(), 200, href);
    assert.notEqual(await page.title(), "", href);
  }
  await context.close();
});

test("a missing page gets the site's 404 page with status 404, at any depth", async () => {
  const context = await browser.newContext();
  for (const path of ["no-such-page/", "deep/er/still/missing.html"]) {
    const { page, response } = await openPage(context, base + path);
    assert.equal(response.status(), 404);
    assert.equal(await page.$eval("h1", (h) => h.textContent), "Page not found");
  }
  await context.close();
});

test("the site works from file:// — pages styled, links followed", async () => {
  const context = await browser.newContext();
  const home = pathToFileURL(join(site, "index.html")).href;
  const { page, problems } = await openPage(context, home);
  assert.equal(await styled(page), "rgb(18, 67, 109)");
  await page.click("text=Our Compact: Resolving Differences");
  await page.waitForURL(/doncaster\/index\.html$/);
  assert.equal(await styled(page), "rgb(18, 67, 109)");
  await page.click("nav.site-nav >> text=Compare procedures");
  await page.waitForURL(/compare\/index\.html$/);
  assert.match(await page.$eval("h1", (h) => h.textContent), /Compare/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("axe-core finds no WCAG 2.2 A/AA violations on any page type, at 1280 and 320 px wide", async () => {
  const axe = readFileSync(join(repo, "node_modules", "axe-core", "axe.min.js"), "utf8");
  // axe is injected by the test harness, so the page's own CSP is bypassed for it only.
  for (const width of [1280, 320]) {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
    for (const [kind, rel] of Object.entries(PAGE_TYPES)) {
      const { page } = await openPage(context, base + rel);
      await page.evaluate(axe);
      const result = await page.evaluate(() =>
        window.axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] },
        }),
      );
      const violations = result.violations.map(
        (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`,
      );
      assert.deepEqual(violations, [], `${kind} (${rel}) at ${width}px`);
      assert.ok(result.passes.length > 10, `${kind}: axe ran ${result.passes.length} passing rules`);
      await page.close();
    }
    await context.close();
  }
});

test("the Nu HTML Checker reports no errors on any page", () => {
  const jar = join(repo, "node_modules", "vnu-jar", "build", "dist", "vnu.jar");
  const files = htmlFiles(site).map((f) => join(site, f));
  // vnu prints its JSON report on standard error, and exits 1 when it finds errors.
  const run = spawnSync("java", ["-jar", jar, "--errors-only", "--format", "json", ...files], { encoding: "utf8" });
  assert.ok(run.status === 0 || run.status === 1, `vnu failed to run: ${run.error ?? run.stderr}`);
  const report = run.stderr.trim();
  const messages = JSON.parse(report || '{"messages":[]}').messages.map(
    (m) => `${resolve(new URL(m.url).pathname).slice(site.length + 1)}:${m.lastLine}: ${m.message}`,
  );
  assert.deepEqual(messages, []);
  assert.ok(files.length >= 10, `checked ${files.length} pages`);
});
