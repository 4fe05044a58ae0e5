// Browser tests of opening data: a dropped file's role guessed from its content with a
// one-click fix, centers off the network said in the page, and the legend folding on a
// laptop screen.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setup } from "./lib/browser.mjs";

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

/** Drops a file named `name` with `text` on the map (outside the drop targets). */
async function drop(page, name, text) {
  await page.evaluate(
    ([name, text]) => {
      const data = new DataTransfer();
      data.items.add(new File([text], name, { type: "application/octet-stream" }));
      const map = document.getElementById("map");
      map.dispatchEvent(new DragEvent("dragenter", { bubbles: true, dataTransfer: data }));
      map.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: data }));
    },
    [name, text],
  );
}

const ready = (page) =>
  page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.dataset.state === "ready", null, { timeout: 120_000, polling: 50 });

/** Two points near the sample's Douglas, one person each; `population` adds a column. */
function points(population) {
  const feature = (id, lon, lat) => ({
    type: "Feature",
    properties: population ? { id, population: 3 } : { id, name: `Hall ${id}` },
    geometry: { type: "Point", coordinates: [lon, lat] },
  });
  return JSON.stringify({ type: "FeatureCollection", features: [feature("a", -4.4826, 54.1509), feature("b", -4.4801, 54.1583)] });
}

describe("opening data in the viewer", () => {
  test("a dropped file whose name says nothing: its role from its content, and one click to change it", async () => {
    const page = await env.open();
    const before = await page.evaluate(() => window.__lifecircle.app.view.summary.centers);
    await drop(page, "export.geojson", points(false));
    await page.waitForFunction((n) => window.__lifecircle.app.view?.summary.centers !== n, before, { timeout: 120_000 });
    await ready(page);
    const notice = page.locator('[data-testid="role-notice"]');
    assert.equal(await notice.isVisible(), true);
    assert.match(await notice.innerText(), /export\.geojson was loaded as Centers/);
    assert.equal(await page.evaluate(() => window.__lifecircle.app.view.summary.centers), 2);
    // Points with a population are residents; the notice's button loads them as centers.
    await drop(page, "export2.geojson", points(true));
    await page.waitForFunction(() => window.__lifecircle.app.view?.summary.total_population === 6, null, { timeout: 120_000 });
    await ready(page);
    assert.match(await notice.innerText(), /export2\.geojson was loaded as Residents/);
    await notice.locator('button[data-role="centers"]').click();
    // The first file's centers were named "Hall a"; the second's are named by their id.
    await page.waitForFunction(() => window.__lifecircle.app.view?.layers.centers.features.some((f) => f.properties.id === "a" && f.properties.name === "a"), null, { timeout: 120_000 });
    await ready(page);
    assert.equal(await page.evaluate(() => window.__lifecircle.app.view.summary.total_population), 6);
    assert.equal(await notice.isHidden(), true);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("a city opened in one step: three files, computed once and fitted", async () => {
    const page = await env.open();
    // A 5 × 5 grid of streets 0.001° apart near Monaco, two centers, four households.
    const [x0, y0, step] = [7.41, 43.72, 0.001];
    const line = (coords) => ({ type: "Feature", properties: { highway: "footway" }, geometry: { type: "LineString", coordinates: coords } });
    const lines = [];
    for (let i = 0; i < 5; i++) {
      lines.push(line([0, 1, 2, 3, 4].map((j) => [x0 + j * step, y0 + i * step])));
      lines.push(line([0, 1, 2, 3, 4].map((j) => [x0 + i * step, y0 + j * step])));
    }
    const roads = JSON.stringify({ type: "FeatureCollection", features: lines });
    const centers = `id,name,lon,lat\nc1,North hall,${x0},${y0 + 4 * step}\nc2,South hall,${x0 + 4 * step},${y0}\n`;
    const residents = `id,lon,lat,population\nh1,${x0 + 0.0002},${y0 + 0.00001},3\nh2,${x0 + 2 * step},${y0 + 2 * step + 0.00001},4\n` +
      `h3,${x0 + 4 * step},${y0 + 4 * step + 0.00001},5\nh4,${x0 + step},${y0 + 4 * step + 0.00002},6\n`;
    await page.evaluate(() => {
      const engine = window.__lifecircle.app.engine;
      const coverage = engine.coverage.bind(engine);
      window.__coverageCalls = 0;
      engine.coverage = () => {
        window.__coverageCalls++;
        return coverage();
      };
    });
    await page.locator('[data-testid="file-input-city"]').setInputFiles([
      { name: "residents.csv", mimeType: "text/csv", buffer: Buffer.from(residents) },
      { name: "streets.geojson", mimeType: "application/geo+json", buffer: Buffer.from(roads) },
      { name: "service_centers.csv", mimeType: "text/csv", buffer: Buffer.from(centers) },
    ]);
    await page.waitForFunction(() => window.__lifecircle.app.view?.summary.total_population === 18, null, { timeout: 120_000 });
    await ready(page);
    const shown = await page.evaluate(() => ({
      calls: window.__coverageCalls,
      summary: window.__lifecircle.app.view.summary,
      center: window.__lifecircle.map.getCenter().toArray(),
    }));
    assert.equal(shown.calls, 1, "one computation for the three files");
    assert.equal(shown.summary.centers, 2);
    assert.equal(shown.summary.total_population, 18);
    assert.ok(shown.summary.covered_population > 0);
    // Fitted to the new city, not left on the sample.
    assert.ok(Math.abs(shown.center[0] - (x0 + 2 * step)) < 0.002 && Math.abs(shown.center[1] - (y0 + 2 * step)) < 0.002, `map centre ${shown.center}`);
    // The roads' role came from their content: the notice says so.
    assert.match(await page.locator('[data-testid="role-notice"]').innerText(), /streets\.geojson was loaded as Roads/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("centers that are all off the network are said in the page", async () => {
    const page = await env.open();
    const csv = "id,lon,lat\nfar1,-3.0,53.0\nfar2,-3.1,53.1\n";
    await page.locator('[data-testid="file-input-centers"]').setInputFiles({ name: "far.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.waitForFunction(() => window.__lifecircle.app.view?.summary.centers === 2, null, { timeout: 120_000 });
    await ready(page);
    const warn = page.locator('[data-testid="summary-warn"]');
    assert.equal(await warn.isVisible(), true);
    assert.equal(await warn.getAttribute("data-value"), "2");
    assert.match(await warn.innerText(), /None of the 2 centers is near the footpaths/);
    await page.close();
  });

  test("on a 1280 × 720 screen the legend starts folded and opens with one click", async () => {
    const page = await env.open("", { width: 1280, height: 720 });
    const legend = page.locator("#legend");
    assert.match((await legend.getAttribute("class")) ?? "", /collapsed/);
    assert.equal(await page.locator("#legend-network").isHidden(), true);
    await page.locator('[data-testid="legend-collapse"]').click();
    assert.doesNotMatch((await legend.getAttribute("class")) ?? "", /collapsed/);
    assert.equal(await page.locator("#legend-network").isVisible(), true);
    await page.close();
  });
});
