// Browser tests of tiers and services, reporting units and fair suggestions on the Isle
// of Man sample, against the CLI's figures for the same fixtures (golden/regen.sh):
// a two-tier catalogue with tag rules and a 3 × 3 grid of units (tests/fixtures).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { setup, waitReady, webDir } from "./lib/browser.mjs";

const GOLDEN = JSON.parse(readFileSync(resolve(webDir, "tests/golden/isle_of_man_tiers.json"), "utf8"));
const fixture = (name) => resolve(webDir, "tests/fixtures", name);
const close = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

let env;
let page;
before(async () => {
  env = await setup();
  page = await env.open();
});
after(async () => {
  await env?.close();
});

/** Evaluates `fn(app)` in the page. */
const inApp = (fn, arg) => page.evaluate(([body, a]) => new Function("app", "arg", `return (${body})(app, arg)`)(window.__lifecircle.app, a), [fn.toString(), arg]);

/** Waits until `fn(app)` holds and the page is ready. */
async function until(fn) {
  await page.waitForFunction(
    (body) => new Function("app", `return (${body})(app)`)(window.__lifecircle.app) && document.querySelector('[data-testid="status"]')?.dataset.state === "ready",
    fn.toString(),
    { timeout: 120_000, polling: 50 },
  );
  await waitReady(page);
}

/** Runs "Suggest" with `k` sites and waits for the plan. */
async function suggest(k) {
  await inApp((app) => app.selectTab("plan"));
  await page.locator('[data-testid="suggest-k"]').fill(String(k));
  await page.evaluate(() => (window.__previousPlan = window.__lifecircle.app.plan));
  await page.locator('[data-testid="suggest-run"]').click();
  await until((app) => app.plan !== null && app.plan !== window.__previousPlan);
  return inApp((app) => app.plan);
}

/** The CLI's sites (its positions are written to 7 decimals). */
const sameSites = (actual, expected, what) => {
  const rounded = (sites) => sites.map((s) => [s.rank, s.lonlat.map((v) => Math.round(v * 1e7) / 1e7), s.gain]);
  assert.deepEqual(rounded(actual), rounded(expected), `${what}: the CLI's sites`);
};

describe("tiers, communities and fair suggestions on the Isle of Man sample", () => {
  test("units loaded: the communities card and the choropleth show each unit's coverage", async () => {
    await inApp((app) => app.selectTab("data"));
    await page.locator('[data-testid="file-input-units"]').setInputFiles(fixture("isle_of_man_grid.geojson"));
    await until((app) => app.view?.layers.units?.features.length === 9);
    await inApp((app) => app.selectTab("explore"));
    assert.equal(await page.locator('[data-testid="units-panel"]').isVisible(), true);
    // Worst first, by plain coverage; each row's ratio is its unit's.
    const rows = await page.locator('[data-testid="units-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.dataset.id, Number(tr.dataset.value)]));
    const units = await inApp((app) => app.view.layers.units.features.map((f) => f.properties));
    const withPeople = units.filter((u) => u.population > 0);
    assert.equal(rows.length, withPeople.length, "one row per unit with residents");
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1][1] <= rows[i][1], "worst first");
    for (const [id, ratio] of rows) close(ratio, units.find((u) => u.id === id).coverage_ratio, `unit ${id}`);
    // Drawn on the map with the legend's scale.
    const drawn = await page.evaluate(() => window.__lifecircle.map.queryRenderedFeatures({ layers: ["units-fill"] }).length);
    assert.ok(drawn >= 8, `units drawn: ${drawn}`);
    assert.equal(await page.locator("#legend-units").isVisible(), true);
    assert.deepEqual(page.errors, []);
  });

  test("suggest with a floor per community: met at 30 %, not at 50 % (and how many sites would), as the CLI", async () => {
    await inApp((app) => app.selectTab("plan"));
    assert.equal(await page.locator('[data-testid="suggest-rule"]').isVisible(), true);
    await page.locator('[data-testid="suggest-rule"]').selectOption("floor");
    for (const [floor, expected] of [
      [30, GOLDEN.plans.floor30],
      [50, GOLDEN.plans.floor50],
    ]) {
      await page.locator('[data-testid="suggest-floor"]').fill(String(floor));
      const plan = await suggest(2);
      sameSites(plan.sites, expected.sites, `floor ${floor} %`);
      const block = page.locator('[data-testid="plan-units"]');
      assert.equal(await block.getAttribute("data-floor-met"), String(expected.floor_met));
      assert.equal(await block.getAttribute("data-sites-needed"), String(expected.sites_needed_for_floor ?? ""));
      close(Number(await block.getAttribute("data-worst-after")), expected.worst_ratio_after, `floor ${floor}: worst after`);
      const text = await block.innerText();
      if (expected.floor_met) assert.match(text, new RegExp(`Floor ${floor} %: met`));
      else {
        assert.equal(plan.units.sites_needed_at_least, expected.sites_needed_at_least);
        assert.match(text, new RegExp(`not met with 2 sites; ${expected.sites_needed_for_floor} sites would meet it \\(at least ${expected.sites_needed_at_least} are needed\\)`));
      }
    }
  });

  test("raise the worst-served community first: the CLI's sites and worst unit", async () => {
    await page.locator('[data-testid="suggest-rule"]').selectOption("maximin");
    const plan = await suggest(2);
    sameSites(plan.sites, GOLDEN.plans.maximin.sites, "maximin");
    const block = page.locator('[data-testid="plan-units"]');
    close(Number(await block.getAttribute("data-worst-before")), GOLDEN.plans.maximin.worst_ratio_before, "worst before");
    close(Number(await block.getAttribute("data-worst-after")), GOLDEN.plans.maximin.worst_ratio_after, "worst after");
    assert.match(await block.innerText(), /Worst-served community: 16\.8 % → 35\.9 %/);
    await page.locator('[data-testid="suggest-rule"]').selectOption("most");
  });

  test("a preset from the list: the standard's tiers appear", async () => {
    await inApp((app) => app.selectTab("data"));
    await page.locator('[data-testid="services-config"]').selectOption("preset:gb50180");
    await until((app) => app.view?.tiers?.config?.includes("GB 50180"));
    await inApp((app) => app.selectTab("explore"));
    assert.equal(await page.locator('[data-testid="tiers-panel"]').isVisible(), true);
  });

  test("a config file: complete coverage, every tier and service, per unit and upgrades equal the CLI's", async () => {
    await inApp((app) => app.selectTab("data"));
    await page.locator('[data-testid="file-input-services"]').setInputFiles(fixture("two_tiers.toml"));
    await until((app) => app.view?.tiers?.config === "Two tiers (viewer tests)");
    await inApp((app) => app.selectTab("explore"));
    close(Number(await page.locator('[data-testid="complete-pct"]').getAttribute("data-value")), GOLDEN.complete_ratio, "complete ratio");
    assert.match(await page.locator('[data-testid="complete-pct"]').innerText(), /^9\.7 % of residents have every required service/);
    const tiers = await inApp((app) => app.view.tiers);
    for (const [key, population] of Object.entries(GOLDEN.covered_population)) {
      const [kind, id] = key.split(":");
      const found = (kind === "tier" ? tiers.tiers : tiers.services).find((r) => r.id === id);
      assert.equal(found.covered_population, population, key);
    }
    const rows = await page.locator('[data-testid="requirements-table"] tbody tr').count();
    assert.equal(rows, 1 + tiers.tiers.length + tiers.services.length);
    // Upgrades: the CLI's best ones, named.
    const upgrades = await page.locator('[data-testid="upgrades"] li').evaluateAll((lis) => lis.map((li) => Number(li.dataset.gain)));
    assert.deepEqual(upgrades, GOLDEN.upgrades.map((u) => u.newly_complete_population));
    for (const u of tiers.per_unit) {
      const expected = GOLDEN.per_unit[u.id];
      close(u.complete_ratio, expected.complete_ratio, `unit ${u.id} complete`);
      for (const s of u.services) close(s.coverage_ratio, expected.services[s.id], `unit ${u.id} ${s.id}`);
    }
    assert.deepEqual(page.errors, []);
  });

  test("a service chosen: residents coloured by it, units ranked and coloured by it", async () => {
    await page.locator('[data-testid="requirement-select"]').selectOption("service:reading_room");
    const paint = await page.evaluate(() => JSON.stringify(window.__lifecircle.map.getPaintProperty("demand-circle", "circle-color")));
    assert.ok(paint.includes("|service:reading_room|"), paint);
    // Residents lacking the reading room, by the map's test, add up to its uncovered population.
    const lacking = await inApp(async (app) =>
      (await app.demandLayer()).features
        .filter((f) => f.properties.lacks.includes("|service:reading_room|"))
        .reduce((sum, f) => sum + f.properties.population, 0),
    );
    assert.equal(lacking, (await inApp((app) => app.view.summary.total_population)) - GOLDEN.covered_population["service:reading_room"]);
    const rows = await page.locator('[data-testid="units-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.dataset.id, Number(tr.dataset.value)]));
    for (const [id, ratio] of rows) close(ratio, GOLDEN.per_unit[id].services.reading_room, `unit ${id} reading room`);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1][1] <= rows[i][1], "worst first");
    const shown = await page.evaluate(() =>
      window.__lifecircle.map.querySourceFeatures("units").map((f) => [f.properties.id, f.properties.shown_ratio]),
    );
    for (const [id, ratio] of shown) close(ratio, GOLDEN.per_unit[id].services.reading_room, `map unit ${id}`);
    assert.match(await page.locator("#units-showing").innerText(), /Reading room/);
    // Complete coverage, then back to any center.
    await page.locator('[data-testid="requirement-select"]').selectOption("complete");
    const complete = await page.locator('[data-testid="units-table"] tbody tr').first().getAttribute("data-value");
    close(Number(complete), Math.min(...Object.values(GOLDEN.per_unit).filter((u) => u.population > 0).map((u) => u.complete_ratio)), "worst complete");
    await page.locator('[data-testid="requirement-select"]').selectOption("any");
  });

  test("new neighbourhood centers: the tier plan and its sites added give the CLI's complete coverage", async () => {
    await page.locator('[data-testid="site-tier"]').selectOption("neighbourhood");
    await inApp((app) => app.selectTab("plan"));
    assert.match(await page.locator('[data-testid="suggest-tier"]').innerText(), /Neighbourhood center/);
    const plan = await suggest(2);
    assert.equal(plan.site_tier, "neighbourhood");
    sameSites(plan.sites, GOLDEN.tier_plan.sites, "tier plan");
    assert.equal(plan.covered_population_before, GOLDEN.tier_plan.covered_population_before);
    assert.equal(plan.covered_population_after, GOLDEN.tier_plan.covered_population_after);
    assert.match(await page.locator('[data-testid="suggest-results"] .plan-headline').innerText(), /2 new neighbourhood centers: complete coverage/);
    await page.locator('[data-testid="suggest-add-all"]').click();
    await until((app) => app.view.layers.centers.features.filter((f) => f.properties.added).length === 2);
    const after = await inApp((app) => ({
      complete: app.view.tiers.complete_population,
      tiers: app.view.layers.centers.features.filter((f) => f.properties.added).map((f) => f.properties.tier),
    }));
    assert.equal(after.complete, GOLDEN.tier_plan.complete_population_after);
    assert.deepEqual(after.tiers, ["neighbourhood", "neighbourhood"]);
    assert.deepEqual(page.errors, []);
  });
});
