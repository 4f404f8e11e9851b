// The flowchart as a reader meets it: text never below 12px at any width, a
// chart wider than its column scrolls in a focusable region with a visible
// hint and never widens the page, its lines stay visible in forced colours,
// its focus ring stands out, and axe finds nothing, for the bundled
// procedures and for a fixture procedure with a seven-answer question.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSite, removeSite, serve, launch, openPage, repo } from "./support.mjs";

const PROCEDURES = ["doncaster", "gloucestershire", "oxfordshire", "staffordshire", "worcestershire"];
const WIDTHS = [320, 375, 1280];

let site, fixture, servers, base, fixtureBase, browser;

before(async () => {
  site = buildSite();
  fixture = buildSite(["--root", join(repo, "tests", "fixtures", "many-answers")]);
  const [main, many] = await Promise.all([serve(site), serve(fixture)]);
  servers = [main.server, many.server];
  base = main.base;
  fixtureBase = many.base;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const server of servers ?? []) server.close();
  if (site) removeSite(site);
  if (fixture) removeSite(fixture);
});

function chartPages() {
  return [
    ...PROCEDURES.map((slug) => [slug, `${base}${slug}/index.html`]),
    ["seven answers", `${fixtureBase}seven-ways/index.html`],
  ];
}

/** Every line of chart text: its font size as drawn (CSS size times the SVG's scale) and its box height. */
function measureText(page) {
  return page.$eval(".flowchart", (svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll("tspan")].map((tspan) => ({
      text: tspan.textContent,
      drawnSize: parseFloat(getComputedStyle(tspan).fontSize) * scale,
      boxHeight: tspan.getBoundingClientRect().height,
    }));
  });
}

test("flowchart text is drawn at 12px or more at 320, 375 and 1280 px wide", async () => {
  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    for (const [name, url] of chartPages()) {
      const { page, problems } = await openPage(context, url);
      const lines = await measureText(page);
      assert.ok(lines.length >= 5, `${name}: only ${lines.length} lines of text`);
      for (const line of lines) {
        assert.ok(line.drawnSize >= 12, `${name} at ${width}px: "${line.text}" drawn at ${line.drawnSize.toFixed(1)}px`);
        assert.ok(line.boxHeight >= 12, `${name} at ${width}px: "${line.text}" is ${line.boxHeight.toFixed(1)}px tall`);
      }
      assert.deepEqual(problems, [], name);
      await page.close();
    }
    await context.close();
  }
});

test("a chart wider than its column scrolls in a focusable region with a visible hint, and the page itself never scrolls sideways", async () => {
  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    for (const [name, url] of chartPages()) {
      const { page } = await openPage(context, url);
      const state = await page.$eval(".flowchart-figure", (figure) => {
        const region = figure.querySelector(".flowchart-scroll");
        const hint = figure.querySelector(".flowchart-hint");
        return {
          scrolls: region.scrollWidth > region.clientWidth + 1,
          tabindex: region.getAttribute("tabindex"),
          hintShown: getComputedStyle(hint).display !== "none" && hint.getBoundingClientRect().height > 0,
          hint: hint.textContent,
          figureRight: figure.getBoundingClientRect().right,
          startInView: (() => {
            const start = figure.querySelector(".flow-node").getBoundingClientRect();
            const view = region.getBoundingClientRect();
            const middle = start.left + start.width / 2;
            return middle > view.left && middle < view.right;
          })(),
          pageWidth: document.documentElement.scrollWidth,
        };
      });
      assert.ok(state.figureRight <= width, `${name} at ${width}px: the chart reaches ${state.figureRight}px`);
      // The fixture has nothing else that could be wide; a bundled procedure may
      // (a long web address in its text is not the chart's to wrap).
      if (name === "seven answers") {
        assert.ok(state.pageWidth <= width, `${name} at ${width}px: the page is ${state.pageWidth}px wide`);
      }
      if (state.scrolls) {
        assert.equal(state.tabindex, "0", `${name} at ${width}px: a scrolling region is focusable`);
        assert.equal(state.hintShown, true, `${name} at ${width}px: a scrolling chart has its hint`);
        assert.equal(state.hint, "The chart is wider than the screen: scroll it sideways to see all of it.");
        assert.equal(state.startInView, true, `${name} at ${width}px: the chart opens at its start`);
      } else {
        assert.equal(state.tabindex, null, `${name} at ${width}px: a region that fits is not a tab stop`);
        assert.equal(state.hintShown, false, `${name} at ${width}px: no hint for a chart that fits`);
      }
      await page.close();
    }
    await context.close();
  }
  // At 320px every bundled chart is wider than the column, so each one scrolls.
  const context = await browser.newContext({ viewport: { width: 320, height: 900 } });
  const { page } = await openPage(context, `${base}doncaster/index.html`);
  assert.equal(await page.$eval(".flowchart-scroll", (r) => r.scrollWidth > r.clientWidth), true);
  await context.close();
});

test("without JavaScript the region stays focusable and the hint shows on a narrow screen", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 900 } });
  const { page } = await openPage(context, `${base}doncaster/index.html`);
  const state = await page.$eval(".flowchart-figure", (figure) => ({
    tabindex: figure.querySelector(".flowchart-scroll").getAttribute("tabindex"),
    hint: getComputedStyle(figure.querySelector(".flowchart-hint")).display,
  }));
  assert.deepEqual(state, { tabindex: "0", hint: "block" });
  await context.close();
});

test("the key names every shape the chart uses, in words", async () => {
  const context = await browser.newContext();
  const { page } = await openPage(context, `${fixtureBase}seven-ways/index.html`);
  const items = await page.$$eval(".flowchart-legend li", (lis) => lis.map((li) => li.textContent.trim()));
  assert.deepEqual(items, [
    "A stage of the procedure",
    "A question: each line out of it is labelled with an answer",
    "An ending: resolved (solid outline)",
    "An ending: referred elsewhere (dashed outline)",
    "An ending without a resolution (dotted outline)",
  ]);
  await context.close();
});

test("in forced colours the chart's lines, arrowheads and shapes keep a visible stroke", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  for (const [name, url] of chartPages()) {
    const { page } = await openPage(context, url);
    await page.emulateMedia({ forcedColors: "active" });
    const paints = await page.$eval(".flowchart", (svg) => {
      const paint = (selector, property) =>
        [...svg.querySelectorAll(selector)].map((e) => getComputedStyle(e)[property]);
      return {
        edges: paint(".flow-edge", "stroke"),
        edgeWidths: paint(".flow-edge", "strokeWidth"),
        arrows: paint(".flow-arrow", "fill"),
        shapes: paint(".flow-node rect, .flow-node polygon", "stroke"),
        background: getComputedStyle(document.body).backgroundColor,
      };
    });
    const invisible = (c) => c === "none" || c === "transparent" || /rgba\(.*, 0\)$/.test(c) || c === paints.background;
    assert.ok(paints.edges.length > 0 && paints.arrows.length === 1 && paints.shapes.length > 0, name);
    for (const [kind, colours] of Object.entries({ edges: paints.edges, arrows: paints.arrows, shapes: paints.shapes })) {
      for (const colour of colours) assert.ok(!invisible(colour), `${name}: ${kind} painted ${colour} on ${paints.background}`);
    }
    for (const w of paints.edgeWidths) assert.ok(parseFloat(w) >= 1, `${name}: edge ${w} wide`);
    await page.close();
  }
  await context.close();
});

/** Relative luminance and contrast ratio (WCAG 2) of "rgb(r, g, b)" colours. */
function luminance(colour) {
  const [r, g, b] = colour.match(/\d+(\.\d+)?/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test("the scroll region's focus ring contrasts 3:1 or more with the page", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 900 } });
  const { page } = await openPage(context, `${base}doncaster/index.html`);
  let focused = false;
  for (let i = 0; i < 60 && !focused; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement?.classList.contains("flowchart-scroll"));
  }
  assert.ok(focused, "the region is reached with the Tab key");
  const ring = await page.$eval(".flowchart-scroll", (r) => {
    const s = getComputedStyle(r);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor, paper: getComputedStyle(document.body).backgroundColor };
  });
  assert.equal(ring.style, "solid");
  assert.ok(ring.width >= 2, `outline ${ring.width}px`);
  const ratio = contrast(ring.colour, ring.paper);
  assert.ok(ratio >= 3, `focus ring ${ring.colour} on ${ring.paper}: ${ratio.toFixed(2)}:1`);
  // Arrow keys scroll the focused region.
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  // Scrolling may be smooth, so wait for it to move.
  await page.waitForFunction(() => document.querySelector(".flowchart-scroll").scrollLeft > 0, null, { timeout: 5000 });
  await context.close();
});

test("axe-core finds no WCAG 2.2 A/AA violations on the seven-answer procedure, at 320 and 1280 px, in forced colours too", async () => {
  const axe = readFileSync(join(repo, "node_modules", "axe-core", "axe.min.js"), "utf8");
  for (const [width, forced] of [[320, false], [1280, false], [1280, true]]) {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
    const { page } = await openPage(context, `${fixtureBase}seven-ways/index.html`);
    if (forced) await page.emulateMedia({ forcedColors: "active" });
    await page.evaluate(axe);
    const result = await page.evaluate(() =>
      window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] },
      }),
    );
    const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
    assert.deepEqual(violations, [], `at ${width}px${forced ? " in forced colours" : ""}`);
    await context.close();
  }
});
