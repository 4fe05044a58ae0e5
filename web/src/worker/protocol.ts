// Messages between the page and the engine worker. One request at a time runs in the
// worker (it is single-threaded); the page matches answers to requests by `id`.

import type { Params, Role } from "../types";

export type Request =
  | { op: "init" }
  | { op: "load"; role: Role | "candidates" | "units"; name: string; bytes?: Uint8Array; reuse?: string; filter?: string }
  | { op: "loadOsm"; name: string; bytes: Uint8Array; centersFilter?: string; demandFilter?: string }
  | { op: "setParams"; params: Params }
  | { op: "setServices"; name: string; text: string | null }
  | { op: "coverage" }
  | { op: "evaluateCandidate"; lon: number; lat: number }
  | { op: "evaluateRemoval"; centerId: string }
  | { op: "addCenter"; lon: number; lat: number; name?: string; tier?: string }
  | { op: "removeCenter"; centerId: string }
  | { op: "restoreCenter"; centerId: string }
  | { op: "centers" }
  | { op: "serviceAreas" }
  | { op: "reportHtml"; lang: "en" | "zh" }
  | { op: "optimize"; model: "mclp" | "lscp" | "pmedian"; options: Record<string, unknown> };

// `id` numbers the request; payload fields never use that name.
export type Envelope = { id: number } & Request;

export type Reply =
  | { id: number; kind: "ok"; result: unknown; workerMs: number }
  | { id: number; kind: "error"; message: string }
  | { id: number; kind: "progress"; fraction: number; stage: string };
