// The guide's date calculator in a real browser counts working days in its
// procedure's calendar: a site whose Doncaster procedure follows Scotland's
// bank holidays skips St Andrew's Day and 2 January's substitute day, where
// England and Wales would not.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSite, removeSite, serve, launch, openPage, repo } from "./support.mjs";

let source, site, server, base, browser;

before(async () => {
  source = mkdtempSync(join(tmpdir(), "waymark-calendars-"));
  for (const part of ["site.yaml", "procedures", "content", "sources"]) {
    cpSync(join(repo, part), join(source, part), { recursive: true });
  }
  const file = join(source, "procedures", "doncaster.yaml");
  const text = readFileSync(file, "utf8");
  assert.ok(text.includes("\narea: Doncaster\n"));
  writeFileSync(file, text.replace("\narea: Doncaster\n", "\narea: Doncaster\ncalendar: scotland\n"));
  site = buildSite(["--root", source]);
  ({ server, base } = await serve(site));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (site) removeSite(site);
  if (source) rmSync(source, { recursive: true, force: true });
});

/** Fills in the first calculator on `page` and returns what it says. */
async function workOut(page, day, month, year) {
  const form = page.locator("form.calculator-group").first();
  await form.locator("input[name=day]").fill(day);
  await form.locator("input[name=month]").fill(month);
  await form.locator("input[name=year]").fill(year);
  await form.locator("button").click();
  return form.locator(".calculator-results").textContent();
}

test("a Scottish procedure's calculator leaves out Scotland's bank holidays", async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${base}doncaster/wizard/now/stage-2-third-sector.html`);
  assert.match(await page.$eval("[data-calculator]", (e) => e.textContent), /bank holidays in Scotland\./);
  // 28 working days from Friday 27 November 2026: Monday 30 November is
  // St Andrew's Day and Monday 4 January 2027 is 2 January's substitute day,
  // so the 28th working day is Wednesday 13 January (in England and Wales it
  // would be Monday 11 January).
  assert.match(await workOut(page, "27", "11", "2026"), /by Wednesday 13 January 2027/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a procedure that names no calendar keeps England and Wales's", async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${base}staffordshire/wizard/now/stage-2.html`);
  assert.match(await page.$eval("[data-calculator]", (e) => e.textContent), /bank holidays in England and Wales\./);
  assert.deepEqual(problems, []);
  await context.close();
});
