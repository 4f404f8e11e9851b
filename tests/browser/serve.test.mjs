// `waymark serve` in a real browser: a page reloads by itself after an edit,
// a broken edit shows the errors over the page and a fix takes them away,
// all under serve's strict Content-Security-Policy, directly and behind a
// proxy that puts the site under a sub-path.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { launch, openPage, repo } from "./support.mjs";

let child, base, site, browser, proxy, proxied, output = "";

/** Starts the debug binary's `serve` on a free port over a copy of the repository's site. */
async function startServe() {
  execFileSync("cargo", ["build", "--quiet"], { cwd: repo, stdio: ["ignore", "inherit", "inherit"] });
  const target = process.env.CARGO_TARGET_DIR ?? join(repo, "target");
  site = join(mkdtempSync(join(tmpdir(), "waymark-serve-")), "site");
  for (const part of ["site.yaml", "procedures", "content", "sources"]) {
    cpSync(join(repo, part), join(site, part), { recursive: true });
  }
  child = spawn(join(target, "debug", "waymark"), ["serve", "--root", site, "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr.on("data", (d) => (output += d));
  const lines = createInterface({ input: child.stdout });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve printed no URL:\n${output}`)), 120000);
    lines.on("line", (line) => {
      output += line + "\n";
      const url = line.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (url && !base) {
        clearTimeout(timer);
        ok(url[0]);
      }
    });
    child.on("exit", (code) => fail(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

/** A proxy that serves `upstream` at http://127.0.0.1:PORT/<prefix>, as a host under a sub-path would. */
function startProxy(upstream, prefix = "/preview/site/") {
  const server = createServer((req, res) => {
    if (!req.url.startsWith(prefix)) {
      res.writeHead(404).end("outside the site");
      return;
    }
    const forward = request(
      new URL(req.url.slice(prefix.length - 1), upstream),
      { method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      },
    );
    forward.on("error", () => res.writeHead(502).end());
    req.pipe(forward);
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () => ok({ server, url: `http://127.0.0.1:${server.address().port}${prefix}` })),
  );
}

const procedure = () => join(site, "procedures", "doncaster.yaml");

function edit(from, to) {
  const text = readFileSync(procedure(), "utf8");
  assert.ok(text.includes(from), `the file has ${from}`);
  writeFileSync(procedure(), text.replace(from, to));
}

before(async () => {
  base = await startServe();
  ({ server: proxy, url: proxied } = await startProxy(base));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  proxy?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((ok) => child.on("exit", ok));
    child.kill("SIGINT");
    await exited;
  }
});

/** Opens a page, marks it so a reload can be told apart, and checks serve's CSP header. */
async function open(context, url) {
  const opened = await openPage(context, url);
  assert.equal(opened.response.status(), 200);
  assert.equal(opened.response.headers()["content-security-policy"], "default-src 'self'; frame-ancestors 'none'");
  assert.equal(opened.response.headers()["x-frame-options"], "DENY");
  await opened.page.evaluate(() => {
    window.notReloaded = true;
  });
  return opened;
}

for (const [where, url] of [
  ["at the root", () => base],
  ["under a sub-path, behind a proxy", () => proxied],
]) {
  test(`${where}: a page open in the browser reloads by itself after an edit`, async () => {
    const context = await browser.newContext();
    const { page, problems } = await open(context, url() + "doncaster/index.html");
    const heading = await page.$eval("h1", (h) => h.textContent);
    assert.match(heading, /Our Compact: Resolving Differences/);
    const edited = `Edited ${where.length}`;
    edit('title: "Our Compact: Resolving Differences"', `title: "Our Compact: ${edited}"`);
    await page.waitForFunction((text) => document.querySelector("h1")?.textContent.includes(text), edited, {
      timeout: 60000,
    });
    assert.equal(await page.evaluate(() => window.notReloaded), undefined, "the page reloaded");
    edit(`title: "Our Compact: ${edited}"`, 'title: "Our Compact: Resolving Differences"');
    await page.waitForFunction(() => document.querySelector("h1")?.textContent.includes("Resolving Differences"), null, {
      timeout: 60000,
    });
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`${where}: a broken edit shows the errors over the page, and the fix takes them away`, async () => {
    const context = await browser.newContext();
    const { page, problems } = await open(context, url() + "doncaster/index.html");
    const violations = [];
    await page.exposeFunction("reportViolation", (v) => violations.push(v));
    await page.evaluate(() =>
      document.addEventListener("securitypolicyviolation", (e) => window.reportViolation(e.violatedDirective)),
    );
    edit("short_title: Doncaster", "short_titel: Doncaster");
    const overlay = await page.waitForSelector(".waymark-live-overlay", { state: "visible", timeout: 60000 });
    const shown = await overlay.$eval(".waymark-live-diagnostics", (e) => e.textContent);
    assert.match(shown, /procedures\/doncaster\.yaml:\d+:1: error: unknown field 'short_titel'/);
    assert.match(shown, /= hint:/);
    assert.ok(output.includes(shown.trim()), "the overlay shows the terminal's text");
    // Styled by the external live.css, which the CSP allows.
    assert.equal(await overlay.evaluate((e) => getComputedStyle(e).position), "fixed");
    assert.match(await page.$eval("h1", (h) => h.textContent), /Our Compact/, "the last good page is still there");
    assert.equal(await page.evaluate(() => window.notReloaded), true, "errors do not reload the page");

    edit("short_titel: Doncaster", "short_title: Doncaster");
    await page.waitForSelector(".waymark-live-overlay", { state: "detached", timeout: 60000 });
    assert.deepEqual(problems, []);
    assert.deepEqual(violations, []);
    await context.close();
  });
}

test("a page opened while the site is broken shows the errors at once", async () => {
  edit("short_title: Doncaster", "short_titel: Doncaster");
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, base + "compare/index.html");
  await page.waitForSelector(".waymark-live-overlay", { state: "visible", timeout: 60000 });
  await page.click(".waymark-live-close");
  assert.equal(await page.$(".waymark-live-overlay"), null, "Hide takes it away");
  edit("short_titel: Doncaster", "short_title: Doncaster");
  await page.waitForFunction(
    () => fetch("../__waymark/version").then((r) => r.json()).then((s) => s.errors === 0),
    null,
    { timeout: 60000, polling: 200 },
  );
  assert.deepEqual(problems, []);
  await context.close();
});
