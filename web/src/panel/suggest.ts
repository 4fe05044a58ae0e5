// "Suggest k sites": progress while the optimiser runs, then the ranked sites.

import { t } from "../i18n";
import { $, el, int, pct } from "../format";
import type { PlanSite, PlanView } from "../types";

export function renderProgress(fraction: number | null, stage = ""): void {
  const box = $('[data-testid="suggest-progress"]');
  if (fraction === null) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const f = Math.max(0, Math.min(1, fraction));
  ($(".progress-fill", box) as HTMLElement).style.width = `${(f * 100).toFixed(1)}%`;
  box.dataset.value = f.toFixed(3);
  $(".progress-label", box).textContent = t("suggest.stage", { stage: stage || t("suggest.running"), pct: Math.round(f * 100) });
}

export function renderPlan(
  plan: PlanView | null,
  handlers: { onSite: (site: PlanSite) => void; onAddAll: () => void },
): void {
  const box = $('[data-testid="suggest-results"]');
  box.replaceChildren();
  if (!plan) {
    box.dataset.count = "0";
    return;
  }
  box.dataset.count = String(plan.sites.length);
  const figures = { n: plan.sites.length, before: pct(plan.coverage_ratio_before), after: pct(plan.coverage_ratio_after) };
  box.append(
    el(
      "p",
      { class: "plan-headline" },
      plan.site_tier ? t("suggest.tierResult", { ...figures, tier: plan.site_tier }) : t("suggest.result", figures),
    ),
  );
  if (plan.units) box.append(unitsBlock(plan.units, plan.sites.length));
  const list = el("ol", { class: "sites" });
  let covered = plan.covered_population_before;
  for (const site of plan.sites) {
    covered += site.gain;
    const li = el(
      "li",
      { tabindex: "0", "data-rank": String(site.rank), "data-gain": String(site.gain) },
      el("span", { class: "site-rank" }, String(site.rank)),
      el("span", { class: "site-gain" }, t("suggest.gain", { gain: int(site.gain) })),
      el("span", { class: "site-cov" }, pct(covered / plan.total_population)),
      el("span", { class: "site-pos muted" }, `${site.lonlat[0].toFixed(4)}, ${site.lonlat[1].toFixed(4)}`),
    );
    li.addEventListener("click", () => handlers.onSite(site));
    list.append(li);
  }
  box.append(list);
  box.append(
    el(
      "p",
      { class: "muted small" },
      bound(plan),
      el("br"),
      t("suggest.meta", { cand: int(plan.candidates ?? 0), useful: int(plan.useful_candidates ?? 0), ms: Math.round(plan.elapsedMs ?? 0) }),
    ),
  );
  for (const note of plan.notes ?? []) box.append(el("p", { class: "muted small" }, note));
  if (plan.sites.length > 0) {
    const add = el("button", { type: "button", class: "primary", "data-testid": "suggest-add-all" }, t("suggest.addAll"));
    add.addEventListener("click", handlers.onAddAll);
    box.append(add);
  }
}

/** How good the plan is, in words: proven best, or how far from the bound at most. */
function bound(plan: PlanView): string {
  const method = t(plan.method === "exact" ? "method.exact" : plan.method === "greedy" ? "method.greedy" : "method.greedySwap");
  const n = plan.sites.length;
  if (plan.gap < 0.5) return t("suggest.optimal", { n, method });
  return t("suggest.bound", { n, bound: int(plan.bound), gap: int(plan.gap), method });
}

type UnitPlan = NonNullable<PlanView["units"]>;

/** The unit rule's outcome: floor met or not (and the sites that would meet it), the
 * worst-served unit before and after. */
function unitsBlock(units: UnitPlan, k: number): HTMLElement {
  const box = el("div", {
    class: "plan-units",
    "data-testid": "plan-units",
    "data-floor-met": String(units.floor_met ?? ""),
    "data-sites-needed": String(units.sites_needed_for_floor ?? ""),
    "data-worst-before": String(units.worst_ratio_before ?? ""),
    "data-worst-after": String(units.worst_ratio_after ?? ""),
  });
  const ratio = (r: number | null) => (r == null ? "–" : pct(r));
  if (units.rule.rule === "floor") {
    const floor = pct(units.rule.ratio, 0);
    const line = units.floor_met
      ? t("suggest.floorMet", { floor })
      : units.sites_needed_for_floor != null
        ? t(units.sites_needed_at_least != null && units.sites_needed_at_least < units.sites_needed_for_floor ? "suggest.floorUnmetRange" : "suggest.floorUnmet", {
            floor,
            k,
            needed: int(units.sites_needed_for_floor),
            least: int(units.sites_needed_at_least ?? units.sites_needed_for_floor),
          })
        : t("suggest.floorUnreachable", { floor });
    box.append(el("p", { class: units.floor_met ? "ok" : "warn" }, line));
  }
  box.append(el("p", {}, t("suggest.worst", { before: ratio(units.worst_ratio_before), after: ratio(units.worst_ratio_after) })));
  if (units.units_out_of_reach > 0) box.append(el("p", { class: "muted small" }, t("suggest.outOfReach", { n: int(units.units_out_of_reach) })));
  const changed = units.units
    .filter((u) => u.ratio_after != null && u.ratio_before != null && u.ratio_after > u.ratio_before)
    .sort((a, b) => (b.ratio_after! - b.ratio_before!) - (a.ratio_after! - a.ratio_before!) || a.id.localeCompare(b.id))
    .slice(0, 5);
  if (changed.length) {
    box.append(
      el(
        "ul",
        { class: "unit-gains small" },
        ...changed.map((u) => el("li", {}, `${u.name ?? u.id}: ${ratio(u.ratio_before)} → ${ratio(u.ratio_after)}`)),
      ),
    );
  }
  return box;
}
