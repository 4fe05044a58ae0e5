// The bad-input catalogue (docs/bad-input.md) through the wasm API: every row gives a JS
// Error with the core's message (file, feature, reason) or a counted skip — never a trap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

import { initSync, CoverageModel } from "../pkg/lifecircle_wasm.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
initSync({ module: readFileSync(root + "wasm/pkg/lifecircle_wasm_bg.wasm") });

const bytes = (text) => new TextEncoder().encode(text);
const fc = (...features) => JSON.stringify({ type: "FeatureCollection", features });
const feature = (geometry, properties = {}) => ({ type: "Feature", properties, geometry });
const point = (lon, lat, properties) => feature({ type: "Point", coordinates: [lon, lat] }, properties);
const line = (coordinates, properties = { highway: "footway" }) =>
  feature({ type: "LineString", coordinates }, properties);
// A walkable 6 × 6 lattice near 24.94, 60.17 (big enough not to count as an island).
const GRID_FEATURES = [];
for (let i = 0; i < 6; i++) {
  for (let j = 0; j < 5; j++) {
    GRID_FEATURES.push(line([[24.94 + j * 0.001, 60.17 + i * 0.001], [24.94 + (j + 1) * 0.001, 60.17 + i * 0.001]]));
    GRID_FEATURES.push(line([[24.94 + i * 0.001, 60.17 + j * 0.001], [24.94 + i * 0.001, 60.17 + (j + 1) * 0.001]]));
  }
}
const GRID = fc(...GRID_FEATURES);

function throwsError(call, pattern) {
  assert.throws(call, (e) => {
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    assert.match(e.message, pattern);
    return true;
  });
}

function withGrid() {
  const model = new CoverageModel();
  model.loadRoads("grid.geojson", bytes(GRID));
  return model;
}

test("row 1: malformed JSON", () => {
  const m = new CoverageModel();
  throwsError(() => m.loadRoads("roads.geojson", bytes('{"type": "FeatureCollection", "features": [')),
    /^roads\.geojson: cannot read input: invalid GeoJSON: .*line 1 column \d+/);
  throwsError(() => m.loadRoads("roads.geojson", bytes("   ")), /^roads\.geojson: cannot read input/);
});

test("row 2: JSON that is not GeoJSON, text that is not UTF-8, roads as CSV", () => {
  const m = new CoverageModel();
  throwsError(() => m.loadRoads("roads.geojson", bytes('{"type": "Topology"}')), /^roads\.geojson: cannot read input/);
  throwsError(() => m.loadCenters("c.geojson", new Uint8Array([0x7b, 0xff, 0x7d])), /not UTF-8 text \(invalid byte at offset 1\)/);
  throwsError(() => m.loadRoads("roads.csv", bytes("lon,lat\n1,2\n")), /roads must be lines \(GeoJSON, Shapefile, FlatGeobuf, GeoPackage, GeoParquet\) or an OSM PBF, not CSV/);
});

test("row 3: geometry of the wrong type is counted; nothing usable is an error", () => {
  const m = new CoverageModel();
  const report = m.loadRoads("roads.geojson", bytes(fc(point(24.94, 60.17), ...JSON.parse(GRID).features)));
  assert.equal(report.skippedTotal, 1);
  assert.match(Object.keys(report.skipped)[0], /Point/);
  throwsError(() => m.loadCenters("c.geojson", bytes(fc(line([[24.94, 60.17], [24.95, 60.17]])))),
    /^c\.geojson: no service center found \(1 features skipped\)/);
});

test("rows 4-6: coordinates out of range, NaN, swapped lat/lon", () => {
  const m = new CoverageModel();
  throwsError(() => m.loadCenters("c.geojson", bytes(fc(point(24.94, 60.17), point(200, 10)))),
    /^c\.geojson: feature 1: .*longitude 200 outside \[-180, 180\]/);
  throwsError(() => m.loadCenters("c.csv", bytes("lon,lat\nNaN,1\n")), /^c\.csv: .*not a finite number pair/);
  throwsError(() => m.loadCenters("c.geojson", bytes(fc(point(60.17, 124.94)))), /\(lon\/lat swapped\?\)/);
});

test("row 7: duplicate ids are renamed and counted", () => {
  const m = new CoverageModel();
  const report = m.loadCenters("c.geojson", bytes(fc(point(24.94, 60.17, { id: "a" }), point(24.945, 60.17, { id: "a" }))));
  assert.equal(report.featuresUsed, 2);
  // Kept with a note (centers stand for places: no population is noted as defaulted).
  assert.deepEqual(report.skipped, { "renamed: duplicate id (#n suffix added)": 1 });
  assert.equal(report.skippedTotal, 0);
  assert.equal(report.notedTotal, 1);
  assert.deepEqual(m.centers().map((c) => c.id), ["a", "a#2"]);
});

test("row 8: empty layers", () => {
  const m = new CoverageModel();
  throwsError(() => m.loadRoads("roads.geojson", bytes(fc())), /^roads\.geojson: .*no walkable road line/);
  throwsError(() => m.loadCenters("c.geojson", bytes(fc())), /^c\.geojson: no service center found/);
  const g = withGrid();
  g.loadCenters("c.geojson", bytes(fc(point(24.94, 60.17))));
  assert.equal(g.loadDemand("d.csv", bytes("lon,lat\n")).featuresUsed, 0);
  const view = g.coverage();
  assert.equal(view.summary.residents, 0);
  assert.equal(view.summary.coverage_ratio, 0);
});

test("row 9: truncated or corrupt PBF and gzip", () => {
  const m = new CoverageModel();
  const pbf = new Uint8Array(readFileSync(root + "data/monaco.osm.pbf"));
  for (const cut of [20, 1000, 100000]) {
    throwsError(() => m.loadRoads("cut.osm.pbf", pbf.slice(0, cut)), /^cut\.osm\.pbf: cannot read input: invalid OSM PBF/);
  }
  const flipped = pbf.slice(0, 50000);
  for (let i = 200; i < flipped.length; i += 97) flipped[i] ^= 0x5a;
  throwsError(() => m.loadRoads("flipped.osm.pbf", flipped), /^flipped\.osm\.pbf: /);
  const gz = gzipSync(Buffer.from(GRID));
  throwsError(() => m.loadRoads("roads.geojson.gz", gz.subarray(0, gz.length >> 1)), /invalid gzip data/);
});

test("row 10: CSV with missing or non-numeric columns", () => {
  const m = new CoverageModel();
  throwsError(() => m.loadCenters("c.csv", bytes("name,value\nA,1\n")), /^c\.csv: cannot read input: .*name/);
  throwsError(() => m.loadCenters("c.csv", bytes("lon,lat\neast,1\n")), /row 1 \(line 2\) column `lon`: "east" is not a number/);
});

test("row 11: huge property values", () => {
  const m = new CoverageModel();
  throwsError(() => m.loadDemand("d.geojson", bytes(fc(point(24.94, 60.17, { population: 1e300 })))),
    /population 1e300 is more than the largest accepted/);
  const deep = "[".repeat(200) + "]".repeat(200);
  const nested = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"x":${deep}},"geometry":{"type":"Point","coordinates":[24.94,60.17]}}]}`;
  throwsError(() => m.loadDemand("d.geojson", bytes(nested)), /recursion limit exceeded/);
  const long = m.loadDemand("d.geojson", bytes(fc(point(24.94, 60.17, { note: "x".repeat(1 << 20) }))));
  assert.equal(long.featuresUsed, 1);
});

test("row 12: empty polygons are counted", () => {
  const m = new CoverageModel();
  const report = m.loadDemand("d.geojson", bytes(fc(point(24.94, 60.17), feature({ type: "Polygon", coordinates: [] }))));
  assert.equal(report.featuresUsed, 1);
  assert.deepEqual(report.skipped, {
    "defaulted: no `population` value (counted 1)": 1,
    "empty polygon": 1,
  });
  assert.equal(report.skippedTotal, 1);
});

test("row 13: a network with no walkable edge", () => {
  const m = new CoverageModel();
  throwsError(() => m.loadRoads("roads.geojson", bytes(fc(line([[24.94, 60.17], [24.95, 60.17]], { highway: "motorway" })))),
    /^roads\.geojson: .*no walkable road line/);
});

test("row 14: centers all off the network give a valid zero coverage", () => {
  const m = withGrid();
  m.loadCenters("c.geojson", bytes(fc(point(25.5, 60.5))));
  m.loadDemand("d.geojson", bytes(fc(point(24.941, 60.17))));
  const view = m.coverage();
  assert.equal(view.summary.coverage_ratio, 0);
  assert.equal(view.summary.centers_too_far_from_network, 1);
  assert.equal(view.summary.residents_no_path, 1);
});

test("row 15: files too large for the configured limits", () => {
  const m = new CoverageModel();
  m.setLimits({ maxFeatures: 1 });
  throwsError(() => m.loadRoads("roads.geojson", bytes(GRID)), /^roads\.geojson: more than the limit of 1 features/);
  m.setLimits({ maxFeatures: 1000, maxInputMb: 0.0001 });
  throwsError(() => m.loadRoads("roads.geojson", bytes(GRID)), /^roads\.geojson: .*more than the limit of 104 bytes/);
  throwsError(() => m.loadRoads("roads.geojson.gz", gzipSync(Buffer.from(GRID))), /gzip data decompress to more than the limit of 104 bytes/);
  throwsError(() => m.setLimits({ maxInputMb: -1 }), /maxInputMb/);
});

test("a failed call leaves the model usable", () => {
  const m = withGrid();
  m.loadCenters("c.geojson", bytes(fc(point(24.94, 60.17))));
  m.loadDemand("d.geojson", bytes(fc(point(24.941, 60.1701))));
  const before = m.coverage().summary;
  throwsError(() => m.loadRoads("roads.geojson", bytes("{")), /roads\.geojson/);
  throwsError(() => m.setParams({ thresholdMin: Number.NaN }), /`thresholdMin` is not a finite value/);
  assert.deepEqual(m.coverage().summary, before);
});
