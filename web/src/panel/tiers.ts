// The tiers card: complete coverage, every tier's and service's coverage (a row picks
// what the map and the units show), the best upgrades of existing centers, and the tier
// of new sites. Hidden without a catalogue.

import { t } from "../i18n";
import { $, el, int, pct } from "../format";
import { ANY, COMPLETE, requirements, type Requirement, type RequirementFigures } from "../state/requirement";
import type { CoverageView } from "../types";

export interface TierHandlers {
  onRequirement: (req: Requirement) => void;
  onSiteTier: (tier: string) => void;
}

/** The display name of `req` in `view`. */
export function requirementName(view: CoverageView | null, req: Requirement): string {
  if (req === ANY) return t("tiers.any");
  if (req === COMPLETE) return t("tiers.complete");
  return (view && requirements(view).find((r) => r.key === req)?.name) || req.replace(/^\w+:/, "");
}

function within(r: RequirementFigures): string {
  if (r.thresholdM != null) return `${int(r.thresholdM)} ${t("unit.m")}`;
  return r.thresholdMin != null ? `${Math.round(r.thresholdMin * 10) / 10} ${t("unit.min")}` : "";
}

export function renderTiers(view: CoverageView | null, shown: Requirement, siteTier: string, handlers: TierHandlers): void {
  const card = $("#tiers-card");
  const tiers = view?.tiers;
  card.hidden = !tiers;
  if (!view || !tiers) return;
  $("#tiers-config").textContent = tiers.config ?? "";
  const complete = $('[data-testid="complete-pct"]');
  complete.dataset.value = String(tiers.complete_ratio);
  complete.textContent = t("tiers.completeLine", { pct: pct(tiers.complete_ratio), pop: int(tiers.complete_population) });
  const rules = tiers.center_rules;
  $("#tiers-rules").textContent = rules
    ? t("tiers.rules", { matched: int(rules.rules.reduce((n, r) => n + r.centers, 0) + rules.by_property), unmatched: int(rules.unmatched) })
    : "";
  if (rules && rules.unmatched > 0) $("#tiers-rules").title = rules.unmatched_ids.join(", ");

  // What the map shows.
  const select = $('[data-testid="requirement-select"]') as HTMLSelectElement;
  const all = requirements(view);
  const option = (key: Requirement, text: string) => el("option", { value: key }, text);
  const group = (label: string, kind: string) =>
    el("optgroup", { label }, ...all.filter((r) => r.key.startsWith(`${kind}:`)).map((r) => option(r.key, r.name)));
  select.replaceChildren(
    option(ANY, t("tiers.any")),
    option(COMPLETE, t("tiers.complete")),
    group(t("tiers.tiersGroup"), "tier"),
    group(t("tiers.servicesGroup"), "service"),
  );
  select.value = shown;
  select.onchange = () => handlers.onRequirement(select.value);

  // Every tier and service, the shown one marked.
  const body = $('[data-testid="requirements-table"] tbody');
  body.replaceChildren(
    ...all.map((r) => {
      const name = r.key === COMPLETE ? t("tiers.complete") : r.name;
      const row = el(
        "tr",
        { "data-key": r.key, "data-value": String(r.coverageRatio), class: r.key === shown ? "shown" : "", tabindex: "0" },
        el("td", {}, name, r.required ? "" : el("span", { class: "muted" }, ` (${t("tiers.optional")})`)),
        el("td", { class: "num" }, within(r)),
        el("td", { class: "num" }, r.centers == null ? "" : int(r.centers)),
        el("td", { class: "num" }, pct(r.coverageRatio)),
      );
      row.addEventListener("click", () => handlers.onRequirement(r.key === shown ? ANY : r.key));
      return row;
    }),
  );

  // Upgrade before you build.
  const upgrades = $('[data-testid="upgrades"]');
  const listed = (tiers.upgrades ?? []).slice(0, 5);
  upgrades.replaceChildren(
    listed.length
      ? el(
          "ol",
          { class: "upgrades" },
          ...listed.map((u) =>
            el(
              "li",
              { "data-gain": String(u.newly_complete_population) },
              t("tiers.upgrade", {
                center: centerName(view, u.center),
                service: requirementName(view, `service:${u.service}`),
                complete: int(u.newly_complete_population),
                served: int(u.newly_served_population),
              }),
            ),
          ),
        )
      : el("p", { class: "muted small" }, t("tiers.noUpgrades")),
  );

  // The tier of the sites added and suggested.
  const tierSelect = $('[data-testid="site-tier"]') as HTMLSelectElement;
  tierSelect.replaceChildren(
    el("option", { value: "" }, t("tiers.siteTierNone")),
    ...tiers.tiers.map((tier) => el("option", { value: tier.id }, tier.name)),
  );
  tierSelect.value = tiers.tiers.some((tier) => tier.id === siteTier) ? siteTier : "";
  tierSelect.onchange = () => handlers.onSiteTier(tierSelect.value);
}

function centerName(view: CoverageView, id: string): string {
  const f = view.layers.centers.features.find((c) => String(c.properties?.id) === id);
  return String(f?.properties?.name ?? id);
}
