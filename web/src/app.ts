// The viewer's controller: owns the engine (wasm in a worker), the map and the panel,
// and keeps them in step with the scenario (parameters, added and closed centers).

import { Engine, Superseded } from "./worker/client";
import { MapView, type CenterHit } from "./map/mapview";
import { parseLayer, takeLayerData, type LayerData } from "./map/layerdata";
import { initialLang, lang, onLangChange, setLang, t, translate } from "./i18n";
import { $, el, pct } from "./format";
import { readUrl, writeUrl, type UrlState } from "./state/url";
import {
  bandsParam,
  clamp,
  convert,
  engineParams,
  label,
  SLIDER,
  STANDARD_BANDS,
  type Threshold,
  type ThresholdUnit,
} from "./state/threshold";
import { renderBands } from "./panel/bands";
import { viewBands } from "./map/layers";
import { Scenario, type Edit } from "./state/scenario";
import { renderSummary } from "./panel/summary";
import { renderHistogram } from "./panel/histogram";
import { renderWhatIf, type WhatIf } from "./panel/whatif";
import { renderGaps } from "./panel/gaps";
import { renderPlan, renderProgress } from "./panel/suggest";
import { renderLegend, renderUnitsLegend, bindCollapse, bindToggles } from "./panel/legend";
import { renderTiers, requirementName } from "./panel/tiers";
import { featureBounds, renderUnits, shownUnits } from "./panel/units";
import { ANY, resolve, type Requirement } from "./state/requirement";
import { bindDrop, bindFileInputs, renderGuessNotice, renderNetStats, renderSource, type RoledFile, type SourceInfo } from "./panel/data";
import { composePng, download, exportLayer } from "./panel/export";
import type { FeatureCollection } from "geojson";
import type { CoverageView, FileRole, PlanSite, PlanView, Profile, Role } from "./types";

/** The bundled sample: the Isle of Man OSM extract (© OpenStreetMap contributors, ODbL). */
export const SAMPLE = {
  url: "data/isle_of_man.osm.pbf",
  name: "isle_of_man.osm.pbf",
  centersFilter: "amenity=community_centre|social_centre|library|townhall|social_facility",
  demandFilter: "building",
};

interface Source {
  name: string; // the name the engine knows the bytes by
  label: string;
  pbf: boolean;
  /** Taken from the roads' OSM extract with a tag filter (re-derived when roads change). */
  derived: boolean;
}

const isPbf = (name: string) => /\.pbf(\.gz)?$/i.test(name);
const baseName = (url: string) => decodeURIComponent(url.split(/[?#]/)[0].split("/").pop() || url);

export class App {
  readonly engine = new Engine();
  readonly mapView: MapView;
  view: CoverageView | null = null;
  /** The view's network and residents (as Blobs) and the residents' walk columns. */
  layerData: LayerData | null = null;
  plan: PlanView | null = null;
  whatIf: WhatIf | null = null;
  private url: UrlState;
  private threshold: Threshold = { value: 10, unit: "min" };
  /** Whether the standard circles are compared side by side (bands). */
  private bands = false;
  /** Shows the threshold in the panel's controls (set by bindPanel). */
  private showThreshold: () => void = () => {};
  private serviceAreasVisible = false;
  private profile: Profile = "adult";
  private scenario = new Scenario();
  private sources: Partial<Record<Role, Source>> = {};
  private reports: Partial<Record<Role | "units", SourceInfo>> = {};
  private centersFilter = SAMPLE.centersFilter;
  private demandFilter = SAMPLE.demandFilter;
  private services: string[] | null = null; // selected values of the centers filter
  /** What the residents and units are coloured by: any center, complete, a tier or a service. */
  private requirement: Requirement = ANY;
  /** The tier of sites added and suggested ("" for none). */
  private siteTier = "";
  /** The tiers-and-services config in force (its select value and label), none when null. */
  private catalogue: { value: string; label: string } | null = null;
  private pickSeq = 0;
  private computing = false;
  private recomputeAgain = false;
  private actionBusy = false;
  private status: "loading" | "computing" | "ready" | "error" = "loading";
  /** Click → what-if shown, in ms (read by the latency test). */
  readonly whatIfLatencies: number[] = [];
  /** For each of those: the request's round trip to the worker and the worker's own time. */
  readonly whatIfEngineMs: Array<{ roundTrip: number; worker: number }> = [];

  constructor() {
    this.url = readUrl();
    setLang(initialLang(this.url.lang));
    if (this.url.thresholdM != null) this.threshold = clamp({ value: this.url.thresholdM, unit: "m" });
    else if (this.url.threshold != null) this.threshold = clamp({ value: this.url.threshold, unit: "min" });
    this.bands = this.url.bands;
    if (this.url.profile) this.profile = this.url.profile;
    if (this.url.centersFilter) this.centersFilter = this.url.centersFilter;
    if (this.url.demandFilter) this.demandFilter = this.url.demandFilter;
    this.services = this.url.services;
    this.mapView = new MapView(
      $("#map"),
      {
        onPick: (lon, lat, at) => void this.pickSite(lon, lat, at),
        onCenter: (center, at) => void this.pickCenter(center, at),
        onMoveEnd: () => this.syncUrl(),
      },
      this.url.view ?? undefined,
    );
    this.engine.onBusy = (busy) => {
      if (busy) this.setStatus("computing");
      else if (!this.computing && !this.actionBusy) this.setStatus(this.view ? "ready" : this.status === "error" ? "error" : "loading");
    };
    this.bindPanel();
    translate();
    this.renderAll();
  }

  // ---------------------------------------------------------------- start-up

  async start(): Promise<void> {
    this.busy(t("busy.engine"));
    try {
      const [info] = await Promise.all([this.engine.init(), this.mapView.ready]);
      $("#engine-version").textContent = `· lifecircle ${info.version}`;
      await this.engine.setParams({
          ...engineParams(this.threshold),
          ...bandsParam(this.bands, this.threshold.unit),
          profile: this.profile,
        });
      if (this.url.roads) await this.loadFromUrls();
      else await this.loadSample();
      await this.recompute({ fit: !this.url.view });
      await this.applyUrlScenario();
    } catch (error) {
      this.showError(error);
    } finally {
      this.busy(null);
      this.settle();
    }
  }

  private async fetchBytes(url: string): Promise<Uint8Array> {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${baseName(url)}: HTTP ${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  async loadSample(): Promise<void> {
    this.busy(t("busy.loading", { what: t("data.sampleName") }));
    const bytes = await this.fetchBytes(SAMPLE.url);
    this.centersFilter = this.url.centersFilter ?? SAMPLE.centersFilter;
    this.demandFilter = this.url.demandFilter ?? SAMPLE.demandFilter;
    await this.loadRoads(SAMPLE.name, t("data.sampleName"), bytes, ["centers", "demand"]);
  }

  /**
   * `?roads=URL[&centers=URL][&demand=URL]`: files served beside the viewer (as by
   * `lifecircle serve`). A centers/demand URL equal to the roads URL, or a missing one with
   * OSM roads, reads the roads' extract with `centersFilter` / `demandFilter`.
   */
  private async loadFromUrls(): Promise<void> {
    const { roads, centers, demand } = this.url;
    this.busy(t("busy.loading", { what: baseName(roads!) }));
    const roadBytes = await this.fetchBytes(roads!);
    const own = (url: string | null) => url !== null && url !== roads;
    const derive = (["centers", "demand"] as Role[]).filter((r) => !own(this.url[r]));
    await this.loadRoads(baseName(roads!), baseName(roads!), roadBytes, derive);
    for (const [role, url] of [
      ["centers", centers],
      ["demand", demand],
    ] as Array<[Role, string | null]>) {
      if (!own(url)) continue;
      this.busy(t("busy.loading", { what: baseName(url!) }));
      await this.loadPoints(role, baseName(url!), await this.fetchBytes(url!));
    }
  }

  private async applyUrlScenario(): Promise<void> {
    const { added, removed } = this.url;
    if (!added.length && !removed.length) return;
    for (const [lon, lat] of added) await this.commitAdd(lon, lat);
    for (const id of removed) {
      if (this.centerFeature(id)) await this.commitRemove(id, id);
    }
  }

  // ---------------------------------------------------------------- data

  /**
   * Loads roads. An OSM extract also feeds centers/demand with the tag filters: the roles in
   * `derive`, or with "derived" those taken from the previous roads (or not loaded yet).
   */
  private async loadRoads(name: string, label: string, bytes: Uint8Array, derive: Role[] | "derived"): Promise<void> {
    const pbf = isPbf(name);
    if (!pbf) {
      const report = await this.engine.load("roads", name, { bytes });
      this.sources.roads = { name, label, pbf, derived: false };
      this.reports.roads = { label, report };
    } else {
      // The roads and the derived point layers come from one decoding pass.
      const wanted = (role: Role) => {
        const current = this.sources[role];
        return derive === "derived" ? !current || current.derived : derive.includes(role);
      };
      const filters = { centers: wanted("centers") ? this.filterFor("centers") : undefined, demand: wanted("demand") ? this.filterFor("demand") : undefined };
      const report = await this.engine.loadOsm(name, bytes, filters.centers, filters.demand);
      this.sources.roads = { name, label, pbf, derived: false };
      this.reports.roads = { label, report: report.roads };
      for (const role of ["centers", "demand"] as const) {
        const roleReport = report[role];
        const filter = filters[role];
        if (!roleReport || filter === undefined) continue;
        this.sources[role] = { name, label: `${label} [${filter}]`, pbf: true, derived: true };
        this.reports[role] = { label: `${label} [${filter}]`, report: roleReport };
      }
    }
    this.scenario.clear();
    this.clearPlan();
    this.renderSources();
  }

  private filterFor(role: Role): string {
    if (role === "demand") return this.demandFilter;
    if (role === "centers" && this.services) {
      const parsed = parseFilter(this.centersFilter);
      if (parsed) return `${parsed.key}=${parsed.values.filter((v) => this.services!.includes(v)).join("|")}`;
    }
    return this.centersFilter;
  }

  private async loadPoints(role: Role, name: string, bytes: Uint8Array): Promise<void> {
    const pbf = isPbf(name);
    const filter = pbf ? this.filterFor(role) : undefined;
    const report = await this.engine.load(role, name, { bytes }, filter);
    const label = filter ? `${name} [${filter}]` : name;
    this.sources[role] = { name, label, pbf, derived: false };
    this.reports[role] = { label, report };
    if (role === "centers") this.scenario.clear();
    this.clearPlan();
    this.renderSources();
  }

  /** A file from the picker or a drop. Errors name the file and stay on screen. */
  loadFile(role: FileRole, file: File): Promise<void> {
    return this.loadFiles([{ role, file }]);
  }

  /**
   * Files opened together (a city's roads, centers and residents): roads first, then the
   * point layers and units, computed once at the end (and fitted when roads came) — no
   * coverage in between with the previous city's layers. A tiers-and-services file is
   * applied last. Errors name the file and stay on screen; the files before it stay
   * loaded.
   */
  async loadFiles(files: RoledFile[]): Promise<void> {
    const order: FileRole[] = ["roads", "centers", "demand", "units"];
    const layers = files.filter((f) => f.role !== "services").sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
    const services = files.find((f) => f.role === "services");
    if (layers.length) {
      this.clearError();
      this.actionBusy = true;
      let current: File | null = null;
      try {
        for (const { role, file } of layers) {
          current = file;
          this.busy(t("busy.loading", { what: file.name }));
          const bytes = new Uint8Array(await file.arrayBuffer());
          if (role === "roads") await this.loadRoads(file.name, file.name, bytes, "derived");
          else if (role === "units") {
            const report = await this.engine.load("units", file.name, { bytes });
            this.reports.units = { label: file.name, report };
            this.clearPlan();
          } else await this.loadPoints(role as Role, file.name, bytes);
        }
        current = null;
        this.whatIf = null;
        renderWhatIf(null, label(this.threshold));
        this.mapView.setCandidate(null);
        await this.recompute({ fit: layers.some((f) => f.role === "roads") });
      } catch (error) {
        this.showError(error, current?.name);
      } finally {
        this.actionBusy = false;
        this.busy(null);
        this.settle();
      }
    }
    if (services) await this.setCatalogue({ value: "file", label: services.file.name }, await services.file.text());
  }

  /**
   * Re-reads the centers from the OSM extract with the chosen services, keeping the
   * scenario. False when the engine refused (the previous centers stay).
   */
  private async reloadCenters(): Promise<boolean> {
    const src = this.sources.centers;
    if (!src?.pbf) return false;
    this.clearError();
    this.actionBusy = true;
    try {
      const edits = [...this.scenario.list()];
      const filter = this.filterFor("centers");
      const report = await this.engine.load("centers", src.name, { reuse: src.name }, filter);
      const label = `${src.derived ? this.sources.roads!.label : src.name} [${filter}]`;
      this.sources.centers = { ...src, label };
      this.reports.centers = { label, report };
      this.renderSources();
      this.scenario.clear();
      this.clearPlan();
      await this.recompute({});
      // Replay the edits that still apply (added sites get new ids).
      for (const edit of edits) {
        if (edit.kind === "add") await this.commitAdd(edit.lon, edit.lat, undefined, edit.tier);
        else if (edit.kind === "remove" && this.centerFeature(edit.id)) await this.commitRemove(edit.id, edit.name);
      }
      return true;
    } catch (error) {
      this.showError(error);
      return false;
    } finally {
      this.actionBusy = false;
      this.settle();
    }
  }

  /**
   * Sets the tiers and services: a preset (`text` null), a config file's text, or none
   * (`choice` null). The previous catalogue stays when the engine refuses the new one.
   */
  async setCatalogue(choice: { value: string; label: string } | null, text: string | null = null): Promise<void> {
    this.clearError();
    this.actionBusy = true;
    const previous = this.catalogue;
    try {
      if (!choice) await this.engine.setServices("", null);
      else await this.engine.setServices(choice.label, text ?? choice.value);
      this.catalogue = choice;
      this.clearPlan();
      this.actionBusy = false;
      await this.recompute({});
    } catch (error) {
      this.catalogue = previous;
      this.showError(error, choice?.label);
    } finally {
      this.actionBusy = false;
      this.renderSources();
      this.settle();
    }
  }

  /** Colours residents and units by `req` (any center, complete, a tier or a service). */
  setRequirement(req: Requirement): void {
    this.requirement = req;
    const shown = resolve(this.view, req);
    this.mapView.setRequirement(shown);
    this.mapView.showUnits(shownUnits(this.view, shown));
    this.renderRequirement();
  }

  /** The tiers card, the communities card and their legend, for what is shown. */
  private renderRequirement(): void {
    const view = this.view;
    const shown = resolve(view, this.requirement);
    renderTiers(view, shown, this.siteTier, {
      onRequirement: (req) => this.setRequirement(req),
      onSiteTier: (tier) => {
        this.siteTier = tier;
        this.clearPlan();
        this.renderRequirement();
      },
    });
    const name = requirementName(view, shown);
    const units = shownUnits(view, shown);
    renderUnits(units, name, (unit) => this.mapView.fit(featureBounds(unit)));
    renderUnitsLegend(units !== null, name);
    this.mapView.unitLabel = (p) => `${p.name ?? p.id}: ${pct(Number(p.shown_ratio ?? 0))} · ${name}`;
    $("#suggest-fair").hidden = !units;
    $("#suggest-floor-field").hidden = ($("#suggest-rule") as HTMLSelectElement).value !== "floor";
    const tier = view?.tiers?.tiers.find((r) => r.id === this.siteTier);
    const hint = $("#suggest-tier");
    hint.hidden = !tier;
    hint.textContent = tier ? t("suggest.tierHint", { tier: tier.name }) : "";
  }

  // ---------------------------------------------------------------- coverage

  /** Full coverage with the current data and parameters; bursts collapse into one run. */
  async recompute(options: { fit?: boolean }): Promise<void> {
    if (this.computing) {
      this.recomputeAgain = true;
      return;
    }
    this.computing = true;
    this.setStatus("computing");
    try {
      do {
        this.recomputeAgain = false;
        await this.engine.setParams({
          ...engineParams(this.threshold),
          ...bandsParam(this.bands, this.threshold.unit),
          profile: this.profile,
        });
        const missing = (["roads", "centers", "demand"] as Role[]).filter((r) => !this.sources[r]);
        if (missing.length) {
          this.showMessage(t("data.missing", { what: missing.map((r) => t(`data.${r}` as const)).join(" / ") }));
          return;
        }
        const view = await this.engine.coverage();
        this.show(view, options.fit === true);
        options.fit = false;
      } while (this.recomputeAgain);
      // A what-if shown before the change is stale: evaluate it again.
      await this.refreshWhatIf();
    } catch (error) {
      this.showError(error);
    } finally {
      this.computing = false;
      this.settle();
    }
  }

  private show(view: CoverageView, fit: boolean): void {
    const data = takeLayerData(view);
    this.view = view;
    this.layerData = data;
    this.mapView.show(view, data);
    this.mapView.setRequirement(resolve(view, this.requirement));
    this.mapView.showUnits(shownUnits(view, resolve(view, this.requirement)));
    if (this.serviceAreasVisible) void this.loadServiceAreas();
    if (fit) this.mapView.fit(view.bounds, false);
    this.renderAll();
    this.syncUrl();
  }

  private renderAll(): void {
    const view = this.view;
    renderSummary(view);
    renderBands(view, (value) => {
      // A circle chosen becomes the headline: its gaps, what-ifs and suggestions.
      this.threshold = clamp({ value, unit: this.threshold.unit });
      this.showThreshold();
      this.clearPlan();
      void this.recompute({});
    });
    renderHistogram(
      $("#histogram") as unknown as SVGSVGElement,
      this.layerData,
      this.thresholdMin(),
      label(this.threshold),
    );
    renderGaps(view?.layers.gaps ?? null, (centroid) => this.mapView.flyTo(centroid, 15));
    renderLegend(this.threshold, this.mapView.tierLegend(), view ? (viewBands(view)?.values ?? []) : []);
    renderNetStats(view?.network ?? null);
    this.renderScenario();
    this.renderServices();
    this.renderSources();
    this.renderRequirement();
    renderWhatIf(this.whatIf, label(this.threshold));
    renderPlan(this.plan, { onSite: (s) => this.mapView.flyTo(s.lonlat, 14.5), onAddAll: () => void this.addPlanSites() });
  }

  /** The residents of the view on screen as GeoJSON objects (parsed on each call: for
   * tests and the console, not for drawing). */
  async demandLayer(): Promise<FeatureCollection | null> {
    return this.layerData ? parseLayer(this.layerData.demand) : null;
  }

  /** The threshold in minutes of walking (a distance as the minutes the engine says it
   * takes; before the first run, at the default 80 m/min). */
  private thresholdMin(): number {
    if (this.view) return this.view.thresholdMin;
    return this.threshold.unit === "m" ? this.threshold.value / 80 : this.threshold.value;
  }

  private renderSources(): void {
    for (const role of ["roads", "centers", "demand", "units"] as const) renderSource(role, this.reports[role] ?? null);
    renderSource("services", this.catalogue ? { label: this.catalogue.label, report: null } : null);
    ($("#services-config") as HTMLSelectElement).value = this.catalogue?.value.startsWith("preset:") ? this.catalogue.value : this.catalogue ? "file" : "";
    ($("#centers-filter") as HTMLInputElement).value = this.centersFilter;
    ($("#demand-filter") as HTMLInputElement).value = this.demandFilter;
  }

  // ---------------------------------------------------------------- what-if

  private async pickSite(lon: number, lat: number, at: number): Promise<void> {
    if (!this.view) return;
    const seq = ++this.pickSeq;
    this.whatIf = { kind: "site", lon, lat, change: null };
    this.mapView.setCandidate([lon, lat]);
    renderWhatIf(this.whatIf, label(this.threshold));
    try {
      const sent = performance.now();
      const change = await this.engine.evaluateCandidate(lon, lat);
      const engine = { roundTrip: performance.now() - sent, worker: this.engine.lastWorkerMs };
      if (seq !== this.pickSeq) return;
      this.whatIf = { kind: "site", lon, lat, change };
      renderWhatIf(this.whatIf, label(this.threshold));
      this.whatIfLatencies.push(performance.now() - at);
      this.whatIfEngineMs.push(engine);
    } catch (error) {
      if (error instanceof Superseded) return;
      if (seq === this.pickSeq) this.showError(error);
    }
  }

  private async pickCenter(center: CenterHit, at: number): Promise<void> {
    if (!this.view) return;
    const seq = ++this.pickSeq;
    this.mapView.setCandidate(null);
    this.whatIf = { kind: "center", id: center.id, name: center.name, removed: center.removed, change: null };
    renderWhatIf(this.whatIf, label(this.threshold));
    if (center.removed) return;
    try {
      const sent = performance.now();
      const change = await this.engine.evaluateRemoval(center.id);
      const engine = { roundTrip: performance.now() - sent, worker: this.engine.lastWorkerMs };
      if (seq !== this.pickSeq) return;
      this.whatIf = { ...this.whatIf, change };
      renderWhatIf(this.whatIf, label(this.threshold));
      this.whatIfLatencies.push(performance.now() - at);
      this.whatIfEngineMs.push(engine);
    } catch (error) {
      if (seq === this.pickSeq) this.showError(error);
    }
  }

  private async refreshWhatIf(): Promise<void> {
    const w = this.whatIf;
    if (!w) return;
    if (w.kind === "site") await this.pickSite(w.lon, w.lat, performance.now());
    else {
      const f = this.centerFeature(w.id);
      if (!f) {
        this.closeWhatIf();
        return;
      }
      await this.pickCenter({ ...w, lon: 0, lat: 0, added: false, removed: f.properties?.removed === true, tier: "" }, performance.now());
    }
  }

  private closeWhatIf(): void {
    this.pickSeq++;
    this.whatIf = null;
    this.mapView.setCandidate(null);
    renderWhatIf(null, label(this.threshold));
  }

  private centerFeature(id: string) {
    return this.view?.layers.centers.features.find((f) => String(f.properties?.id) === id) ?? null;
  }

  private centerIds(): Set<string> {
    return new Set((this.view?.layers.centers.features ?? []).map((f) => String(f.properties?.id)));
  }

  /** addCenter (a center of `tier`, by default the chosen tier of new sites),
   * remembering the new site's id for undo. */
  private async commitAdd(lon: number, lat: number, name?: string, tier = this.siteTier || undefined): Promise<void> {
    const before = this.centerIds();
    const view = await this.engine.addCenter(lon, lat, name, tier);
    const added = view.layers.centers.features.find((f) => !before.has(String(f.properties?.id)) && f.properties?.added);
    const id = String(added?.properties?.id ?? `site-${before.size + 1}`);
    this.scenario.push({ kind: "add", id, lon, lat, name: String(added?.properties?.name ?? id), tier });
    this.show(view, false);
  }

  private async commitRemove(id: string, name: string): Promise<void> {
    const view = await this.engine.removeCenter(id);
    this.scenario.push({ kind: "remove", id, name });
    this.show(view, false);
  }

  private async act(work: () => Promise<void>): Promise<void> {
    if (this.actionBusy) return;
    this.actionBusy = true;
    this.clearError();
    this.setStatus("computing");
    try {
      await work();
    } catch (error) {
      this.showError(error);
    } finally {
      this.actionBusy = false;
      this.settle();
    }
  }

  addCurrentSite(): Promise<void> {
    return this.act(async () => {
      const w = this.whatIf;
      if (!w || w.kind !== "site") return;
      await this.commitAdd(w.lon, w.lat);
      this.closeWhatIf();
    });
  }

  removeOrRestoreCurrentCenter(): Promise<void> {
    return this.act(async () => {
      const w = this.whatIf;
      if (!w || w.kind !== "center") return;
      if (w.removed) {
        const view = await this.engine.restoreCenter(w.id);
        this.scenario.push({ kind: "restore", id: w.id, name: w.name });
        this.show(view, false);
      } else {
        await this.commitRemove(w.id, w.name);
      }
      this.closeWhatIf();
    });
  }

  undo(): Promise<void> {
    return this.act(async () => {
      const edit = this.scenario.pop();
      if (!edit) return;
      const view = edit.kind === "remove" ? await this.engine.restoreCenter(edit.id) : await this.engine.removeCenter(edit.id);
      this.closeWhatIf();
      this.show(view, false);
    });
  }

  resetScenario(): Promise<void> {
    return this.act(async () => {
      let edit: Edit | undefined;
      let view: CoverageView | null = null;
      while ((edit = this.scenario.pop())) {
        view = edit.kind === "remove" ? await this.engine.restoreCenter(edit.id) : await this.engine.removeCenter(edit.id);
      }
      this.closeWhatIf();
      if (view) this.show(view, false);
    });
  }

  private renderScenario(): void {
    const box = $("#scenario");
    box.replaceChildren();
    ($("#undo") as HTMLButtonElement).disabled = this.scenario.size === 0;
    const edits = this.scenario.list();
    if (edits.length === 0) {
      box.append(el("p", { class: "muted small" }, t("scenario.empty")));
      return;
    }
    const list = el("ul", { class: "edits", "data-testid": "scenario-edits" });
    for (const edit of edits) {
      const label =
        edit.kind === "add"
          ? `${t("scenario.added")}: ${edit.name} (${edit.lon.toFixed(4)}, ${edit.lat.toFixed(4)})`
          : edit.kind === "remove"
            ? `${t("scenario.removed")}: ${edit.name}`
            : `${t("whatif.restore")}: ${edit.name}`;
      list.append(el("li", { class: `edit edit-${edit.kind}` }, label));
    }
    const reset = el("button", { type: "button", class: "link" }, t("scenario.reset"));
    reset.addEventListener("click", () => void this.resetScenario());
    box.append(list, reset);
  }

  // ---------------------------------------------------------------- planning

  async suggest(): Promise<void> {
    if (this.actionBusy || !this.view) return;
    const k = Math.max(1, Math.min(50, Math.round(Number(($("#suggest-k") as HTMLInputElement).value) || 3)));
    const run = $("#suggest-run") as HTMLButtonElement;
    run.disabled = true;
    this.clearPlan();
    renderProgress(0, t("suggest.running"));
    await this.act(async () => {
      this.plan = await this.engine.optimize("mclp", this.planOptions(k), (f, stage) => renderProgress(f, stage));
      renderProgress(1, "");
      this.mapView.setSuggested(this.plan.sites, (s) => this.mapView.flyTo(s.lonlat, 14.5));
      renderPlan(this.plan, { onSite: (s: PlanSite) => this.mapView.flyTo(s.lonlat, 14.5), onAddAll: () => void this.addPlanSites() });
    });
    setTimeout(() => {
      if (this.plan) renderProgress(null);
    }, 800);
    run.disabled = false;
  }

  /** The suggestion's options: k, the communities' rule (with units) and the tier of
   * new sites (with a catalogue). */
  private planOptions(k: number): Record<string, unknown> {
    const options: Record<string, unknown> = { k };
    if (this.view?.layers.units) {
      const rule = ($("#suggest-rule") as HTMLSelectElement).value;
      const floorPct = Math.max(1, Math.min(100, Number(($("#suggest-floor") as HTMLInputElement).value) || 80));
      if (rule === "floor") options.unitFloor = floorPct / 100;
      if (rule === "maximin") options.maximin = true;
    }
    if (this.siteTier && this.view?.tiers?.tiers.some((r) => r.id === this.siteTier)) options.siteTier = this.siteTier;
    return options;
  }

  private clearPlan(): void {
    this.plan = null;
    this.mapView.setSuggested([], () => {});
    renderProgress(null);
    renderPlan(null, { onSite: () => {}, onAddAll: () => {} });
  }

  private addPlanSites(): Promise<void> {
    const plan = this.plan;
    return this.act(async () => {
      if (!plan) return;
      const tier = plan.site_tier ?? (this.siteTier || undefined);
      for (const site of plan.sites) await this.commitAdd(site.lonlat[0], site.lonlat[1], `#${site.rank}`, tier);
      this.clearPlan();
    });
  }

  // ---------------------------------------------------------------- panel wiring

  private bindPanel(): void {
    const slider = $("#threshold") as HTMLInputElement;
    const unit = $("#threshold-unit") as HTMLSelectElement;
    const out = $("#threshold-out");
    const showThreshold = () => {
      const range = SLIDER[this.threshold.unit];
      slider.min = String(range.min);
      slider.max = String(range.max);
      slider.step = String(range.step);
      slider.value = String(this.threshold.value);
      unit.value = this.threshold.unit;
      out.textContent = label(this.threshold);
      unit.title = t("params.thresholdUnit");
      const circles = STANDARD_BANDS[this.threshold.unit];
      $("#bands-toggle-label").textContent = t("params.bands", {
        bands: `${circles.join(" / ")} ${t(this.threshold.unit === "m" ? "unit.m" : "unit.min")}`,
      });
      ($("#bands-toggle") as HTMLInputElement).checked = this.bands;
      $("#threshold-ticks").replaceChildren(
        ...range.ticks.map((v) => {
          const tick = el("span", {}, String(v));
          // Under the thumb: its centre runs from 1.5 % to 98.5 % of the track.
          tick.style.left = `${1.5 + (97 * (v - range.min)) / (range.max - range.min)}%`;
          return tick;
        }),
      );
    };
    showThreshold();
    this.showThreshold = showThreshold;
    ($("#bands-toggle") as HTMLInputElement).addEventListener("change", (e) => {
      this.bands = (e.target as HTMLInputElement).checked;
      this.clearPlan();
      void this.recompute({});
    });
    let timer = 0;
    const changed = () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => {
        this.clearPlan();
        void this.recompute({});
      }, 180);
    };
    slider.addEventListener("input", () => {
      this.threshold = { value: Number(slider.value), unit: this.threshold.unit };
      out.textContent = label(this.threshold);
      changed();
    });
    unit.addEventListener("change", () => {
      // The same walk in the other unit, at the engine's speed of the current run.
      const metresPerMin = this.view ? (this.view.speedKmh * 1000) / 60 : undefined;
      this.threshold = convert(this.threshold, unit.value as ThresholdUnit, metresPerMin);
      showThreshold();
      changed();
    });
    const profile = $("#profile") as HTMLSelectElement;
    profile.value = this.profile;
    profile.addEventListener("change", () => {
      this.profile = profile.value as Profile;
      this.clearPlan();
      void this.recompute({});
    });
    $(".lang").addEventListener("click", () => setLang(lang() === "en" ? "zh" : "en"));
    onLangChange(() => {
      $(".lang").textContent = lang() === "en" ? "中文" : "English";
      showThreshold();
      this.setStatus(this.status);
      this.renderAll();
      this.syncUrl();
    });
    $(".lang").textContent = lang() === "en" ? "中文" : "English";

    for (const tab of document.querySelectorAll<HTMLButtonElement>("[role=tab]")) {
      tab.addEventListener("click", () => this.selectTab(tab.dataset.tab!));
    }

    $("#add-site").addEventListener("click", () => void this.addCurrentSite());
    $("#remove-site").addEventListener("click", () => void this.removeOrRestoreCurrentCenter());
    $("#whatif-close").addEventListener("click", () => this.closeWhatIf());
    $("#undo").addEventListener("click", () => void this.undo());
    $("#fit").addEventListener("click", () => this.view && this.mapView.fit(this.view.bounds));
    window.addEventListener("keydown", (e) => {
      const typing = (e.target as HTMLElement).closest("input, select, textarea");
      if ((e.ctrlKey || e.metaKey) && e.key === "z" && !typing) {
        e.preventDefault();
        void this.undo();
      } else if (e.key === "Escape") this.closeWhatIf();
    });

    $("#suggest-run").addEventListener("click", () => void this.suggest());
    $("#suggest-rule").addEventListener("change", () => {
      this.clearPlan();
      this.renderRequirement();
    });
    const catalogue = $("#services-config") as HTMLSelectElement;
    catalogue.addEventListener("change", () => {
      const value = catalogue.value;
      if (value === "file") ($("#file-services") as HTMLInputElement).click();
      else if (value === "") void this.setCatalogue(null);
      else void this.setCatalogue({ value, label: catalogue.selectedOptions[0].textContent ?? value });
    });
    bindCollapse();
    bindToggles((layer, visible) => {
      this.mapView.setVisible(layer, visible);
      if (layer === "serviceAreas") {
        this.serviceAreasVisible = visible;
        if (visible) void this.loadServiceAreas();
      }
    });
    const onFiles = (files: RoledFile[]) => {
      const guessed = files.find((f) => f.guessed) ?? null;
      renderGuessNotice(guessed?.file ?? null, guessed?.role ?? "roads", (other) => void this.loadFile(other, guessed!.file));
      void this.loadFiles(files);
    };
    bindFileInputs(onFiles);
    bindDrop(onFiles);
    const centersFilter = $("#centers-filter") as HTMLInputElement;
    centersFilter.addEventListener("change", () => {
      this.centersFilter = centersFilter.value.trim();
      this.services = null;
      void this.reloadCenters();
    });
    const demandFilter = $("#demand-filter") as HTMLInputElement;
    demandFilter.addEventListener("change", () => void this.changeDemandFilter(demandFilter.value.trim()));
    $("#reload-sample").addEventListener("click", () => void this.backToSample());

    for (const button of document.querySelectorAll<HTMLButtonElement>("[data-export]")) {
      button.addEventListener("click", () => void this.export(button.dataset.export!, button));
    }
    const tileInput = $("#tile-url") as HTMLInputElement;
    try {
      tileInput.value = localStorage.getItem("lifecircle.tiles") ?? "";
    } catch {
      /* ignore */
    }
    const applyTiles = () => {
      const url = tileInput.value.trim();
      try {
        localStorage.setItem("lifecircle.tiles", url);
      } catch {
        /* ignore */
      }
      void this.mapView.ready.then(() => this.mapView.setTiles(url));
      $("#legend-basemap").hidden = !url;
    };
    $("#tile-apply").addEventListener("click", applyTiles);
    if (tileInput.value) applyTiles();
  }

  selectTab(name: string): void {
    for (const tab of document.querySelectorAll<HTMLButtonElement>("[role=tab]")) {
      tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
    }
    for (const page of document.querySelectorAll<HTMLElement>(".tab-page")) page.hidden = page.dataset.page !== name;
  }

  private async changeDemandFilter(filter: string): Promise<void> {
    this.demandFilter = filter;
    const src = this.sources.demand;
    if (!src?.pbf) return;
    this.clearError();
    this.actionBusy = true;
    try {
      const report = await this.engine.load("demand", src.name, { reuse: src.name }, filter);
      const label = `${src.derived ? this.sources.roads!.label : src.name} [${filter}]`;
      this.sources.demand = { ...src, label };
      this.reports.demand = { label, report };
      this.clearPlan();
      await this.recompute({});
    } catch (error) {
      this.showError(error);
    } finally {
      this.actionBusy = false;
      this.settle();
    }
  }

  private async backToSample(): Promise<void> {
    this.clearError();
    this.actionBusy = true;
    try {
      this.url = { ...this.url, roads: null, centers: null, demand: null, centersFilter: null, demandFilter: null, added: [], removed: [] };
      this.services = null;
      this.closeWhatIf();
      await this.loadSample();
      await this.recompute({ fit: true });
    } catch (error) {
      this.showError(error);
    } finally {
      this.actionBusy = false;
      this.busy(null);
      this.settle();
    }
  }

  private renderServices(): void {
    const chips = $("#service-chips");
    const hint = $("#service-hint");
    chips.replaceChildren();
    const src = this.sources.centers;
    const parsed = src?.pbf ? parseFilter(this.centersFilter) : null;
    if (!parsed) {
      hint.textContent = src ? t("params.servicesHint") : "";
      return;
    }
    hint.textContent = "";
    const selected = this.services ?? parsed.values;
    for (const value of parsed.values) {
      const key = `service.${value}`;
      const label = t(key as never) === key ? value.replace(/_/g, " ") : t(key as never);
      const chip = el("button", { type: "button", class: "chip", "aria-pressed": String(selected.includes(value)), "data-value": value }, label);
      chip.addEventListener("click", () => {
        const next = new Set(this.services ?? parsed.values);
        if (next.has(value)) next.delete(value);
        else next.add(value);
        if (next.size === 0) {
          hint.textContent = t("params.servicesNone");
          return;
        }
        const previous = this.services;
        this.services = next.size === parsed.values.length ? null : parsed.values.filter((v) => next.has(v));
        this.renderServices();
        void this.reloadCenters().then((ok) => {
          if (!ok) {
            this.services = previous;
            this.renderServices();
          }
        });
      });
      chips.append(chip);
    }
  }

  private async export(what: string, button: HTMLButtonElement): Promise<void> {
    if (what === "link") {
      this.syncUrl();
      try {
        await navigator.clipboard.writeText(location.href);
      } catch {
        window.prompt("", location.href);
        return;
      }
      const old = button.textContent;
      button.textContent = t("export.copied");
      setTimeout(() => (button.textContent = old), 1500);
      return;
    }
    if (!this.view) return;
    if (what === "png") {
      const canvas = await this.mapView.snapshot();
      const label = this.reports.roads?.label ?? "lifecircle";
      download("lifecircle-map.png", await composePng(canvas, this.view, label));
      return;
    }
    if (what === "report") {
      const html = await this.engine.reportHtml(lang());
      download("report.html", html, "text/html;charset=utf-8");
      return;
    }
    if (what === "serviceAreas") await this.loadServiceAreas();
    if (this.layerData) await exportLayer(this.view, this.layerData, what);
  }

  /** Traces the service areas of the scenario on screen, once per scenario. */
  private async loadServiceAreas(): Promise<void> {
    const view = this.view;
    if (!view || view.layers.serviceAreas) return;
    const areas = await this.engine.serviceAreas();
    // A newer scenario may have arrived meanwhile; its own request will follow.
    if (this.view !== view) return;
    view.layers.serviceAreas = areas;
    this.mapView.showServiceAreas(areas);
  }

  // ---------------------------------------------------------------- status, errors, URL

  private setStatus(status: App["status"]): void {
    this.status = status;
    const node = $('[data-testid="status"]');
    node.dataset.state = status;
    node.textContent = t(`status.${status}` as const);
  }

  /** Back to "ready" (or "error") once nothing runs. */
  private settle(): void {
    if (this.computing || this.actionBusy) return;
    if (this.status === "error" && !this.view) return;
    this.setStatus(this.view ? "ready" : "error");
  }

  private busyTimer = 0;
  private busy(text: string | null): void {
    const box = $("#busy");
    clearTimeout(this.busyTimer);
    if (text === null) {
      box.hidden = true;
      return;
    }
    $("#busy-text").textContent = text;
    this.busyTimer = window.setTimeout(() => (box.hidden = false), 120);
  }

  private showMessage(text: string): void {
    const box = $('[data-testid="error-message"]');
    box.textContent = text;
    box.hidden = false;
  }

  showError(error: unknown, fileName?: string): void {
    const reason = error instanceof Error ? error.message : String(error);
    const text =
      fileName && !reason.includes(fileName) ? t("error.file", { file: fileName, reason }) : fileName ? reason : t("error.generic", { reason });
    const box = $('[data-testid="error-message"]');
    box.replaceChildren(el("span", { class: "error-text" }, text));
    const close = el("button", { type: "button", class: "close", "aria-label": t("aria.close") }, "×");
    close.addEventListener("click", () => this.clearError());
    box.append(close);
    box.hidden = false;
    if (!this.view) this.setStatus("error");
    console.error(error);
  }

  clearError(): void {
    const box = $('[data-testid="error-message"]');
    box.hidden = true;
    box.replaceChildren();
  }

  private syncUrl(): void {
    if (!this.view) return;
    const centers = this.view.layers.centers.features;
    const added: Array<[number, number]> = [];
    const removed: string[] = [];
    for (const f of centers) {
      const p = f.properties ?? {};
      if (p.added && !p.removed && f.geometry.type === "Point") added.push(f.geometry.coordinates as [number, number]);
      if (!p.added && p.removed) removed.push(String(p.id));
    }
    const c = this.mapView.map.getCenter();
    writeUrl({
      ...this.url,
      threshold: this.threshold.unit === "min" ? this.threshold.value : null,
      thresholdM: this.threshold.unit === "m" ? this.threshold.value : null,
      bands: this.bands,
      profile: this.profile,
      added,
      removed,
      services: this.services,
      view: { center: [c.lng, c.lat], zoom: this.mapView.map.getZoom() },
      lang: lang(),
    });
  }
}

/** `key=v1|v2|v3` → its key and values; other filters are not split into services. */
export function parseFilter(filter: string): { key: string; values: string[] } | null {
  const m = /^\s*([\w:]+)\s*=\s*([\w:|-]+)\s*$/.exec(filter);
  if (!m) return null;
  const values = m[2].split("|").filter(Boolean);
  return values.length > 1 ? { key: m[1], values } : null;
}
