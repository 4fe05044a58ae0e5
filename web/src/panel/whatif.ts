// The what-if card over the map: the gain of a clicked site, or the loss of closing a center.

import { t } from "../i18n";
import { $, el, int, minutes, pct, signed } from "../format";
import type { SiteChange } from "../types";

export type WhatIf =
  | { kind: "site"; lon: number; lat: number; change: SiteChange | null }
  | { kind: "center"; id: string; name: string; removed: boolean; change: SiteChange | null };

let seq = 0;

export function hideWhatIf(): void {
  $("#whatif-card").hidden = true;
}

export function renderWhatIf(w: WhatIf | null, thresholdLabel: string): void {
  const card = $("#whatif-card");
  if (!w) {
    card.hidden = true;
    return;
  }
  card.hidden = false;
  const gain = $('[data-testid="whatif-gain"]');
  const cov = $('[data-testid="whatif-coverage"]');
  const details = $("#whatif-details");
  const add = $("#add-site") as HTMLButtonElement;
  const remove = $("#remove-site") as HTMLButtonElement;
  card.dataset.kind = w.kind;
  $("#whatif-kind").textContent =
    w.kind === "site"
      ? `${t("whatif.newSite")} · ${w.lon.toFixed(5)}, ${w.lat.toFixed(5)}`
      : t("whatif.closeCenter", { name: w.name });
  add.hidden = w.kind !== "site";
  remove.hidden = w.kind !== "center";
  if (w.kind === "center") remove.textContent = t(w.removed ? "whatif.restore" : "whatif.remove");
  details.replaceChildren();
  const c = w.change;
  if (!c) {
    card.dataset.state = w.kind === "center" && w.removed ? "ready" : "pending";
    gain.textContent = w.kind === "center" && w.removed ? "" : "…";
    gain.dataset.value = "";
    cov.textContent = "…";
    cov.dataset.value = "";
    $("#whatif-before").textContent = "";
    $("#whatif-unit").textContent = w.kind === "center" && w.removed ? t("whatif.removed") : t("whatif.evaluating");
    add.disabled = true;
    remove.disabled = !(w.kind === "center" && w.removed);
    return;
  }
  seq += 1;
  card.dataset.state = "ready";
  card.dataset.seq = String(seq);
  const change = c.covered_population_change;
  gain.textContent = signed(change);
  gain.dataset.value = String(change);
  gain.classList.toggle("negative", change < 0);
  gain.classList.toggle("positive", change > 0);
  $("#whatif-unit").textContent = t(w.kind === "site" ? "whatif.gainUnit" : "whatif.lossUnit", { t: thresholdLabel });
  $("#whatif-before").textContent = pct(c.coverage_ratio_before);
  cov.textContent = pct(c.coverage_ratio_after);
  cov.dataset.value = String(c.coverage_ratio_after);
  const items: string[] = [];
  if (w.kind === "site" && !c.snapped) items.push(t("whatif.notSnapped"));
  if (c.shorter_walk_population > 0) items.push(t("whatif.shorter", { pop: int(c.shorter_walk_population) }));
  if (c.longer_walk_population > 0) items.push(t("whatif.longer", { pop: int(c.longer_walk_population) }));
  if (c.mean_walk_before_min != null && c.mean_walk_after_min != null)
    items.push(t("whatif.meanWalk", { before: minutes(c.mean_walk_before_min), after: minutes(c.mean_walk_after_min) }));
  if (Math.abs(c.walk_minutes_saved) >= 1 && c.walk_minutes_saved > 0)
    items.push(t("whatif.saved", { min: int(c.walk_minutes_saved) }));
  for (const item of items) details.append(el("li", {}, item));
  add.disabled = w.kind === "site" && !c.snapped;
  remove.disabled = false;
}
