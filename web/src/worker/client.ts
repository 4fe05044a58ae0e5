// The page side of the engine worker: promise-returning calls, progress callbacks,
// and a "latest wins" slot for what-if evaluations fired by rapid clicks.

import type { FeatureCollection } from "lifecircle-wasm";
import type { Reply, Request } from "./protocol";
import type {
  CenterInfo,
  CoverageView,
  LoadReport,
  OsmLoadReport,
  Params,
  PlanView,
  Role,
  SiteChange,
} from "../types";

type Pending = {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  progress?: (fraction: number, stage: string) => void;
};

/** Error raised when a newer what-if request replaced a queued one. */
export class Superseded extends Error {
  constructor() {
    super("superseded");
  }
}

export class Engine {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private busyCount = 0;
  private queuedEval: { lon: number; lat: number; resolve: Pending["resolve"]; reject: Pending["reject"] } | null = null;
  private evalInFlight = false;
  /** Time the worker spent on the last request that succeeded, ms. */
  lastWorkerMs = 0;
  /** Called whenever the engine goes busy or idle. */
  onBusy: (busy: boolean) => void = () => {};

  constructor() {
    this.worker = new Worker(new URL("./engine.worker.ts", import.meta.url), { type: "module" });
    this.worker.onmessage = (event: MessageEvent<Reply>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      const error = new Error(event.message || "the engine worker failed");
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
  }

  private receive(reply: Reply) {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.kind === "progress") {
      p.progress?.(reply.fraction, reply.stage);
      return;
    }
    this.pending.delete(reply.id);
    this.busyCount--;
    if (this.busyCount === 0) this.onBusy(false);
    if (reply.kind === "ok") {
      this.lastWorkerMs = reply.workerMs;
      p.resolve(reply.result);
    }
    else p.reject(new Error(reply.message));
  }

  private call<T>(request: Request, progress?: Pending["progress"], transfer: Transferable[] = []): Promise<T> {
    const id = this.nextId++;
    if (this.busyCount === 0) this.onBusy(true);
    this.busyCount++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending["resolve"], reject, progress });
      this.worker.postMessage({ id, ...request }, transfer);
    });
  }

  init() {
    return this.call<{ version: string }>({ op: "init" });
  }
  /** Sends bytes (transferred: the caller's buffer is detached) or reuses bytes sent before under `reuse`. */
  load(role: Role | "units", name: string, source: { bytes: Uint8Array } | { reuse: string }, filter?: string) {
    if ("bytes" in source) {
      return this.call<LoadReport>({ op: "load", role, name, bytes: source.bytes, filter }, undefined, [source.bytes.buffer]);
    }
    return this.call<LoadReport>({ op: "load", role, name, reuse: source.reuse, filter });
  }
  /** Roads and, by tag filter, centers and demand from one OSM extract, decoded once (bytes transferred and kept for later filters). */
  loadOsm(name: string, bytes: Uint8Array, centersFilter?: string, demandFilter?: string) {
    return this.call<OsmLoadReport>(
      { op: "loadOsm", name, bytes, centersFilter, demandFilter },
      undefined,
      [bytes.buffer],
    );
  }
  setParams(params: Params) {
    return this.call<void>({ op: "setParams", params });
  }
  /** Tiers and services: config text (TOML / JSON) or "preset:NAME"; null clears them. */
  setServices(name: string, text: string | null) {
    return this.call<void>({ op: "setServices", name, text });
  }
  coverage() {
    return this.call<CoverageView>({ op: "coverage" });
  }
  evaluateRemoval(id: string) {
    return this.call<SiteChange>({ op: "evaluateRemoval", centerId: id });
  }
  addCenter(lon: number, lat: number, name?: string, tier?: string) {
    return this.call<CoverageView>({ op: "addCenter", lon, lat, name, tier });
  }
  removeCenter(id: string) {
    return this.call<CoverageView>({ op: "removeCenter", centerId: id });
  }
  restoreCenter(id: string) {
    return this.call<CoverageView>({ op: "restoreCenter", centerId: id });
  }
  serviceAreas() {
    return this.call<FeatureCollection>({ op: "serviceAreas" });
  }
  centers() {
    return this.call<CenterInfo[]>({ op: "centers" });
  }
  /** `report.html` of the scenario on screen (the page the command line writes). */
  reportHtml(lang: "en" | "zh") {
    return this.call<string>({ op: "reportHtml", lang });
  }
  optimize(model: "mclp" | "lscp" | "pmedian", options: Record<string, unknown>, progress: (f: number, stage: string) => void) {
    return this.call<PlanView>({ op: "optimize", model, options }, progress);
  }

  /**
   * What-if of a new site. While one evaluation runs, only the latest further click is
   * kept; the ones it replaces reject with `Superseded`.
   */
  evaluateCandidate(lon: number, lat: number): Promise<SiteChange> {
    return new Promise<SiteChange>((resolve, reject) => {
      if (this.queuedEval) this.queuedEval.reject(new Superseded());
      this.queuedEval = { lon, lat, resolve: resolve as Pending["resolve"], reject };
      this.pumpEval();
    });
  }

  private pumpEval() {
    if (this.evalInFlight || !this.queuedEval) return;
    const job = this.queuedEval;
    this.queuedEval = null;
    this.evalInFlight = true;
    this.call<SiteChange>({ op: "evaluateCandidate", lon: job.lon, lat: job.lat })
      .then(job.resolve, job.reject)
      .finally(() => {
        this.evalInFlight = false;
        this.pumpEval();
      });
  }
}
