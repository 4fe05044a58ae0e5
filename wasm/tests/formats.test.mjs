// Node tests of the built package on GIS formats: the Wuhan fixtures GDAL made
// (core/tests/fixtures/formats), each in its own coordinate system, give the figures of
// the GeoJSON; GeoPackage (no SQLite in the browser build) and a lone .shp say what to do.
// Run: node --test wasm/tests/  (after scripts/build-wasm.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { initSync, CoverageModel } from "../pkg/lifecircle_wasm.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
initSync({ module: readFileSync(root + "wasm/pkg/lifecircle_wasm_bg.wasm") });
const fixture = (name) => new Uint8Array(readFileSync(root + "core/tests/fixtures/formats/" + name));

function summary(roads, centers, demand) {
  const model = new CoverageModel();
  model.loadRoads(roads, fixture(roads));
  model.loadCenters(centers, fixture(centers));
  model.loadDemand(demand, fixture(demand));
  return model.coverage().summary;
}

test("zipped Shapefile, FlatGeobuf and GeoParquet give the GeoJSON's coverage", () => {
  const want = summary("roads.geojson", "centers.geojson", "units.geojson");
  // The CLI's figures for these files: 4 unit points of 5,000 people, 2 within 10 minutes.
  assert.equal(want.total_population, 20000);
  assert.equal(want.covered_population, 10000);
  for (const files of [
    ["roads_4547.zip", "centers_3857.fgb", "units_3857.fgb"],
    ["roads.parquet", "centers_32650.parquet", "units.parquet"],
    ["roads_3857.fgb", "centers.geojson", "units.parquet"],
  ]) {
    const got = summary(...files);
    for (const key of ["total_population", "covered_population", "residents_covered", "centers", "centers_too_far_from_network"]) {
      assert.equal(got[key], want[key], `${files}: ${key}`);
    }
    assert.ok(Math.abs(got.mean_walk_min - want.mean_walk_min) < 1e-9, `${files}: mean walk`);
  }
});

test("a GeoPackage and a lone .shp are errors with the way out", () => {
  const model = new CoverageModel();
  assert.throws(() => model.loadRoads("city.gpkg", fixture("wuhan_32650.gpkg")), /^Error: city\.gpkg: .*GeoPackage needs the SQLite build.*FlatGeobuf/);
  assert.throws(() => model.loadRoads("roads.shp", fixture("roads_4547.shp")), /^Error: roads\.shp: .*roads\.dbf.*zipped/);
});
