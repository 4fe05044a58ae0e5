// Shapes of the objects the lifecircle-wasm package returns (see wasm/API.md).
// They are plain JSON-compatible objects; snake_case keys come straight from the core.

import type { FeatureCollection } from "geojson";

export type Profile = "adult" | "older" | "wheelchair";
export type Role = "roads" | "centers" | "demand";

export interface LoadReport {
  source: string;
  featuresUsed: number;
  skippedTotal: number;
  skipped: Record<string, number>;
}

export interface HistogramBin {
  label?: string;
  from_min: number;
  to_min: number | null;
  residents: number;
  population: number;
}

export interface CoverageSummary {
  residents: number;
  total_population: number;
  covered_population: number;
  coverage_ratio: number;
  uncovered_reachable_population?: number;
  too_far_from_network_population?: number;
  no_path_population?: number;
  mean_walk_min?: number | null;
  median_walk_min?: number | null;
  centers?: number;
  histogram?: HistogramBin[];
  [key: string]: unknown;
}

export interface NetworkStats {
  nodes: number;
  edges: number;
  length_km: number;
  components: number;
  [key: string]: unknown;
}

export interface LargestGap {
  population: number;
  residents: number;
  centroid: [number, number];
}

export interface Layers {
  network: FeatureCollection;
  demand: FeatureCollection;
  gaps: FeatureCollection;
  /** Not in views from the engine: fetched on their own when shown or exported. */
  serviceAreas?: FeatureCollection;
  centers: FeatureCollection;
}

export interface CoverageView {
  summary: CoverageSummary;
  network: NetworkStats;
  gapCount: number;
  gapPopulation: number;
  largestGap: LargestGap | null;
  layers: Layers;
  bounds: [number, number, number, number];
  thresholdMin: number;
  elapsedMs: number;
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
  snapped: boolean;
}

export interface CenterInfo {
  id: string;
  name: string;
  lon: number;
  lat: number;
  added: boolean;
  removed: boolean;
}

export interface PlanSite {
  rank: number;
  id: string;
  lonlat: [number, number];
  gain: number;
}

export interface PlanView {
  model: "mclp" | "lscp" | "pmedian";
  method: string;
  sites: PlanSite[];
  objective: number;
  bound: number;
  bound_kind: string;
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
  candidates: number;
  elapsedMs: number;
}

export interface Params {
  thresholdMin?: number;
  speedKmh?: number;
  profile?: Profile;
  maxSnapM?: number;
  gapLinkM?: number;
}
