// Types of the plain objects CoverageModel returns and takes (JSON-compatible).
// Keys in snake_case are the core's own (as in the CLI's summary.json and plan.json).

export type Profile = "adult" | "older" | "wheelchair";
export type PlanModelName = "mclp" | "lscp" | "pmedian";

export interface FeatureCollection {
  type: "FeatureCollection";
  features: { type: "Feature"; geometry: any; properties: Record<string, any> }[];
}

export interface LoadReport {
  source: string;
  featuresUsed: number;
  skippedTotal: number;
  /** Features kept with a note: an id renamed, a population defaulted to 1. */
  notedTotal: number;
  skipped: Record<string, number>;
}

/** What `loadOsm` read: one report per layer (`null` for a layer without a filter). */
export interface OsmLoadReport {
  roads: LoadReport;
  centers: LoadReport | null;
  demand: LoadReport | null;
}

export interface ParamsInput {
  /** Threshold as a walking time, minutes (switches a distance threshold back to time). */
  thresholdMin?: number;
  /** Threshold as a walking distance along the network, metres (GB 50180-2018's rule). Not with `thresholdMin`. */
  thresholdM?: number;
  /** More thresholds side by side, in the threshold's unit (`[5, 15]` beside 10 minutes); `[]` for one. Dropped when the unit switches without them. */
  bands?: number[];
  speedKmh?: number;
  profile?: Profile;
  maxSnapM?: number;
  gapLinkM?: number;
  /** Accessibility scores: "2sfca", "e2sfca" (Gaussian decay), or "none" (default) to turn them off. */
  access?: "2sfca" | "e2sfca" | "none";
  /** The center property holding each center's capacity (default "capacity"; missing ones count 1). */
  capacityField?: string;
}

export interface LimitsInput {
  /** Largest input after gzip decompression, MiB (default 512). */
  maxInputMb?: number;
  /** Largest number of features in one file. */
  maxFeatures?: number;
}

export interface Params {
  /** Not used while `thresholdM` is set. */
  thresholdMin: number;
  /** The threshold as a walking distance, metres, or null for a walking time. */
  thresholdM: number | null;
  /** The other bands, in the threshold's unit. */
  bands: number[];
  speedKmh: number;
  profile: Profile;
  maxSnapM: number;
  gapLinkM: number;
  access: "2sfca" | "e2sfca" | null;
  capacityField: string;
}

export interface BandCoverage {
  label: string;
  threshold_min?: number;
  threshold_m?: number;
  covered_population: number;
  coverage_ratio: number;
  residents_covered: number;
  uncovered_reachable_population: number;
  per_unit: { id: string; covered_population: number; coverage_ratio: number }[];
}

export interface HistogramBin {
  label: string;
  from_min: number;
  to_min: number | null;
  residents: number;
  population: number;
}

export interface CoverageSummary {
  residents: number;
  total_population: number;
  covered_population: number;
  uncovered_reachable_population: number;
  too_far_from_network_population: number;
  no_path_population: number;
  coverage_ratio: number;
  residents_covered: number;
  residents_uncovered_reachable: number;
  residents_too_far_from_network: number;
  residents_no_path: number;
  mean_walk_min: number | null;
  median_walk_min: number | null;
  histogram: HistogramBin[];
  centers: number;
  centers_too_far_from_network: number;
  per_center: {
    id: string;
    status: string;
    served_population: number;
    served_residents: number;
    nearest_population: number;
  }[];
  per_unit: any[];
  residents_outside_units: number;
}

export interface NetworkStats {
  nodes: number;
  edges: number;
  length_km: number;
  components: number;
  eligible_components: number;
  island_nodes: number;
  island_edges: number;
  largest_component_node_share: number;
  edges_with_elevation: number;
}

export interface GapRow {
  rank: number;
  population: number;
  residents: number;
  unreachable_population: number;
  mean_walk_min: number | null;
  max_walk_min: number | null;
  centroid: [number, number];
}

export interface CoverageView {
  summary: CoverageSummary;
  network: NetworkStats;
  gapCount: number;
  gapPopulation: number;
  largestGap: GapRow | null;
  /** The largest gaps (up to 200); the `gaps` layer holds them all. */
  gaps: GapRow[];
  /** West, south, east, north of the roads. */
  bounds: [number, number, number, number];
  /** The threshold in minutes (for a distance: the minutes it takes at `speedKmh`). */
  thresholdMin: number;
  /** The threshold as a walking distance, metres, or null for a walking time. */
  thresholdM: number | null;
  speedKmh: number;
  /** Tier and service coverage (after setServices), as the CLI's summary.json "tiers". */
  tiers: TierCoverage | null;
  /** With bands: each circle's coverage, smallest first, as summary.json "bands" (the network and demand layers then carry `band_min` or `band_m`). */
  bands?: BandCoverage[];
  /** With access on: the 2SFCA figures, as summary.json "accessibility" (residents then carry `access_score` and `centers_within`, units `access_score_mean` and `centers_within_mean`). */
  accessibility?: Accessibility;
  layers: {
    /** Left out after setLayersAsBytes(true): in `layerBytes`. */
    network?: FeatureCollection;
    /** Left out after setLayersAsBytes(true): in `layerBytes`. With tiers: each resident also carries `complete` and `lacks`, every tier and service not within its threshold as "|tier:ID|service:ID|" (empty when none), so a map style can test one with `["in", "|service:ID|", ["get", "lacks"]]`. */
    demand?: FeatureCollection;
    gaps: FeatureCollection;
    /** Left out after setServiceAreasInView(false): fetch with serviceAreas(). */
    serviceAreas?: FeatureCollection;
    centers: FeatureCollection;
    /** After loadUnits: one polygon per reporting unit with its coverage, as units.geojson (with bands `coverage_by_band`, with tiers `complete_ratio`, `tier_coverage`, `service_coverage`). */
    units?: FeatureCollection;
  };
  /** After setLayersAsBytes(true): the network and demand layers as GeoJSON text (UTF-8 bytes), the same features `layers` would hold. */
  layerBytes?: { network: Uint8Array; demand: Uint8Array };
  /** After setLayersAsBytes(true): per resident, in the demand layer's order, its `walk_min` (NaN where there is no walk) and `population`. */
  residentColumns?: { walkMin: Float64Array; population: Float64Array };
  elapsedMs: number;
  /** addCenter only: the new site's id. */
  addedId?: string;
}

export interface RequirementCoverage {
  id: string;
  name: string;
  tier: string | null;
  /** For a distance: the minutes it takes at the costs' speed. */
  threshold_min: number;
  /** The threshold as a walking distance, metres, when it is one. */
  threshold_m: number | null;
  required: boolean;
  centers: number;
  covered_population: number;
  coverage_ratio: number;
  residents_covered: number;
  gap_count: number;
  gap_population: number;
}

export interface UnitRequirement {
  id: string;
  covered_population: number;
  coverage_ratio: number;
}

export interface UnitTierCoverage {
  id: string;
  name: string | null;
  population: number;
  complete_population: number;
  complete_ratio: number;
  tiers: UnitRequirement[];
  services: UnitRequirement[];
}

export interface UpgradeOption {
  center: string;
  center_index: number;
  tier: string;
  service: string;
  newly_complete_population: number;
  newly_served_population: number;
}

export interface TierCoverage {
  config: string | null;
  tiers: RequirementCoverage[];
  services: RequirementCoverage[];
  complete_population: number;
  complete_ratio: number;
  residents_complete: number;
  total_population: number;
  /** With tag rules: centers matched per rule, and those none matched (they count for no tier). */
  center_rules?: {
    rules: { rule: string; tier: string; centers: number }[];
    by_property: number;
    unmatched: number;
    unmatched_ids: string[];
  };
  /** After loadUnits: every unit's coverage by tier and service. */
  per_unit?: UnitTierCoverage[];
  /** Services existing centers could add, most people newly complete first (best 20). */
  upgrades?: UpgradeOption[];
  upgrade_options?: number;
}

export interface Accessibility {
  method: "2sfca" | "e2sfca";
  score_unit: string;
  capacity_field: string;
  centers_with_capacity: number;
  centers_capacity_defaulted: number;
  total_capacity: number;
  mean_score: number;
  mean_centers_within: number;
  population_without_center: number;
  per_unit: { id: string; mean_score: number; mean_centers_within: number }[];
}

export interface SiteChange {
  covered_population_before: number;
  covered_population_after: number;
  covered_population_change: number;
  newly_covered_residents: number;
  no_longer_covered_residents: number;
  shorter_walk_population: number;
  longer_walk_population: number;
  mean_walk_before_min: number | null;
  mean_walk_after_min: number | null;
  mean_walk_change_min: number | null;
  walk_minutes_saved: number;
  coverage_ratio_before: number;
  coverage_ratio_after: number;
  total_population: number;
  /** False when the point is farther than maxSnapM from the network. */
  snapped: boolean;
  /** Why nothing changes, when `snapped` is false. */
  reason?: string;
  elapsedMs: number;
}

export interface CenterInfo {
  id: string;
  name: string;
  lon: number;
  lat: number;
  tier: string | null;
  added: boolean;
  removed: boolean;
}

export interface RankOptions {
  spacingM?: number;
  limit?: number;
}

export interface CandidateGain {
  id: string;
  lon: number;
  lat: number;
  rank: number;
  snapped: boolean;
  covered_population_gain: number;
  newly_covered_residents: number;
  shorter_walk_population: number;
  walk_minutes_saved: number;
}

export interface OptimizeOptions {
  k?: number;
  targetRatio?: number;
  spacingM?: number;
  exact?: boolean;
  capacity?: number;
  /** Existing centers may close (relocation). */
  allowClosing?: boolean;
  /** With allowClosing: most existing centers that may close. */
  maxClosed?: number;
  /** After loadUnits (MCLP): every unit the candidates can bring there reaches this coverage ratio, in (0, 1]. */
  unitFloor?: number;
  /** After loadUnits (MCLP): raise the worst-served unit first (not with unitFloor). */
  maximin?: boolean;
  /** After setServices: the new sites are centers of this tier offering its services; the figures are then complete coverage. */
  siteTier?: string;
}

export interface PlanView {
  model: PlanModelName;
  method: string;
  sites: { rank: number; candidate: number; id: string; lonlat: [number, number]; gain: number }[];
  objective: number;
  bound: number;
  bound_kind: "optimal" | "lp_relaxation" | "greedy" | "largest_gains";
  gap: number;
  relative_gap: number;
  total_population: number;
  covered_population_before: number;
  covered_population_after: number;
  coverage_ratio_before: number;
  coverage_ratio_after: number;
  mean_walk_before_min: number | null;
  mean_walk_after_min: number | null;
  target_reached: boolean | null;
  max_reachable_ratio: number | null;
  notes: string[];
  useful_candidates: number;
  demand_groups: number;
  /** Existing centers the plan closes (allowClosing), by index in the open centers. */
  closed: {
    center: number;
    /** The id removeCenter takes. */
    id: string;
    served_population: number;
    covered_population_lost: number | null;
    walk_minutes_added: number | null;
  }[];
  /** Candidates considered. */
  candidates: number;
  /** With unitFloor / maximin: the rule, whether it was met and every unit before and after. */
  units: UnitPlan | null;
  /** A tier plan: the new sites' tier (the coverage figures are complete coverage). */
  site_tier: string | null;
  elapsedMs: number;
}

export interface UnitPlan {
  rule: { rule: "floor"; ratio: number } | { rule: "maximin" };
  floor_met: boolean | null;
  /** Floor not met with k sites: new sites that meet it, as few as a greedy choice finds. */
  sites_needed_for_floor: number | null;
  /** Floor not met: at least this many are needed (LP bound); equal to sites_needed_for_floor when that is proven the fewest. */
  sites_needed_at_least: number | null;
  worst_ratio_before: number | null;
  worst_ratio_after: number | null;
  units_below_floor_before: number | null;
  units_below_floor_after: number | null;
  units_out_of_reach: number;
  units: {
    id: string;
    name: string | null;
    population: number;
    covered_before: number;
    covered_after: number;
    ratio_before: number | null;
    ratio_after: number | null;
    max_reachable_ratio: number | null;
    out_of_reach: boolean;
  }[];
}
