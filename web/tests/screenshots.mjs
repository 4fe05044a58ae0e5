// Screenshots of the viewer on the Isle of Man sample, for the docs:
//   node tests/screenshots.mjs [outDir]     (default: ../docs/screenshots)
// Needs a built viewer (npm run build) and Chromium, like the browser tests.
import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { idle, setup, webDir } from "./lib/browser.mjs";

const out = resolve(process.argv[2] ?? resolve(webDir, "../docs/screenshots"));
mkdirSync(out, { recursive: true });
const whatIf = JSON.parse(readFileSync(resolve(webDir, "tests/golden/isle_of_man_whatif.json"), "utf8"));
const size = { width: 1440, height: 900 };

const env = await setup();
try {
  // 1. Overview: the whole island, coverage computed.
  let page = await env.open("", size);
  await page.screenshot({ path: resolve(out, "overview.png") });
  console.log("overview.png");

  // 2. What-if: a click in a large gap shows the gain of a site there.
  await page.evaluate(([lon, lat]) => window.__lifecircle.map.jumpTo({ center: [lon + 0.012, lat + 0.004], zoom: 13.4 }), [whatIf.lon, whatIf.lat]);
  await idle(page);
  const seq = await page.evaluate(() => Number(document.getElementById("whatif-card").dataset.seq ?? 0));
  const { x, y } = await page.evaluate(([lon, lat]) => {
    const map = window.__lifecircle.map;
    const p = map.project([lon, lat]);
    const r = map.getCanvas().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, [whatIf.lon, whatIf.lat]);
  await page.mouse.click(x, y);
  await page.waitForFunction((s) => Number(document.getElementById("whatif-card").dataset.seq ?? 0) > s, seq);
  await idle(page);
  await page.screenshot({ path: resolve(out, "whatif.png") });
  console.log("whatif.png");
  await page.close();

  // 3. Suggested sites: k = 3, ranked with their gains, markers on the map.
  page = await env.open("", size);
  await page.locator('[data-testid="tab-plan"]').click();
  await page.locator('[data-testid="suggest-k"]').fill("3");
  await page.locator('[data-testid="suggest-run"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="suggest-results"]')?.dataset.count === "3", null, { timeout: 120_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="suggest-progress"]')?.hidden);
  await page.evaluate(() => {
    const sites = window.__lifecircle.app.plan.sites;
    const lons = sites.map((s) => s.lonlat[0]);
    const lats = sites.map((s) => s.lonlat[1]);
    window.__lifecircle.app.mapView.fit([Math.min(...lons) - 0.03, Math.min(...lats) - 0.02, Math.max(...lons) + 0.03, Math.max(...lats) + 0.02], false);
  });
  await idle(page);
  await page.screenshot({ path: resolve(out, "suggest.png") });
  console.log("suggest.png");
  await page.close();

  // 4. Tiers, communities and a fair suggestion: the test fixtures' two-tier catalogue
  // and 3 × 3 grid, residents and units coloured by the reading room, a 30 % floor.
  page = await env.open("", size);
  const fixture = (name) => resolve(webDir, "tests/fixtures", name);
  const ready = () => page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.dataset.state === "ready", null, { timeout: 120_000 });
  await page.locator('[data-testid="file-input-units"]').setInputFiles(fixture("isle_of_man_grid.geojson"));
  await page.waitForFunction(() => window.__lifecircle.app.view?.layers.units, null, { timeout: 120_000 });
  await ready();
  await page.locator('[data-testid="file-input-services"]').setInputFiles(fixture("two_tiers.toml"));
  await page.waitForFunction(() => window.__lifecircle.app.view?.tiers, null, { timeout: 120_000 });
  await ready();
  await page.locator('[data-testid="requirement-select"]').selectOption("service:reading_room");
  await idle(page);
  await page.evaluate(() => document.getElementById("tiers-card").scrollIntoView());
  await page.screenshot({ path: resolve(out, "tiers.png") });
  console.log("tiers.png");
  await page.locator('[data-testid="tab-plan"]').click();
  await page.locator('[data-testid="suggest-rule"]').selectOption("floor");
  await page.locator('[data-testid="suggest-floor"]').fill("50");
  await page.locator('[data-testid="suggest-k"]').fill("2");
  await page.locator('[data-testid="suggest-run"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="plan-units"]'), null, { timeout: 120_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="suggest-progress"]')?.hidden);
  await idle(page);
  await page.screenshot({ path: resolve(out, "fair-suggest.png") });
  console.log("fair-suggest.png");
  await page.close();

  // 5. The same overview in Chinese.
  page = await env.open("lang=zh", size);
  await page.screenshot({ path: resolve(out, "overview-zh.png") });
  console.log("overview-zh.png");
  await page.close();
} finally {
  await env.close();
}
console.log(`screenshots written to ${out}`);
