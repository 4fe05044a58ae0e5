// MapLibre sources and layers of the viewer. Heavy layers (network lines, resident points)
// are GeoJSON sources updated with `setData`; nothing here creates per-feature DOM.

import type { ExpressionSpecification, Map as MapLibreMap } from "maplibre-gl";
import type { CoverageView } from "../types";
import { bandPalette, colors, unitRamp } from "./colors";
import { ANY, coveredExpression, type Requirement } from "../state/requirement";

const empty = { type: "FeatureCollection" as const, features: [] };

export const SOURCES = ["units", "serviceAreas", "gaps", "network", "demand", "centers"] as const;
export type SourceName = (typeof SOURCES)[number];

/** The layer ids that belong to each toggle in the legend. */
export const TOGGLES: Record<string, string[]> = {
  basemap: ["basemap"],
  units: ["units-fill", "units-line"],
  serviceAreas: ["service-areas-fill", "service-areas-line"],
  gaps: ["gaps-fill", "gaps-line"],
  network: ["network-line"],
  demand: ["demand-circle"],
  centers: ["centers-circle"],
};

/** The band column of a view's layers (`band_min` or `band_m`) and its bands' values,
 * when circles are compared. */
export function viewBands(view: CoverageView): { column: string; values: number[] } | null {
  if (!view.bands?.length) return null;
  const metres = view.thresholdM != null;
  return {
    column: metres ? "band_m" : "band_min",
    values: view.bands.map((b) => (metres ? b.threshold_m : b.threshold_min) ?? 0),
  };
}

export function networkColor(view: Pick<CoverageView, "thresholdMin" | "thresholdM" | "bands">): ExpressionSpecification {
  const thresholdMin = view.thresholdMin;
  const start = ["coalesce", ["get", "walk_min_start"], -1] as ExpressionSpecification;
  const end = ["coalesce", ["get", "walk_min_end"], -1] as ExpressionSpecification;
  const bands = viewBands(view as CoverageView);
  if (bands) {
    // Each piece in the colour of the nearest circle it lies in; beyond them all as usual.
    const match: unknown[] = ["match", ["coalesce", ["get", bands.column], -1]];
    bands.values.forEach((v, i) => match.push(v, bandPalette[i % bandPalette.length]));
    match.push(["case", ["<", start, 0], colors.noPath, colors.beyond]);
    return match as ExpressionSpecification;
  }
  return [
    "case",
    ["<", start, 0],
    colors.noPath,
    ["==", ["get", "covered"], true],
    colors.covered,
    ["<=", ["min", start, end], thresholdMin * 1.5],
    colors.near,
    colors.beyond,
  ];
}

/** Residents: unreachable, covered for `req`, or not. */
export function demandColor(req: Requirement): ExpressionSpecification {
  return [
    "case",
    ["!=", ["get", "status"], "ok"],
    colors.residentUnreachable,
    coveredExpression(req),
    colors.residentCovered,
    colors.residentUncovered,
  ];
}

/** Units by the ratio shown (`shown_ratio`), grey without residents. */
const unitFill: ExpressionSpecification = [
  "case",
  ["<=", ["coalesce", ["get", "population"], 0], 0],
  colors.unitEmpty,
  ["interpolate", ["linear"], ["coalesce", ["get", "shown_ratio"], 0], ...unitRamp.flatMap(([at, color]) => [at, color])],
] as unknown as ExpressionSpecification;

export function addLayers(map: MapLibreMap, tierColor: ExpressionSpecification): void {
  for (const name of SOURCES) {
    map.addSource(name, { type: "geojson", data: empty, attribution: "" });
  }
  map.addLayer({
    id: "units-fill",
    type: "fill",
    source: "units",
    paint: { "fill-color": unitFill, "fill-opacity": 0.32 },
  });
  map.addLayer({
    id: "units-line",
    type: "line",
    source: "units",
    paint: { "line-color": colors.unitLine, "line-width": 1.2, "line-opacity": 0.7 },
  });
  map.addLayer({
    id: "service-areas-fill",
    type: "fill",
    source: "serviceAreas",
    layout: { visibility: "none" },
    paint: { "fill-color": colors.serviceArea, "fill-opacity": 0.12 },
  });
  map.addLayer({
    id: "service-areas-line",
    type: "line",
    source: "serviceAreas",
    layout: { visibility: "none" },
    paint: { "line-color": colors.serviceArea, "line-width": 1, "line-opacity": 0.6 },
  });
  map.addLayer({
    id: "gaps-fill",
    type: "fill",
    source: "gaps",
    paint: {
      "fill-color": colors.gapFill,
      "fill-opacity": ["interpolate", ["linear"], ["get", "population"], 1, 0.1, 100, 0.22, 600, 0.38],
    },
  });
  map.addLayer({
    id: "gaps-line",
    type: "line",
    source: "gaps",
    paint: { "line-color": colors.gapLine, "line-width": 1, "line-opacity": 0.55, "line-dasharray": [2, 1.5] },
  });
  map.addLayer({
    id: "network-line",
    type: "line",
    source: "network",
    layout: { "line-cap": "round", "line-join": "round" },
    paint: {
      "line-color": networkColor({ thresholdMin: 10, thresholdM: null }),
      "line-width": ["interpolate", ["exponential", 1.6], ["zoom"], 9, 0.6, 13, 1.6, 16, 4],
    },
  });
  map.addLayer({
    id: "demand-circle",
    type: "circle",
    source: "demand",
    paint: {
      "circle-radius": ["interpolate", ["exponential", 1.6], ["zoom"], 9, 1.2, 13, 2.6, 16, 5],
      "circle-color": demandColor(ANY),
      "circle-opacity": 0.85,
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": ["interpolate", ["linear"], ["zoom"], 12, 0, 15, 0.6],
    },
  });
  map.addLayer({
    id: "centers-circle",
    type: "circle",
    source: "centers",
    paint: {
      "circle-radius": ["interpolate", ["linear"], ["zoom"], 9, 4.5, 14, 8, 17, 11],
      "circle-color": [
        "case",
        ["==", ["get", "removed"], true],
        "#ffffff",
        ["==", ["get", "added"], true],
        colors.added,
        tierColor,
      ],
      "circle-stroke-color": ["case", ["==", ["get", "removed"], true], colors.removed, "#ffffff"],
      "circle-stroke-width": ["case", ["==", ["get", "removed"], true], 2.5, 2],
    },
  });
}
