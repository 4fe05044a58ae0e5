// The gaps table: the largest uncovered areas; a click on a row flies the map there.

import type { FeatureCollection } from "geojson";
import { t } from "../i18n";
import { $, el, int, minutes } from "../format";

const SHOWN = 100;

export function renderGaps(gaps: FeatureCollection | null, onPick: (centroid: [number, number], rank: number) => void): void {
  const table = $('[data-testid="gaps-table"]');
  const body = table.querySelector("tbody")!;
  body.replaceChildren();
  const subtitle = $("#gaps-subtitle");
  if (!gaps) {
    subtitle.textContent = "";
    return;
  }
  const rows = [...gaps.features].sort((a, b) => Number(a.properties?.rank ?? 0) - Number(b.properties?.rank ?? 0));
  const total = rows.reduce((s, f) => s + Number(f.properties?.population ?? 0), 0);
  subtitle.textContent = t("gaps.subtitle", { n: int(rows.length), pop: int(total) });
  if (rows.length === 0) {
    body.append(el("tr", {}, el("td", { colspan: "4", class: "muted" }, t("gaps.none"))));
    return;
  }
  for (const f of rows.slice(0, SHOWN)) {
    const p = f.properties ?? {};
    const tr = el(
      "tr",
      { tabindex: "0", "data-rank": String(p.rank) },
      el("td", {}, String(p.rank)),
      el("td", { class: "num" }, int(Number(p.population ?? 0))),
      el("td", { class: "num" }, `${minutes(p.mean_walk_min as number)} ${t("unit.min")}`),
      el("td", { class: "num" }, `${minutes(p.max_walk_min as number)} ${t("unit.min")}`),
    );
    const go = () => {
      for (const r of body.querySelectorAll("tr.selected")) r.classList.remove("selected");
      tr.classList.add("selected");
      onPick(p.centroid as [number, number], Number(p.rank));
    };
    tr.addEventListener("click", go);
    tr.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        go();
      }
    });
    body.append(tr);
  }
  if (rows.length > SHOWN) body.append(el("tr", {}, el("td", { colspan: "4", class: "muted" }, t("gaps.more", { n: SHOWN }))));
}
