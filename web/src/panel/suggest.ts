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
  box.append(
    el(
      "p",
      { class: "plan-headline" },
      t("suggest.result", {
        n: plan.sites.length,
        before: pct(plan.coverage_ratio_before),
        after: pct(plan.coverage_ratio_after),
      }),
    ),
  );
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
      t("suggest.bound", { bound: int(plan.bound), gap: int(plan.gap), method: plan.method }),
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
