// Downloads: the coverage layers as GeoJSON, residents and gaps as CSV, the summary as
// JSON, and a PNG of the map with a caption.

import type { FeatureCollection } from "geojson";
import type { CoverageView } from "../types";
import { parseLayer, type LayerData } from "../map/layerdata";
import { pct, int } from "../format";

export function download(name: string, data: Blob | string, type = "application/octet-stream"): void {
  const blob = typeof data === "string" ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

function csvCell(v: unknown): string {
  if (v == null) return "";
  const s = typeof v === "number" ? String(v) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: string[], rows: unknown[][]): string {
  return [header.join(","), ...rows.map((r) => r.map(csvCell).join(","))].join("\n") + "\n";
}

export function residentsCsv(demand: FeatureCollection): string {
  const rows = demand.features.map((f) => {
    const p = f.properties ?? {};
    const [lon, lat] = f.geometry.type === "Point" ? f.geometry.coordinates : [null, null];
    return [p.id, lon, lat, p.population, p.status, p.covered, p.walk_min, p.walk_m, p.nearest_center, p.access_m];
  });
  return csv(
    ["id", "lon", "lat", "population", "status", "covered", "walk_min", "walk_m", "nearest_center", "access_m"],
    rows,
  );
}

export function gapsCsv(gaps: FeatureCollection): string {
  const rows = gaps.features.map((f) => {
    const p = f.properties ?? {};
    const c = (p.centroid as [number, number] | undefined) ?? [null, null];
    return [p.rank, p.population, p.residents, p.unreachable_population, p.mean_walk_min, p.max_walk_min, c[0], c[1]];
  });
  return csv(
    ["rank", "population", "residents", "unreachable_population", "mean_walk_min", "max_walk_min", "centroid_lon", "centroid_lat"],
    rows,
  );
}

export async function exportLayer(view: CoverageView, data: LayerData, what: string): Promise<void> {
  const json = (v: unknown) => JSON.stringify(v);
  switch (what) {
    case "network":
      download("network.geojson", data.network);
      return;
    case "demand":
      download("residents.geojson", data.demand);
      return;
    case "gaps":
    case "serviceAreas":
    case "centers": {
      const names: Record<string, string> = {
        gaps: "gaps.geojson",
        serviceAreas: "service_areas.geojson",
        centers: "centers.geojson",
      };
      download(names[what], json(view.layers[what as keyof CoverageView["layers"]]), "application/geo+json");
      return;
    }
    case "residents-csv":
      download("residents.csv", residentsCsv(await parseLayer(data.demand)), "text/csv");
      return;
    case "gaps-csv":
      download("gaps.csv", gapsCsv(view.layers.gaps), "text/csv");
      return;
    case "summary":
      download(
        "summary.json",
        JSON.stringify(
          {
            coverage: view.summary,
            network: view.network,
            gaps: { count: view.gapCount, population: view.gapPopulation, largest: view.largestGap },
            threshold_min: view.thresholdMin,
          },
          null,
          2,
        ),
        "application/json",
      );
      return;
  }
}

/** The map canvas with a caption band (coverage, threshold, attribution). */
export function composePng(map: HTMLCanvasElement, view: CoverageView | null, title: string): Promise<Blob> {
  const ratio = window.devicePixelRatio || 1;
  const band = Math.round(44 * ratio);
  const out = document.createElement("canvas");
  out.width = map.width;
  out.height = map.height + band;
  const ctx = out.getContext("2d")!;
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(map, 0, 0);
  ctx.fillStyle = "#111827";
  ctx.font = `600 ${Math.round(15 * ratio)}px system-ui, sans-serif`;
  const caption = view
    ? `${title} — ${pct(view.summary.coverage_ratio)} (${int(view.summary.covered_population)} / ${int(view.summary.total_population)}) · ${view.thresholdMin} min`
    : title;
  ctx.fillText(caption, 12 * ratio, map.height + 20 * ratio);
  ctx.fillStyle = "#6b7280";
  ctx.font = `${Math.round(11 * ratio)}px system-ui, sans-serif`;
  ctx.fillText("Map data © OpenStreetMap contributors, ODbL 1.0 · lifecircle", 12 * ratio, map.height + 36 * ratio);
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG export failed"))), "image/png"));
}
