// Which coverage the map and the units show: any center (the headline), complete
// coverage, or one tier or service of the catalogue. Residents carry `lacks`
// ("|tier:ID|service:ID|", what is not within its threshold), so a requirement's
// colouring is a substring test, not a new layer.

import type { ExpressionSpecification } from "maplibre-gl";
import type { CoverageView } from "../types";

/** "any", "complete", "tier:ID" or "service:ID". */
export type Requirement = string;

export const ANY: Requirement = "any";
export const COMPLETE: Requirement = "complete";

export interface RequirementFigures {
  key: Requirement;
  name: string;
  /** Population covered for this requirement, and its share of all. */
  coveredPopulation: number;
  coverageRatio: number;
  /** Eligible centers (tiers and services). */
  centers: number | null;
  thresholdMin: number | null;
  thresholdM: number | null;
  required: boolean;
}

type TierCoverage = NonNullable<CoverageView["tiers"]>;

/** Every requirement the view can show: complete, then each tier, then each service. */
export function requirements(view: CoverageView): RequirementFigures[] {
  const tiers = view.tiers;
  if (!tiers) return [];
  const of = (kind: "tier" | "service", list: TierCoverage["tiers"]) =>
    list.map((r) => ({
      key: `${kind}:${r.id}`,
      name: r.name,
      coveredPopulation: r.covered_population,
      coverageRatio: r.coverage_ratio,
      centers: r.centers,
      thresholdMin: r.threshold_min,
      thresholdM: r.threshold_m,
      required: r.required,
    }));
  return [
    {
      key: COMPLETE,
      name: "",
      coveredPopulation: tiers.complete_population,
      coverageRatio: tiers.complete_ratio,
      centers: null,
      thresholdMin: null,
      thresholdM: null,
      required: true,
    },
    ...of("tier", tiers.tiers),
    ...of("service", tiers.services),
  ];
}

/** The requirement to show in `view`: `wanted` when the view has it, else any center. */
export function resolve(view: CoverageView | null, wanted: Requirement): Requirement {
  if (!view || wanted === ANY) return ANY;
  return requirements(view).some((r) => r.key === wanted) ? wanted : ANY;
}

/** Whether a resident counts as covered for `req`, as a map expression. */
export function coveredExpression(req: Requirement): ExpressionSpecification {
  if (req === ANY) return ["==", ["get", "covered"], true];
  if (req === COMPLETE) return ["==", ["get", "complete"], true];
  return ["!", ["in", `|${req}|`, ["coalesce", ["get", "lacks"], ""]]];
}

/** Each unit's coverage ratio for `req`, by unit id. */
export function unitRatios(view: CoverageView, req: Requirement): Map<string, number> {
  const ratios = new Map<string, number>();
  const units = view.layers.units?.features ?? [];
  if (req === ANY || !view.tiers?.per_unit) {
    for (const f of units) ratios.set(String(f.properties?.id), Number(f.properties?.coverage_ratio ?? 0));
    return ratios;
  }
  const [kind, id] = req.split(/:(.*)/s);
  for (const u of view.tiers.per_unit) {
    const list = kind === "tier" ? u.tiers : u.services;
    const ratio = req === COMPLETE ? u.complete_ratio : (list.find((r) => r.id === id)?.coverage_ratio ?? 0);
    ratios.set(u.id, ratio);
  }
  return ratios;
}
