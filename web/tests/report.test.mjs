// Browser tests of report.html: written by the command line on the Monaco extract,
// opened from disk in Chromium with no network, in both languages; printed to A4 PDF and
// checked page by page; exported from the viewer; Chinese glyphs drawn, not boxes.
// Run with `npm test` (scripts/test-web.sh); needs cargo, poppler-utils and a CJK font
// (scripts/setup-wasm.sh installs them).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launch, setup, value, webDir } from "./lib/browser.mjs";

const repo = resolve(webDir, "..");
const CENTERS = "amenity=library|post_office|townhall|community_centre|social_facility";
const work = mkdtempSync(resolve(tmpdir(), "lifecircle-report-"));

/** Runs the command line (the debug build the cargo tests made, else built now). */
function lifecircle(args) {
  const run = spawnSync("cargo", ["run", "--quiet", "-p", "lifecircle-cli", "--", ...args], { cwd: repo, encoding: "utf8" });
  assert.equal(run.status, 0, `lifecircle ${args.join(" ")}: ${run.stderr}`);
}

const monaco = ["--roads", "data/monaco.osm.pbf", "--centers-osm", CENTERS, "--demand-osm", "building", "--quiet"];
const folders = {
  en: resolve(work, "coverage-en"),
  zh: resolve(work, "coverage-zh"),
  plan: resolve(work, "plan-zh"),
};

let browser;
before(() => {
  lifecircle(["coverage", ...monaco, "--report", "html", "--lang", "en", "--out", folders.en]);
  lifecircle(["coverage", ...monaco, "--report", "html", "--lang", "zh", "--title", "摩纳哥：社区服务步行覆盖", "--out", folders.zh]);
  lifecircle(["plan", "--model", "mclp", "--k", "3", ...monaco, "--report", "html", "--lang", "zh", "--out", folders.plan]);
});
after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Opens a report from disk; every request that is not a file or inline data is refused and counted. */
async function openReport(folder) {
  browser ??= await launch();
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  page.network = [];
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  await page.route(/^(?!file:|data:).*/, (route) => {
    page.network.push(route.request().url());
    return route.abort();
  });
  await page.goto(pathToFileURL(resolve(folder, "report.html")).href);
  await page.waitForLoadState("load");
  return page;
}

/** Ratios as the page carries them: read back from summary.json by core, within 1e-12. */
function assertRatio(actual, expected, what) {
  assert.ok(Math.abs(Number(actual) - expected) < 1e-12, `${what}: ${actual} vs ${expected}`);
}

const summaryOf = (folder) => JSON.parse(readFileSync(resolve(folder, "summary.json"), "utf8"));

/**
 * Shares of a PNG's pixels near each of `colors` (hex), counted in the page from a
 * data URL (so the canvas is not tainted).
 */
async function colorShares(page, png, colors) {
  return page.evaluate(
    async ([b64, colors]) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext("2d");
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, img.width, img.height).data;
      const rgb = colors.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
      const counts = rgb.map(() => 0);
      for (let i = 0; i < d.length; i += 4) {
        rgb.forEach(([r, g, b], k) => {
          if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 60) counts[k] += 1;
        });
      }
      return counts.map((c) => c / (d.length / 4));
    },
    [png.toString("base64"), colors],
  );
}

/**
 * Draws two different Chinese characters and an unassigned one in the page's own font:
 * with a CJK font the two differ from each other and from the "missing glyph" box.
 */
async function chineseGlyphs(page) {
  return page.evaluate(() => {
    const font = getComputedStyle(document.body).fontFamily;
    const draw = (ch) => {
      const c = document.createElement("canvas");
      c.width = c.height = 48;
      const x = c.getContext("2d");
      x.fillStyle = "#fff";
      x.fillRect(0, 0, 48, 48);
      x.fillStyle = "#000";
      x.font = `40px ${font}`;
      x.textBaseline = "top";
      x.fillText(ch, 4, 4);
      const d = x.getImageData(0, 0, 48, 48).data;
      let bits = "";
      let ink = 0;
      for (let i = 0; i < d.length; i += 4) {
        const dark = d[i] < 128 ? 1 : 0;
        ink += dark;
        bits += dark;
      }
      return { bits, ink };
    };
    const a = draw("覆");
    const b = draw("盖");
    const missing = draw("\u{10FFFD}");
    return { font, inkA: a.ink, inkB: b.ink, distinct: a.bits !== b.bits, notMissing: a.bits !== missing.bits && b.bits !== missing.bits };
  });
}

const GREEN = "#0e9f6e";
// The gap fill (#ff5a5f at 28 % opacity) over the map background (#f6f7f4).
const GAP_RED = "#f8cbca";

describe("report.html from disk", () => {
  test("English: figures equal summary.json, the map is drawn, nothing is fetched", async () => {
    const page = await openReport(folders.en);
    const summary = summaryOf(folders.en);
    const c = summary.coverage;
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assertRatio(await page.getAttribute("#coverage-pct", "data-value"), c.coverage_ratio, "coverage");
    assert.equal(Number(await page.getAttribute("#covered-pop", "data-value")), c.covered_population);
    assert.equal(Number(await page.getAttribute("#total-pop", "data-value")), c.total_population);
    assert.equal(Number(await page.getAttribute("#gap-count", "data-value")), summary.gaps.count);
    assert.equal(await page.innerText("#coverage-pct"), `${(c.coverage_ratio * 100).toFixed(1)} %`);
    assert.equal(await page.locator("#centers-table tbody tr").count(), c.per_center.length);
    assert.equal(await page.locator("#gaps-table tbody tr").count(), summary.gaps.largest.length);
    assert.equal(await page.locator("#bands-table tbody tr").count(), c.histogram.length);
    // Names, not ids, where the data has them.
    const named = c.per_center.find((x) => x.name);
    assert.ok(named, "Monaco's centers have names");
    assert.match(await page.innerText("#centers-table"), new RegExp(named.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    // The map: streets within the threshold in green, gap areas in red.
    const map = await page.locator("#map-coverage").screenshot();
    const [green, red] = await colorShares(page, map, [GREEN, GAP_RED]);
    assert.ok(green > 0.01, `green streets cover ${green} of the map`);
    assert.ok(red > 0.001, `gap areas cover ${red} of the map`);
    assert.deepEqual(page.network, [], "the page asked for nothing from the network");
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("Chinese: complete words, grouped figures and glyphs drawn, not boxes", async () => {
    const page = await openReport(folders.zh);
    const summary = summaryOf(folders.zh);
    assert.equal(await page.getAttribute("html", "lang"), "zh-Hans");
    const text = await page.innerText("body");
    for (const words of ["步行覆盖评估报告", "覆盖情况", "至最近服务中心的步行时间", "最大覆盖盲区及最佳补点位置", "方法与数据", "摩纳哥：社区服务步行覆盖"]) {
      assert.ok(text.includes(words), `missing ${words}`);
    }
    for (const english of ["Coverage", "Walk time", "Population", "Largest gaps", "Method"]) {
      assert.ok(!text.includes(english), `English left in the Chinese page: ${english}`);
    }
    assert.equal(await page.innerText("#coverage-pct"), `${(summary.coverage.coverage_ratio * 100).toFixed(1)}%`);
    assert.equal(await page.innerText("#total-pop"), summary.coverage.total_population.toLocaleString("en-US"));
    const glyphs = await chineseGlyphs(page);
    assert.ok(glyphs.distinct && glyphs.notMissing, `Chinese characters are drawn as boxes in ${glyphs.font}`);
    assert.ok(glyphs.inkA > 40 && glyphs.inkB > 40, `no ink: ${JSON.stringify(glyphs)}`);
    const screenshot = resolve(work, "zh.png");
    await page.screenshot({ path: screenshot, fullPage: false });
    assert.deepEqual(page.network, []);
    await page.close();
  });

  test("a plan report shows the maps before and after with the chosen sites", async () => {
    const page = await openReport(folders.plan);
    const plan = JSON.parse(readFileSync(resolve(folders.plan, "plan.json"), "utf8"));
    const after = summaryOf(resolve(folders.plan, "after"));
    assertRatio(await page.getAttribute("#coverage-pct", "data-value"), after.coverage.coverage_ratio, "coverage after");
    assert.equal(await page.locator("#sites-table tbody tr").count(), plan.sites.length);
    assert.equal(await page.locator("#map-before").count(), 1);
    assert.equal(await page.locator("#map-after .new-site").count(), plan.sites.length);
    const [green] = await colorShares(page, await page.locator("#map-after").screenshot(), [GREEN]);
    assert.ok(green > 0.0005, `after map: green ${green}`);
    await page.close();
  });

  test("prints to A4: maps drawn, no table row split across pages", async () => {
    const page = await openReport(folders.en);
    const pdf = resolve(work, "report.pdf");
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    const prefix = resolve(work, "page");
    const ppm = spawnSync("pdftoppm", ["-r", "60", "-png", pdf, prefix], { encoding: "utf8" });
    assert.equal(ppm.status, 0, ppm.stderr);
    const pages = readdirSync(work).filter((n) => /^page-\d+\.png$/.test(n)).sort();
    assert.ok(pages.length >= 2, `${pages.length} pages`);
    // A4 at 60 dpi: 496 × 702 pixels.
    const size = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      return [img.width, img.height];
    }, readFileSync(resolve(work, pages[0])).toString("base64"));
    assert.ok(Math.abs(size[0] - 496) <= 2 && Math.abs(size[1] - 702) <= 2, `page size ${size}`);
    const shares = [];
    for (const name of pages) shares.push((await colorShares(page, readFileSync(resolve(work, name)), [GREEN]))[0]);
    assert.ok(shares.some((s) => s > 0.005), `no page shows the map's streets: ${shares}`);
    // Every center row reads whole on one page: its name and both figures on one line.
    const summary = summaryOf(folders.en);
    const pageTexts = pages.map((_, i) => {
      const t = spawnSync("pdftotext", ["-layout", "-f", String(i + 1), "-l", String(i + 1), pdf, "-"], { encoding: "utf8" });
      assert.equal(t.status, 0, t.stderr);
      return t.stdout;
    });
    const group = (x) => Math.round(x).toLocaleString("en-US");
    for (const center of summary.coverage.per_center) {
      const label = center.name ?? center.id;
      const whole = pageTexts.some((text) =>
        text.split("\n").some((line) => line.includes(label) && line.includes(group(center.served_population)) && line.includes(group(center.nearest_population))),
      );
      assert.ok(whole, `the row of ${label} is not whole on one page`);
    }
    writeFileSync(resolve(work, "pages.txt"), pageTexts.join("\f"));
    await page.close();
  });
});

describe("the viewer's report export", () => {
  let env;
  before(async () => {
    env = await setup();
  });
  after(async () => {
    await env?.close();
  });

  test("exports report.html of the scenario on screen, in the page's language", async () => {
    const page = await env.open();
    await page.locator('[data-testid="tab-data"]').click();
    const fetchReport = async () => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator('[data-testid="export-report"]').click()]);
      const chunks = [];
      for await (const chunk of await download.createReadStream()) chunks.push(chunk);
      return { name: download.suggestedFilename(), html: Buffer.concat(chunks).toString("utf8") };
    };
    const en = await fetchReport();
    assert.equal(en.name, "report.html");
    const ratio = Number(await value(page, "coverage-pct"));
    const dataValue = (html, id) => Number(html.match(new RegExp(`id="${id}" data-value="([^"]*)"`))[1]);
    assertRatio(dataValue(en.html, "coverage-pct"), ratio, "exported coverage");
    assert.equal(dataValue(en.html, "total-pop"), Number(await value(page, "total-pop")));
    assert.match(en.html, /<html lang="en">/);
    assert.match(en.html, /<svg id="map-coverage"/);
    await page.locator('[data-testid="lang-switch"]').click();
    const zh = await fetchReport();
    assert.match(zh.html, /<html lang="zh-Hans">/);
    assert.match(zh.html, /步行覆盖评估报告/);
    assertRatio(dataValue(zh.html, "coverage-pct"), ratio, "exported coverage (zh)");
    // The viewer's own Chinese is drawn with a CJK font too.
    const glyphs = await chineseGlyphs(page);
    assert.ok(glyphs.distinct && glyphs.notMissing, `the viewer draws Chinese as boxes in ${glyphs.font}`);
    await page.locator('[data-testid="lang-switch"]').click();
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
