// Scenario state in the URL, so a link reproduces a view:
//   minutes=10  threshold (min; `t=` also read)   p=adult|older|wheelchair
//   metres=500  threshold as a walking distance instead
//   bands=1     the standard circles side by side (5/10/15 min or 300/500/1,000 m)
//   add=lon,lat;lon,lat           sites added to the centers
//   rm=id;id                      centers closed
//   svc=library|townhall          services counted (OSM centers only)
//   v=lon,lat,zoom                the map view            lang=en|zh
// Data files served beside the viewer (e.g. by `lifecircle serve`):
//   roads=URL centers=URL demand=URL centersFilter=FILTER demandFilter=FILTER

import type { Profile } from "../types";

export interface UrlState {
  threshold: number | null;
  thresholdM: number | null;
  bands: boolean;
  profile: Profile | null;
  added: Array<[number, number]>;
  removed: string[];
  services: string[] | null;
  view: { center: [number, number]; zoom: number } | null;
  lang: string | null;
  roads: string | null;
  centers: string | null;
  demand: string | null;
  centersFilter: string | null;
  demandFilter: string | null;
}

const PROFILES: Profile[] = ["adult", "older", "wheelchair"];

export function readUrl(search = location.search): UrlState {
  const q = new URLSearchParams(search);
  const num = (s: string | null) => (s != null && s !== "" && Number.isFinite(Number(s)) ? Number(s) : null);
  const p = q.get("p");
  const added: Array<[number, number]> = [];
  for (const pair of (q.get("add") ?? "").split(";")) {
    const [lon, lat] = pair.split(",").map(Number);
    if (pair && Number.isFinite(lon) && Number.isFinite(lat)) added.push([lon, lat]);
  }
  let view: UrlState["view"] = null;
  const v = (q.get("v") ?? "").split(",").map(Number);
  if (v.length === 3 && v.every(Number.isFinite)) view = { center: [v[0], v[1]], zoom: v[2] };
  const svc = q.get("svc");
  return {
    threshold: num(q.get("minutes")) ?? num(q.get("t")),
    thresholdM: num(q.get("metres")) ?? num(q.get("meters")),
    bands: q.get("bands") === "1",
    profile: PROFILES.includes(p as Profile) ? (p as Profile) : null,
    added,
    removed: (q.get("rm") ?? "").split(";").filter(Boolean),
    services: svc == null ? null : svc.split("|").filter(Boolean),
    view,
    lang: q.get("lang"),
    roads: q.get("roads"),
    centers: q.get("centers"),
    demand: q.get("demand"),
    centersFilter: q.get("centersFilter"),
    demandFilter: q.get("demandFilter"),
  };
}

/** Writes the state into the address bar (replaceState: no history entry per click). */
export function writeUrl(state: UrlState): void {
  const q = new URLSearchParams();
  // Data parameters first, unchanged, so the link still points at the same files.
  for (const key of ["roads", "centers", "demand", "centersFilter", "demandFilter"] as const) {
    const value = state[key];
    if (value) q.set(key, value);
  }
  if (state.thresholdM != null) q.set("metres", String(state.thresholdM));
  else if (state.threshold != null) q.set("minutes", String(state.threshold));
  if (state.bands) q.set("bands", "1");
  if (state.profile && state.profile !== "adult") q.set("p", state.profile);
  if (state.added.length) q.set("add", state.added.map(([lon, lat]) => `${lon.toFixed(6)},${lat.toFixed(6)}`).join(";"));
  if (state.removed.length) q.set("rm", state.removed.join(";"));
  if (state.services) q.set("svc", state.services.join("|"));
  if (state.view) {
    const { center, zoom } = state.view;
    q.set("v", `${center[0].toFixed(5)},${center[1].toFixed(5)},${zoom.toFixed(2)}`);
  }
  if (state.lang) q.set("lang", state.lang);
  const search = q.toString().replace(/%2C/g, ",").replace(/%3B/g, ";").replace(/%7C/g, "|").replace(/%2F/g, "/");
  history.replaceState(null, "", `${location.pathname}${search ? `?${search}` : ""}${location.hash}`);
}
