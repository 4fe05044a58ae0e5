// The viewer reads the vector formats its wasm build has: a zipped Shapefile dropped on
// the map, FlatGeobuf and GeoParquet from the pickers — the Wuhan fixtures GDAL made
// (core/tests/fixtures/formats), each in its own coordinate system — and says plainly
// what it cannot read (GeoPackage, a lone .shp).
// Expected figures: `lifecircle coverage --roads roads_4547.zip --centers centers_3857.fgb
// --demand units_3857.fgb` (4 residents of 5,000 people each, 2 within 10 minutes).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { setup, waitReady, webDir } from "./lib/browser.mjs";

const fixture = (name) => readFileSync(resolve(webDir, "../core/tests/fixtures/formats", name));

let env;
let page;
before(async () => {
  env = await setup();
  page = await env.open();
});
after(async () => {
  await env?.close();
});

/** Drops `name` on the drop target of `role`, as a file dragged from the desktop. */
async function drop(page, role, name) {
  const bytes = [...fixture(name)];
  await page.evaluate(
    ([role, name, bytes]) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name));
      const target = document.querySelector(`.drop-target[data-role="${role}"]`);
      for (const type of ["dragenter", "dragover", "drop"]) {
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
    },
    [role, name, bytes],
  );
}

async function pick(page, role, name) {
  await page.locator(`[data-testid="file-input-${role}"]`).setInputFiles({ name, mimeType: "application/octet-stream", buffer: fixture(name) });
}

const figure = (page, testid) => page.evaluate((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.dataset.value), testid);

/** Waits until the error box names `file`; its text. */
async function errorNaming(page, file) {
  await page.waitForFunction((f) => document.querySelector('[data-testid="error-message"]')?.innerText.includes(f), file, { timeout: 60_000 });
  return page.locator('[data-testid="error-message"]').innerText();
}

describe("the viewer reads GIS formats", () => {
  test("a dropped zipped Shapefile and picked FlatGeobufs give the CLI's figures", async () => {
    await page.locator('[data-testid="tab-data"]').click();
    await drop(page, "roads", "roads_4547.zip");
    await waitReady(page);
    await page.waitForFunction(() => document.getElementById("source-roads")?.innerText.includes("roads_4547.zip"), null, { timeout: 60_000 });
    await pick(page, "centers", "centers_3857.fgb");
    await page.waitForFunction(() => document.getElementById("source-centers")?.innerText.includes("centers_3857.fgb"), null, { timeout: 60_000 });
    await pick(page, "demand", "units_3857.fgb");
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="total-pop"]')?.dataset.value) === 20000 && document.querySelector('[data-testid="status"]')?.dataset.state === "ready",
      null,
      { timeout: 60_000 },
    );
    assert.equal(await figure(page, "total-pop"), 20000);
    assert.equal(await figure(page, "covered-pop"), 10000);
    assert.equal(await figure(page, "coverage-pct"), 0.5);
    assert.deepEqual(page.errors, []);
  });

  test("GeoParquet centers in UTM 50N give the same figures", async () => {
    await pick(page, "centers", "centers_32650.parquet");
    await page.waitForFunction(() => document.getElementById("source-centers")?.innerText.includes("centers_32650.parquet"), null, { timeout: 60_000 });
    await waitReady(page);
    assert.equal(await figure(page, "covered-pop"), 10000);
  });

  test("a GeoPackage and a lone .shp are refused with the way out", async () => {
    await pick(page, "roads", "wuhan_32650.gpkg");
    const gpkg = await errorNaming(page, "wuhan_32650.gpkg");
    assert.ok(gpkg.includes("GeoPackage") && gpkg.includes("FlatGeobuf"), gpkg);
    await pick(page, "roads", "roads_4547.shp");
    const shp = await errorNaming(page, "roads_4547.shp");
    assert.ok(shp.includes(".dbf") && shp.includes("zipped"), shp);
    // The city on screen stays.
    await waitReady(page);
    assert.equal(await figure(page, "covered-pop"), 10000);
  });
});
