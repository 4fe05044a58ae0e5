// The two large layers of a view — the network and the residents — as the page keeps
// them: GeoJSON Blobs whose URLs the map fetches and parses in its own worker, and the
// residents' walks as columns for the histogram. At city scale (200,000 residents) this
// keeps the page's thread from parsing, cloning and holding every feature on each edit.

import type { FeatureCollection } from "geojson";
import type { CoverageView } from "../types";

export interface LayerData {
  network: Blob;
  demand: Blob;
  /** Per resident, in the demand layer's order: walk minutes (NaN: no walk) and population. */
  walkMin: Float64Array;
  population: Float64Array;
}

const GEOJSON = "application/geo+json";

/** Moves a view's layer bytes into Blobs (the view no longer holds them). */
export function takeLayerData(view: CoverageView): LayerData {
  const { layerBytes, residentColumns } = view;
  if (!layerBytes || !residentColumns) throw new Error("the engine sent a view without its layer bytes");
  delete view.layerBytes;
  delete view.residentColumns;
  return {
    network: new Blob([layerBytes.network as Uint8Array<ArrayBuffer>], { type: GEOJSON }),
    demand: new Blob([layerBytes.demand as Uint8Array<ArrayBuffer>], { type: GEOJSON }),
    walkMin: residentColumns.walkMin,
    population: residentColumns.population,
  };
}

/** A layer's features as objects (for downloads and tests, not for each edit). */
export async function parseLayer(blob: Blob): Promise<FeatureCollection> {
  return JSON.parse(await blob.text()) as FeatureCollection;
}

/** The buffers of a view to transfer between threads rather than copy. */
export function transferables(result: unknown): ArrayBuffer[] {
  const view = result as Partial<CoverageView> | null;
  if (!view || typeof view !== "object" || !view.layerBytes || !view.residentColumns) return [];
  const { network, demand } = view.layerBytes;
  const { walkMin, population } = view.residentColumns;
  return [network.buffer, demand.buffer, walkMin.buffer, population.buffer] as ArrayBuffer[];
}
