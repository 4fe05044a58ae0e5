// Node tests of the built package (wasm/pkg): the JS API as an app imports it.
// Run: node --test wasm/tests/  (after scripts/build-wasm.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { initSync, CoverageModel, version } from "../pkg/lifecircle_wasm.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
initSync({ module: readFileSync(root + "wasm/pkg/lifecircle_wasm_bg.wasm") });

const MONACO = new Uint8Array(readFileSync(root + "data/monaco.osm.pbf"));
const CENTERS = "amenity=library|post_office|townhall|community_centre|social_facility";
// A golden CLI output, without the CLI's side-by-side profile flags (the viewer runs one
// profile at a time).
function golden(name) {
  const value = JSON.parse(readFileSync(root + "tests/golden/monaco/" + name, "utf8"));
  for (const f of value.features ?? []) delete f.properties.covered_by_profile;
  return value;
}

function monaco() {
  const model = new CoverageModel();
  model.loadRoads("monaco.osm.pbf", MONACO);
  model.loadCenters("monaco.osm.pbf", MONACO, CENTERS);
  model.loadDemand("monaco.osm.pbf", MONACO, "building");
  return model;
}

test("version is the crate's", () => {
  assert.match(version(), /^\d+\.\d+\.\d+$/);
});

test("load reports count what was used and skipped", () => {
  const model = new CoverageModel();
  const roads = model.loadRoads("monaco.osm.pbf", MONACO);
  assert.equal(roads.source, "monaco.osm.pbf");
  assert.ok(roads.featuresUsed > 1000);
  assert.equal(typeof roads.skippedTotal, "number");
  const centers = model.loadCenters("monaco.osm.pbf", MONACO, CENTERS);
  assert.equal(centers.source, `monaco.osm.pbf [${CENTERS}]`);
});

test("loadOsm reads the three layers in one pass, as the separate loads do", () => {
  const separate = new CoverageModel();
  const roads = separate.loadRoads("monaco.osm.pbf", MONACO);
  const centers = separate.loadCenters("monaco.osm.pbf", MONACO, CENTERS);
  const demand = separate.loadDemand("monaco.osm.pbf", MONACO, "building");
  const onePass = new CoverageModel();
  const report = onePass.loadOsm("monaco.osm.pbf", MONACO, CENTERS, "building");
  assert.deepEqual(report, { roads, centers, demand });
  assert.deepEqual(onePass.coverage().summary, separate.coverage().summary);
  // Without filters: only the roads, the point layers are reported as null.
  assert.deepEqual(onePass.loadOsm("monaco.osm.pbf", MONACO), { roads, centers: null, demand: null });
  assert.throws(
    () => onePass.loadOsm("monaco.osm.pbf", MONACO, "amenity=no_such_thing"),
    (e) => e instanceof Error && /monaco\.osm\.pbf \[amenity=no_such_thing\]: .*no service center found/.test(e.message),
  );
  assert.deepEqual(onePass.coverage().summary, separate.coverage().summary);
});

test("coverage equals the CLI's golden Monaco outputs", () => {
  const view = monaco().coverage();
  const summary = golden("summary.json");
  assert.deepEqual(view.summary, summary.coverage);
  assert.deepEqual(view.network, summary.network);
  assert.equal(view.gapCount, summary.gaps.count);
  assert.deepEqual(view.layers.gaps, golden("gaps.geojson"));
  assert.deepEqual(view.layers.network, golden("network.geojson"));
  assert.deepEqual(view.layers.demand, golden("demand.geojson"));
  assert.equal(view.layers.centers.features.length, summary.coverage.centers);
  assert.equal(view.bounds.length, 4);
  assert.ok(view.elapsedMs >= 0);
});

test("layers as bytes hold the same features, and the columns follow the residents", () => {
  const model = monaco();
  const whole = model.coverage();
  model.setLayersAsBytes(true);
  const apart = model.coverage();
  assert.equal(apart.layers.network, undefined);
  assert.equal(apart.layers.demand, undefined);
  assert.ok(apart.layerBytes.network instanceof Uint8Array);
  const text = (bytes) => JSON.parse(new TextDecoder().decode(bytes));
  assert.deepEqual(text(apart.layerBytes.network), golden("network.geojson"));
  assert.deepEqual(text(apart.layerBytes.demand), golden("demand.geojson"));
  assert.deepEqual(apart.layers.gaps, whole.layers.gaps);
  assert.deepEqual(apart.summary, whole.summary);
  const { walkMin, population } = apart.residentColumns;
  assert.ok(walkMin instanceof Float64Array);
  const residents = whole.layers.demand.features;
  assert.equal(walkMin.length, residents.length);
  residents.forEach((f, i) => {
    const w = f.properties.walk_min;
    if (w === null) assert.ok(Number.isNaN(walkMin[i]), `resident ${i}`);
    else assert.equal(walkMin[i], w, `resident ${i}`);
    assert.equal(population[i], f.properties.population);
  });
  // The edits give the same form.
  const added = model.addCenter(7.42, 43.731);
  assert.equal(added.addedId, "site-1");
  assert.ok(added.layerBytes.demand.length > 0);
  model.setLayersAsBytes(false);
  assert.ok(model.coverage().layers.demand.features.length === residents.length);
});

test("a what-if equals the scenario with the site added, and undo restores it", () => {
  const model = monaco();
  const before = model.coverage();
  const change = model.evaluateCandidate(7.42, 43.731);
  assert.equal(change.snapped, true);
  assert.equal(change.covered_population_before, before.summary.covered_population);
  const after = model.addCenter(7.42, 43.731, "Library annex");
  assert.equal(after.addedId, "site-1");
  assert.equal(change.covered_population_after, after.summary.covered_population);
  assert.ok(Math.abs(change.coverage_ratio_after - after.summary.coverage_ratio) < 1e-12);
  const added = model.centers().find((c) => c.id === "site-1");
  assert.equal(added.name, "Library annex");
  assert.equal(added.added, true);
  const undone = model.removeCenter("site-1");
  assert.deepEqual(undone.summary, before.summary);
});

test("closing a center and reopening it", () => {
  const model = monaco();
  const before = model.coverage();
  const id = model.centers()[0].id;
  const change = model.evaluateRemoval(id);
  const after = model.removeCenter(id);
  assert.equal(change.covered_population_after, after.summary.covered_population);
  assert.deepEqual(model.restoreCenter(id).summary, before.summary);
});

test("ranking and optimizing report gains and progress", () => {
  const model = monaco();
  const ranked = model.rankCandidates({ spacingM: 300, limit: 3 });
  assert.equal(ranked.length, 3);
  assert.ok(ranked[0].covered_population_gain >= ranked[1].covered_population_gain);
  const progress = [];
  const plan = model.optimize("mclp", { k: 2, spacingM: 300 }, (f, stage) => progress.push([f, stage]));
  assert.equal(plan.sites.length, 2);
  assert.equal(plan.sites[0].gain, ranked[0].covered_population_gain);
  assert.ok(plan.bound >= plan.objective);
  assert.deepEqual(progress.at(-1), [1, "done"]);
});

test("every error is a JS Error naming the file and reason", () => {
  const model = new CoverageModel();
  const cases = [
    [() => model.loadRoads("roads.geojson", new TextEncoder().encode('{"type": "Feat')), /^roads\.geojson: cannot read input/],
    [() => model.loadRoads("cut.osm.pbf", MONACO.slice(0, 1000)), /^cut\.osm\.pbf: /],
    [() => model.loadRoads("roads.csv", new TextEncoder().encode("lon,lat\n1,2\n")), /roads must be lines \(GeoJSON, Shapefile, FlatGeobuf, GeoPackage, GeoParquet\) or an OSM PBF/],
    [() => model.loadCenters("c.geojson", new TextEncoder().encode('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[200,95]}}]}')), /^c\.geojson: /],
    [() => model.loadCenters("monaco.osm.pbf", MONACO, "amenity="), /tag filter/],
    [() => model.coverage(), /no roads loaded/],
    [() => model.setParams({ thresholdMin: -3 }), /threshold/],
    [() => model.setParams({ minutes: 10 }), /unknown field `minutes`/],
    [() => model.setParams({ profile: "runner" }), /runner/],
    [() => model.evaluateCandidate(NaN, 0), /WGS84/],
    [() => model.optimize("best", { k: 1 }), /unknown model `best`/],
    [() => model.removeCenter("nope"), /`nope`/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e) => e instanceof Error && message.test(e.message), String(message));
  }
  // The model still works after errors.
  model.loadRoads("monaco.osm.pbf", MONACO);
  model.loadCenters("monaco.osm.pbf", MONACO, CENTERS);
  model.loadDemand("monaco.osm.pbf", MONACO, "building");
  assert.equal(model.coverage().summary.covered_population, golden("summary.json").coverage.covered_population);
});

test("a plan that may close centers names them by id", () => {
  const model = monaco();
  const plan = model.optimize("lscp", { targetRatio: 0.9, spacingM: 300, allowClosing: true });
  const ids = new Set(model.centers().map((c) => c.id));
  for (const closed of plan.closed) assert.ok(ids.has(closed.id), closed.id);
  assert.equal(plan.target_reached, true);
});

test("service areas can be left out of the view and fetched on their own", () => {
  const model = monaco();
  const full = model.coverage();
  model.setServiceAreasInView(false);
  const light = model.coverage();
  assert.equal(light.layers.serviceAreas, undefined);
  assert.deepEqual(light.summary, full.summary);
  assert.deepEqual(model.serviceAreas(), full.layers.serviceAreas);
  assert.deepEqual(model.serviceAreas(), golden("service_areas.geojson"));
});

test("tiers and services: coverage per tier, and a clear error for an unknown tier", () => {
  const model = new CoverageModel();
  model.loadRoads("monaco.osm.pbf", MONACO);
  model.loadDemand("monaco.osm.pbf", MONACO, "building");
  const centers = {
    type: "FeatureCollection",
    features: [
      { type: "Feature", properties: { id: "d", tier: "district", services: ["library"] }, geometry: { type: "Point", coordinates: [7.4197, 43.7325] } },
      { type: "Feature", properties: { id: "s", tier: "sub" }, geometry: { type: "Point", coordinates: [7.4128, 43.7275] } },
    ],
  };
  model.loadCenters("centers.geojson", new TextEncoder().encode(JSON.stringify(centers)));
  model.setServices("tiers.toml", [
    '[[tiers]]', 'id = "district"', 'threshold_min = 15', 'stands_in_for = ["sub"]',
    '[[tiers]]', 'id = "sub"', 'threshold_min = 5',
    '[[services]]', 'id = "library"', 'tier = "district"',
  ].join("\n"));
  const view = model.coverage();
  assert.deepEqual(view.tiers.tiers.map((t) => t.id), ["district", "sub"]);
  assert.deepEqual(view.tiers.services.map((s) => s.id), ["library"]);
  assert.ok(view.tiers.tiers[0].covered_population > 0);
  // With a service catalogue, complete means every required service in time.
  assert.ok(view.tiers.complete_population <= view.tiers.services[0].covered_population);
  model.setServices("tiers.toml", null);
  assert.equal(model.coverage().tiers, null);
  model.setServices("only-sub.toml", '[[tiers]]\nid = "sub"\nthreshold_min = 10\n');
  assert.throws(() => model.coverage(), (e) => e instanceof Error && /unknown tier `district`/.test(e.message));
  assert.throws(() => model.setServices("bad.toml", "[[tiers]]\nid = 3"), (e) => /^bad\.toml: /.test(e.message));
});

test("reporting units: coverage per unit and a units layer", () => {
  const model = monaco();
  const unit = {
    type: "FeatureCollection",
    features: [{ type: "Feature", properties: { id: "all", name: "Monaco" },
      geometry: { type: "Polygon", coordinates: [[[7.40, 43.72], [7.44, 43.72], [7.44, 43.76], [7.40, 43.76], [7.40, 43.72]]] } }],
  };
  assert.equal(model.loadUnits("units.geojson", new TextEncoder().encode(JSON.stringify(unit))).featuresUsed, 1);
  const view = model.coverage();
  assert.equal(view.summary.per_unit.length, 1);
  const [unitRow] = view.summary.per_unit;
  assert.equal(unitRow.residents + view.summary.residents_outside_units, view.summary.residents);
  assert.ok(unitRow.covered_population <= view.summary.covered_population);
  assert.equal(view.layers.units.features.length, 1);
  assert.ok(view.summary.per_unit[0].residents > 0);
});
