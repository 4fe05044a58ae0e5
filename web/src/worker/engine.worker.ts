// The engine worker: hosts the lifecircle wasm so that loading data, coverage and
// optimisation never block the map. It answers one request at a time.

import init, { CoverageModel, version } from "lifecircle-wasm";
import type { Envelope, Reply } from "./protocol";
import { transferables } from "../map/layerdata";

let model: CoverageModel | null = null;
// Input bytes kept by file name, so an OSM extract can serve roads, centers and demand
// (with different tag filters) after being sent once.
const kept = new Map<string, Uint8Array>();

const post = (reply: Reply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(reply, transfer);

function need(): CoverageModel {
  if (!model) throw new Error("the engine is not initialised");
  return model;
}

async function handle(msg: Envelope): Promise<unknown> {
  switch (msg.op) {
    case "init": {
      if (!model) {
        await init();
        model = new CoverageModel();
        // Service areas are the costliest layer: traced only when the page asks.
        model.setServiceAreasInView(false);
        // The network and residents travel as GeoJSON bytes, moved (not copied) to the
        // page, which hands them to the map as Blob URLs.
        model.setLayersAsBytes(true);
      }
      return { version: version() };
    }
    case "load": {
      const m = need();
      let bytes = msg.bytes;
      if (bytes) kept.set(msg.name, bytes);
      else bytes = kept.get(msg.reuse ?? msg.name);
      if (!bytes) throw new Error(`${msg.name}: no data`);
      switch (msg.role) {
        case "roads":
          return m.loadRoads(msg.name, bytes);
        case "centers":
          return m.loadCenters(msg.name, bytes, msg.filter || undefined);
        case "demand":
          return m.loadDemand(msg.name, bytes, msg.filter || undefined);
        case "candidates":
          return m.loadCandidates(msg.name, bytes, msg.filter || undefined);
        case "units":
          return m.loadUnits(msg.name, bytes);
      }
      throw new Error(`unknown role`);
    }
    case "loadOsm": {
      kept.set(msg.name, msg.bytes);
      return need().loadOsm(msg.name, msg.bytes, msg.centersFilter || undefined, msg.demandFilter || undefined);
    }
    case "setParams":
      return need().setParams(msg.params);
    case "setServices":
      return need().setServices(msg.name, msg.text);
    case "coverage":
      return need().coverage();
    case "evaluateCandidate":
      return need().evaluateCandidate(msg.lon, msg.lat);
    case "evaluateRemoval":
      return need().evaluateRemoval(msg.centerId);
    case "addCenter":
      return need().addCenter(msg.lon, msg.lat, msg.name, msg.tier || undefined);
    case "removeCenter":
      return need().removeCenter(msg.centerId);
    case "restoreCenter":
      return need().restoreCenter(msg.centerId);
    case "centers":
      return need().centers();
    case "serviceAreas":
      return need().serviceAreas();
    case "reportHtml":
      return need().reportHtml(msg.lang);
    case "optimize": {
      const id = msg.id;
      let last = 0;
      return need().optimize(msg.model, msg.options, (fraction: number, stage: string) => {
        const now = performance.now();
        if (fraction >= 1 || now - last > 50) {
          last = now;
          post({ id, kind: "progress", fraction, stage });
        }
      });
    }
  }
}

self.onmessage = async (event: MessageEvent<Envelope>) => {
  const msg = event.data;
  const t0 = performance.now();
  try {
    const result = await handle(msg);
    post({ id: msg.id, kind: "ok", result, workerMs: performance.now() - t0 }, transferables(result));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    post({ id: msg.id, kind: "error", message });
  }
};
