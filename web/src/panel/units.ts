// The communities card: the reporting units worst-served first, by what the map shows
// (any center, complete coverage, a tier or a service). A row fits the map to the unit.

import type { Feature, FeatureCollection, Position } from "geojson";
import { t } from "../i18n";
import { $, el, int, pct } from "../format";
import { unitRatios, type Requirement } from "../state/requirement";
import type { CoverageView } from "../types";

const LISTED = 10;

/** The view's units with `shown_ratio` for `req` (the choropleth's value). */
export function shownUnits(view: CoverageView | null, req: Requirement): FeatureCollection | null {
  const units = view?.layers.units;
  if (!view || !units) return null;
  const ratios = unitRatios(view, req);
  return {
    type: "FeatureCollection",
    features: units.features.map((f) => ({
      ...f,
      properties: { ...f.properties, shown_ratio: ratios.get(String(f.properties?.id)) ?? 0 },
    })),
  };
}

/** `[west, south, east, north]` of a polygon feature. */
export function featureBounds(f: Feature): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (typeof (c as Position)[0] === "number") {
      const [x, y] = c as Position;
      b[0] = Math.min(b[0], x);
      b[1] = Math.min(b[1], y);
      b[2] = Math.max(b[2], x);
      b[3] = Math.max(b[3], y);
    } else for (const inner of c as unknown[]) visit(inner);
  };
  if (f.geometry && "coordinates" in f.geometry) visit(f.geometry.coordinates);
  return b;
}

export function renderUnits(units: FeatureCollection | null, shownName: string, onPick: (unit: Feature) => void): void {
  const card = $("#units-card");
  card.hidden = !units;
  if (!units) return;
  const withPeople = units.features.filter((f) => Number(f.properties?.population ?? 0) > 0);
  const ranked = [...withPeople].sort(
    (a, b) => Number(a.properties?.shown_ratio) - Number(b.properties?.shown_ratio) || String(a.properties?.id).localeCompare(String(b.properties?.id)),
  );
  const worst = ranked[0];
  const name = (f: Feature) => String(f.properties?.name ?? f.properties?.id);
  const headline = $('[data-testid="units-headline"]');
  headline.textContent = worst
    ? t("units.headline", { n: int(units.features.length), name: name(worst), pct: pct(Number(worst.properties?.shown_ratio)) })
    : t("units.none", { n: int(units.features.length) });
  headline.dataset.worst = worst ? String(worst.properties?.shown_ratio) : "";
  $("#units-showing").textContent = t("units.showing", { what: shownName });
  const body = $('[data-testid="units-table"] tbody');
  body.replaceChildren(
    ...ranked.slice(0, LISTED).map((f) => {
      const row = el(
        "tr",
        { tabindex: "0", "data-id": String(f.properties?.id), "data-value": String(f.properties?.shown_ratio) },
        el("td", {}, name(f)),
        el("td", { class: "num" }, int(Number(f.properties?.population ?? 0))),
        el("td", { class: "num" }, pct(Number(f.properties?.shown_ratio))),
      );
      row.addEventListener("click", () => onPick(f));
      return row;
    }),
  );
  $("#units-more").textContent =
    ranked.length > LISTED ? t("units.more", { n: int(ranked.length - LISTED) }) : "";
}
