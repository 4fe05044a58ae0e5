// Shapes of the objects the lifecircle-wasm package returns: its own declarations
// (wasm/src/types.d.ts, shipped in the package), plus the names the viewer uses for parts.

import type { CoverageView, GapRow, ParamsInput, PlanView } from "lifecircle-wasm";

export type {
  CenterInfo,
  CoverageSummary,
  CoverageView,
  HistogramBin,
  LoadReport,
  NetworkStats,
  OsmLoadReport,
  PlanView,
  Profile,
  SiteChange,
} from "lifecircle-wasm";

export type Role = "roads" | "centers" | "demand";
/** Every file the page reads: the three layers, reporting units and a tiers-and-services config. */
export type FileRole = Role | "units" | "services";
export type LargestGap = GapRow;
export type Layers = CoverageView["layers"];
export type PlanSite = PlanView["sites"][number];
export type Params = ParamsInput;
