// Shared set-up for the browser tests: build the site, serve it under a
// sub-path with a strict Content-Security-Policy, and start headless Chromium.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, statSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, resolve, sep, dirname } from "node:path";
import { chromium } from "playwright-core";

export const repo = resolve(import.meta.dirname, "..", "..");

/** Builds the repository's site with the debug binary into a fresh folder and returns it. */
export function buildSite(extraArgs = []) {
  const out = join(mkdtempSync(join(tmpdir(), "waymark-browser-")), "public");
  execFileSync("cargo", ["run", "--quiet", "--", "build", "--quiet", "-o", out, ...extraArgs], {
    cwd: repo,
    stdio: ["ignore", "inherit", "inherit"],
  });
  return out;
}

/** Removes a site made by buildSite, with its temporary parent folder. */
export function removeSite(out) {
  rmSync(dirname(out), { recursive: true, force: true });
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".vcf": "text/vcard; charset=utf-8",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
};

/** Serves `dir` at http://127.0.0.1:PORT/<prefix>/ with a strict CSP; resolves to the base URL. */
export function serve(dir, prefix = "/any/sub/path/") {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const headers = { "Content-Security-Policy": "default-src 'self'" };
    if (!url.pathname.startsWith(prefix)) {
      res.writeHead(404, headers).end("outside the site");
      return;
    }
    let file = join(dir, decodeURIComponent(url.pathname.slice(prefix.length)));
    if (!resolve(file).startsWith(resolve(dir) + sep) && resolve(file) !== resolve(dir)) {
      res.writeHead(400, headers).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const body = readFileSync(file);
      res.writeHead(200, { ...headers, "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, { ...headers, "Content-Type": TYPES[".html"] });
      res.end(readFileSync(join(dir, "404.html")));
    }
  });
  return new Promise((ok) => {
    server.listen(0, "127.0.0.1", () => ok({ server, base: `http://127.0.0.1:${server.address().port}${prefix}` }));
  });
}

/** Starts Debian's Chromium headless, with the flags this closed network needs. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Every HTML file of the built site, relative to it. */
export function htmlFiles(dir, sub = "") {
  const out = [];
  for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
    const rel = sub ? `${sub}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...htmlFiles(dir, rel));
    else if (entry.name.endsWith(".html")) out.push(rel);
  }
  return out.sort();
}

/** Opens `url` in a new page and records console errors and failed or foreign requests. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith("http://127.0.0.1") && !u.startsWith("file://") && !u.startsWith("data:")) {
      problems.push(`third-party request: ${u}`);
    }
  });
  const response = await page.goto(url);
  return { page, problems, response };
}

/** The page types to test, one representative of each. */
export const PAGE_TYPES = {
  home: "index.html",
  procedure: "doncaster/index.html",
  "procedure with a nested contacts table": "oxfordshire/index.html",
  "procedure with parts not known": "shropshire/index.html",
  "guide result with parts not known": "shropshire/wizard/now/stage-2.html",
  compare: "compare/index.html",
  guidance: "accessibility/index.html",
  "not found": "404.html",
};
