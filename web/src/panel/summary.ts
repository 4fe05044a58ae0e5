// The summary figures at the top of the panel. Each figure carries its exact value in
// `data-value` (the text is rounded for reading).

import { t } from "../i18n";
import { $, int, minutes, pct } from "../format";
import type { CoverageView } from "../types";

function set(testid: string, text: string, value: number | string) {
  const node = $(`[data-testid="${testid}"]`);
  node.textContent = text;
  node.dataset.value = String(value);
}

export function renderSummary(view: CoverageView | null): void {
  if (!view) {
    for (const id of ["coverage-pct", "covered-pop", "total-pop", "gap-count", "largest-gap"]) set(id, "–", "");
    $("#median-walk").textContent = "–";
    $("#summary-note").textContent = "";
    ($("#coverage-bar") as HTMLElement).style.width = "0";
    $(".big-label").textContent = t("summary.coverage", { min: 10 });
    $("#summary-warn").hidden = true;
    return;
  }
  const s = view.summary;
  set("coverage-pct", pct(s.coverage_ratio), s.coverage_ratio);
  set("covered-pop", int(s.covered_population), s.covered_population);
  set("total-pop", int(s.total_population), s.total_population);
  set("gap-count", int(view.gapCount), view.gapCount);
  set(
    "largest-gap",
    view.largestGap ? `${int(view.largestGap.population)} ${t("summary.residents")}` : "–",
    view.largestGap ? view.largestGap.population : 0,
  );
  $("#median-walk").textContent = s.median_walk_min == null ? "–" : `${minutes(s.median_walk_min)} ${t("unit.min")}`;
  $(".big-label").textContent =
    view.thresholdM != null ? t("summary.coverageM", { m: view.thresholdM }) : t("summary.coverage", { min: view.thresholdMin });
  ($("#coverage-bar") as HTMLElement).style.width = `${(s.coverage_ratio * 100).toFixed(2)}%`;
  $("#summary-note").textContent = t("summary.note", {
    unreachable: int(Number(s.too_far_from_network_population ?? 0)),
    nopath: int(Number(s.no_path_population ?? 0)),
    ms: Math.round(view.elapsedMs),
  });
  // Centers that join no footpath serve no one: say so, loudest when none joins.
  const warn = $("#summary-warn");
  const off = s.centers_too_far_from_network;
  warn.hidden = off === 0;
  warn.dataset.value = String(off);
  warn.textContent =
    off === 0 ? "" : off === s.centers ? t("summary.centersAllOff", { n: int(s.centers) }) : t("summary.centersOff", { off: int(off), n: int(s.centers) });
}
