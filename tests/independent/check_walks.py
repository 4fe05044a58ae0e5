#!/usr/bin/env python3
"""Independent check of lifecircle's walk distances against design.md section 3.

Everything here is written from the written contract only (design.md section 3 and the
README), not from the Rust sources:

* network from GeoJSON lines: vertices rounded to 1e-7 degrees; a vertex is a node when it
  ends a line, is used by two or more lines, or is used twice by one line; edges join
  consecutive nodes along a line; edge length = sum of haversine segment lengths
  (R = 6,371,008.8 m);
* walkable rule on `highway` / `foot` / `access` (a line without `highway` is walkable);
* connected components; points snap only to components with >= min_component_nodes nodes;
* snapping: nearest point of the nearest eligible segment (searched in a local
  equirectangular projection), access leg and offsets along the edge in haversine metres,
  points farther than max_snap_m are `too_far_from_network`;
* walk(r) = min over centers c of access(r) + network path between the snapped positions
  (same-edge case included) + access(c); `no_path` when the resident's component has no
  reachable center; covered when walk / speed <= threshold.

The script generates seeded random centers and residents inside the roads' bounding box,
runs `lifecircle coverage` on the same files and compares per resident.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import subprocess
import sys
import time
from collections import defaultdict

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, dijkstra
import shapely

R_EARTH_M = 6_371_008.8
DEG = math.pi / 180.0
EXCLUDED_HIGHWAY = {
    "motorway", "motorway_link", "construction", "proposed", "abandoned", "raceway",
    "bus_guideway",
}
FOOT_OVERRIDES_ACCESS = {"yes", "designated", "permissive"}


# ----------------------------------------------------------------------------- geometry

def haversine(lon1, lat1, lon2, lat2):
    """Great-circle distance in metres (numpy-vectorised)."""
    lon1, lat1, lon2, lat2 = (np.asarray(a, dtype=float) * DEG for a in (lon1, lat1, lon2, lat2))
    s = np.sin((lat2 - lat1) / 2.0) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2.0) ** 2
    return 2.0 * R_EARTH_M * np.arcsin(np.sqrt(np.clip(s, 0.0, 1.0)))


class Projection:
    """Equirectangular projection about (lon0, lat0), metres."""

    def __init__(self, lon0, lat0):
        self.lon0, self.lat0 = lon0, lat0
        self.kx = R_EARTH_M * DEG * math.cos(lat0 * DEG)
        self.ky = R_EARTH_M * DEG

    def fwd(self, lon, lat):
        return (np.asarray(lon) - self.lon0) * self.kx, (np.asarray(lat) - self.lat0) * self.ky


# ----------------------------------------------------------------------------- input

def open_text(path):
    return gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path, encoding="utf-8")


def walkable(props):
    props = props or {}
    hw = props.get("highway")
    if hw is not None and str(hw) in EXCLUDED_HIGHWAY:
        return False
    foot = props.get("foot")
    foot = None if foot is None else str(foot)
    if foot == "no":
        return False
    access = props.get("access")
    if access is not None and str(access) in ("no", "private") and foot not in FOOT_OVERRIDES_ACCESS:
        return False
    return True


def read_lines(path):
    """Walkable lines as lists of (lon, lat); counts of what was skipped."""
    with open_text(path) as fh:
        doc = json.load(fh)
    lines, skipped = [], defaultdict(int)
    for ft in doc.get("features", []):
        geom = ft.get("geometry")
        if not geom:
            skipped["no geometry"] += 1
            continue
        t = geom.get("type")
        if t == "LineString":
            parts = [geom["coordinates"]]
        elif t == "MultiLineString":
            parts = geom["coordinates"]
        else:
            skipped[f"geometry {t}"] += 1
            continue
        if not walkable(ft.get("properties")):
            skipped["not walkable"] += 1
            continue
        for part in parts:
            lines.append([(float(c[0]), float(c[1])) for c in part])
    return lines, dict(skipped)


# ----------------------------------------------------------------------------- network

class Network:
    def __init__(self, lines, min_component_nodes):
        key_of = lambda lon, lat: (int(round(lon * 1e7)), int(round(lat * 1e7)))
        klines = []
        uses = defaultdict(int)
        ends = set()
        for line in lines:
            ks, cs = [], []
            for lon, lat in line:
                k = key_of(lon, lat)
                if ks and ks[-1] == k:  # repeated consecutive vertex: a zero-length segment
                    continue
                ks.append(k)
                cs.append((k[0] / 1e7, k[1] / 1e7))
            if len(ks) < 2:
                continue
            klines.append((ks, cs))
            ends.add(ks[0])
            ends.add(ks[-1])
            for k in ks:
                uses[k] += 1
        node_id = {}
        for ks, _ in klines:
            for i, k in enumerate(ks):
                if (i == 0 or i == len(ks) - 1 or uses[k] >= 2) and k not in node_id:
                    node_id[k] = len(node_id)
        self.n_nodes = len(node_id)
        eu, ev, elen, egeom = [], [], [], []
        for ks, cs in klines:
            start = 0
            for i in range(1, len(ks)):
                if ks[i] in node_id:
                    g = np.array(cs[start:i + 1])
                    eu.append(node_id[ks[start]])
                    ev.append(node_id[ks[i]])
                    elen.append(float(haversine(g[:-1, 0], g[:-1, 1], g[1:, 0], g[1:, 1]).sum()))
                    egeom.append(g)
                    start = i
        self.eu = np.array(eu, dtype=np.int64)
        self.ev = np.array(ev, dtype=np.int64)
        self.elen = np.array(elen)
        self.egeom = egeom
        self.n_edges = len(eu)
        n = self.n_nodes
        adj = sp.coo_matrix((np.ones(self.n_edges), (self.eu, self.ev)), shape=(n, n)).tocsr()
        self.n_comp, self.comp = connected_components(adj, directed=False)
        self.comp_size = np.bincount(self.comp, minlength=self.n_comp)
        self.min_component_nodes = min_component_nodes
        self.edge_eligible = self.comp_size[self.comp[self.eu]] >= min_component_nodes
        allc = np.array([c for g in egeom for c in g]) if egeom else np.zeros((0, 2))
        self.bbox = (allc[:, 0].min(), allc[:, 1].min(), allc[:, 0].max(), allc[:, 1].max())
        self.proj = Projection((self.bbox[0] + self.bbox[2]) / 2, (self.bbox[1] + self.bbox[3]) / 2)
        self._build_segments()

    def _build_segments(self):
        a, b, eid, cum = [], [], [], []
        for e in np.nonzero(self.edge_eligible)[0]:
            g = self.egeom[e]
            seg = haversine(g[:-1, 0], g[:-1, 1], g[1:, 0], g[1:, 1])
            c = np.concatenate([[0.0], np.cumsum(seg)[:-1]])
            a.append(g[:-1])
            b.append(g[1:])
            eid.append(np.full(len(g) - 1, e))
            cum.append(c)
        self.sa = np.concatenate(a)
        self.sb = np.concatenate(b)
        self.seid = np.concatenate(eid)
        self.scum = np.concatenate(cum)
        self.slen = haversine(self.sa[:, 0], self.sa[:, 1], self.sb[:, 0], self.sb[:, 1])
        ax, ay = self.proj.fwd(self.sa[:, 0], self.sa[:, 1])
        bx, by = self.proj.fwd(self.sb[:, 0], self.sb[:, 1])
        coords = np.stack([np.stack([ax, ay], 1), np.stack([bx, by], 1)], 1)
        self.tree = shapely.STRtree(shapely.linestrings(coords))

    def snap(self, lonlat, global_projection=False):
        """For each point: (edge, offset_m from the edge's first node, access_m, snapped lon,
        snapped lat, segment index, t along the segment).

        Default (exact): the nearest segment and the foot point are chosen in an
        equirectangular projection centred on the point itself, and the offset is the
        haversine length up to the foot point. With global_projection=True: one projection
        centred on the network's bounding box (lifecircle's observed convention), and the
        offset inside a segment is t times the segment's haversine length.
        """
        lonlat = np.asarray(lonlat, dtype=float)
        px, py = self.proj.fwd(lonlat[:, 0], lonlat[:, 1])
        pts = shapely.points(np.stack([px, py], 1))
        _, d = self.tree.query_nearest(pts, return_distance=True, all_matches=False)
        # The global projection only finds candidates; the choice among all segments within
        # a small margin of the nearest is made in a projection centred on the point itself.
        pi, si = self.tree.query(pts, predicate="dwithin", distance=d * 1.01 + 1.0)
        out = []
        best = {}
        for p, s in zip(pi.tolist(), si.tolist()):
            lon, lat = lonlat[p]
            loc = self.proj if global_projection else Projection(lon, lat)
            ax, ay = loc.fwd(self.sa[s, 0], self.sa[s, 1])
            bx, by = loc.fwd(self.sb[s, 0], self.sb[s, 1])
            if global_projection:
                ox, oy = loc.fwd(lon, lat)
                ax, ay, bx, by = ax - ox, ay - oy, bx - ox, by - oy
            dx, dy = bx - ax, by - ay
            L2 = dx * dx + dy * dy
            t = 0.0 if L2 == 0 else min(1.0, max(0.0, -(ax * dx + ay * dy) / L2))
            qx, qy = ax + t * dx, ay + t * dy
            dd = qx * qx + qy * qy
            if p not in best or dd < best[p][0] - 1e-12:
                best[p] = (dd, s, t)
        for p in range(len(lonlat)):
            _, s, t = best[p]
            slon = self.sa[s, 0] + t * (self.sb[s, 0] - self.sa[s, 0])
            slat = self.sa[s, 1] + t * (self.sb[s, 1] - self.sa[s, 1])
            access = float(haversine(lonlat[p, 0], lonlat[p, 1], slon, slat))
            if global_projection:  # fraction of the segment's haversine length
                off = float(self.scum[s] + t * self.slen[s])
            else:  # haversine from the segment start to the snapped point
                off = float(self.scum[s] + haversine(self.sa[s, 0], self.sa[s, 1], slon, slat))
            e = int(self.seid[s])
            off = min(off, self.elen[e])
            out.append((e, off, access, slon, slat, s, t))
        return out


# ----------------------------------------------------------------------------- routing

def walk_distances(net, res_snap, cen_snap, max_snap_m, center_subset=None):
    """Per resident (status, walk_m, nearest center index, access_m).

    Multi-source Dijkstra: one virtual node per snapped center, with directed edges to the
    ends of its edge weighted access(c) + offset; scipy's min_only search from all of them
    gives, for each node, the shortest distance and which center it came from.
    """
    n = net.n_nodes
    usable = [i for i, s in enumerate(cen_snap) if s[2] <= max_snap_m
              and (center_subset is None or i in center_subset)]
    rows = [net.eu, net.ev]
    cols = [net.ev, net.eu]
    wts = [net.elen, net.elen]
    same_edge = defaultdict(list)
    for k, i in enumerate(usable):
        e, off, acc = cen_snap[i][:3]
        vn = n + k
        rows.append(np.array([vn, vn]))
        cols.append(np.array([net.eu[e], net.ev[e]]))
        wts.append(np.array([acc + off, acc + net.elen[e] - off]))
        same_edge[e].append((off, acc, i))
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    w = np.maximum(np.concatenate(wts), 1e-9)  # explicit zeros must stay edges
    # parallel edges: keep the shortest (a COO -> CSR conversion would add them up)
    order = np.lexsort((w, c, r))
    r, c, w = r[order], c[order], w[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    N = n + len(usable)
    g = sp.csr_matrix((w[first], (r[first], c[first])), shape=(N, N))
    if usable:
        dist, _, src = dijkstra(g, directed=True, indices=list(range(n, N)), min_only=True,
                                return_predecessors=True)
    else:
        dist, src = np.full(N, np.inf), np.full(N, -9999)
    results = []
    for e, off, acc, *_ in res_snap:
        if acc > max_snap_m:
            results.append(("too_far_from_network", None, None, acc))
            continue
        best, who = math.inf, None
        for node, along in ((net.eu[e], off), (net.ev[e], net.elen[e] - off)):
            d = acc + along + dist[node]
            if d < best:
                best, who = d, usable[src[node] - n]
        for coff, cacc, ci in same_edge.get(e, ()):
            d = acc + abs(off - coff) + cacc
            if d < best:
                best, who = d, ci
        if math.isinf(best):
            results.append(("no_path", None, None, acc))
        else:
            results.append(("ok", best, who, acc))
    return results


# ----------------------------------------------------------------------------- points

def make_points(net, n_centers, n_residents, seed):
    rng = np.random.default_rng(seed)
    west, south, east, north = net.bbox
    lat0 = (south + north) / 2
    m_lat = 1.0 / (R_EARTH_M * DEG)
    m_lon = m_lat / math.cos(lat0 * DEG)

    def jitter(lon, lat, rmin, rmax, k):
        ang = rng.uniform(0, 2 * math.pi, k)
        rad = np.sqrt(rng.uniform(rmin ** 2, rmax ** 2, k))
        return lon + rad * np.cos(ang) * m_lon, lat + rad * np.sin(ang) * m_lat

    def clip(lon, lat):
        return np.clip(lon, west, east), np.clip(lat, south, north)

    elig_nodes_xy = np.array([g[0] for e, g in enumerate(net.egeom) if net.edge_eligible[e]])
    # centers: 90 % near a network vertex, 10 % anywhere in the box
    k_near = int(round(n_centers * 0.9))
    pick = elig_nodes_xy[rng.integers(0, len(elig_nodes_xy), k_near)]
    clon, clat = jitter(pick[:, 0], pick[:, 1], 0, 150, k_near)
    clon = np.concatenate([clon, rng.uniform(west, east, n_centers - k_near)])
    clat = np.concatenate([clat, rng.uniform(south, north, n_centers - k_near)])
    centers = np.stack(clip(clon, clat), 1)

    parts = []
    n_near_center = int(n_residents * 0.45)
    n_near_road = int(n_residents * 0.25)
    n_edge_snap = int(n_residents * 0.08)   # 200-400 m from a vertex: around max_snap_m
    n_small = int(n_residents * 0.04)       # near eligible components other than the largest
    n_uniform = n_residents - n_near_center - n_near_road - n_edge_snap - n_small
    base = centers[rng.integers(0, len(centers), n_near_center)]
    parts.append(np.stack(jitter(base[:, 0], base[:, 1], 0, 1200, n_near_center), 1))
    base = elig_nodes_xy[rng.integers(0, len(elig_nodes_xy), n_near_road)]
    parts.append(np.stack(jitter(base[:, 0], base[:, 1], 0, 120, n_near_road), 1))
    base = elig_nodes_xy[rng.integers(0, len(elig_nodes_xy), n_edge_snap)]
    parts.append(np.stack(jitter(base[:, 0], base[:, 1], 200, 420, n_edge_snap), 1))
    largest = int(np.argmax(net.comp_size))
    other = np.array([g[0] for e, g in enumerate(net.egeom)
                      if net.edge_eligible[e] and net.comp[net.eu[e]] != largest]).reshape(-1, 2)
    if len(other) == 0:
        other = elig_nodes_xy
    base = other[rng.integers(0, len(other), n_small)]
    parts.append(np.stack(jitter(base[:, 0], base[:, 1], 0, 80, n_small), 1))
    parts.append(np.stack([rng.uniform(west, east, n_uniform), rng.uniform(south, north, n_uniform)], 1))
    residents = np.concatenate(parts)
    residents = np.stack(clip(residents[:, 0], residents[:, 1]), 1)
    residents = np.round(residents, 7)
    centers = np.round(centers, 7)
    pops = rng.integers(1, 51, len(residents))
    return centers, residents, pops


def write_points(path, prefix, pts, pops=None):
    feats = []
    for i, (lon, lat) in enumerate(pts):
        props = {"id": f"{prefix}{i}"}
        if pops is not None:
            props["population"] = int(pops[i])
        feats.append({"type": "Feature", "id": f"{prefix}{i}", "properties": props,
                      "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]}})
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"type": "FeatureCollection", "features": feats}, fh)


# ----------------------------------------------------------------------------- main

def pct(a, q):
    return float(np.percentile(a, q)) if len(a) else 0.0


def compare(args, net, mine, res_snap, cen_snap, theirs, pops):
    """Per-resident comparison of one of my result sets with lifecircle's demand output."""
    speed_m_min = args.speed_kmh * 1000 / 60
    n = len(mine)
    status_agree = covered_agree = covered_boundary = 0
    diffs, acc_diffs, issues, nearest_mismatch = [], [], [], []
    status_pairs = defaultdict(int)
    cov_pop_mine = cov_pop_theirs = 0
    need_centers = set()
    for i in range(n):
        rid = f"r{i}"
        t = theirs.get(rid)
        st, wm, who, acc = mine[i]
        cov_m = st == "ok" and wm / speed_m_min <= args.minutes
        if t is None:
            issues.append((rid, "missing from lifecircle output"))
            continue
        status_pairs[(st, t["status"])] += 1
        if t["status"] == st:
            status_agree += 1
        else:
            issues.append((rid, f"status mine={st} theirs={t['status']} (my access {acc:.3f} m, "
                                f"theirs {t.get('access_m')})"))
        cov_pop_mine += pops[i] if cov_m else 0
        cov_pop_theirs += pops[i] if t.get("covered") else 0
        if bool(t.get("covered")) == cov_m:
            covered_agree += 1
        elif (st == "ok" and t.get("walk_m") is not None
              and abs(wm - args.minutes * speed_m_min) <= args.boundary_m
              and abs(wm - t["walk_m"]) <= args.boundary_m):
            covered_boundary += 1  # both walks within the tolerance of the threshold itself
        else:
            issues.append((rid, f"covered mine={cov_m} ({wm}) theirs={t.get('covered')} ({t.get('walk_m')})"))
        if st == "ok" and t["status"] == "ok" and t.get("walk_m") is not None:
            d = abs(wm - t["walk_m"])
            diffs.append(d)
            if d > args.tol_m:
                e, off, _, slon, slat, *_ = res_snap[i]
                issues.append((rid, f"walk_m mine={wm:.3f} theirs={t['walk_m']} diff={d:.3f} "
                                    f"(access mine {acc:.3f} theirs {t.get('access_m')}; "
                                    f"nearest mine c{who} theirs {t.get('nearest_center')}; "
                                    f"my snap edge {e} at {off:.2f}/{net.elen[e]:.2f} m, "
                                    f"({slon:.7f}, {slat:.7f}))"))
            if t.get("access_m") is not None:
                acc_diffs.append(abs(acc - t["access_m"]))
            if t.get("nearest_center") != f"c{who}":
                nearest_mismatch.append((i, who, t.get("nearest_center")))
                if isinstance(t.get("nearest_center"), str) and t["nearest_center"].startswith("c"):
                    need_centers.add(int(t["nearest_center"][1:]))
    # a different nearest center matters only when the two centers' walks differ (ties)
    nearest_real = []
    for ci in sorted(need_centers):
        alt = walk_distances(net, res_snap, cen_snap, args.max_snap_m, center_subset={ci})
        for i, who, theirs_c in nearest_mismatch:
            if theirs_c == f"c{ci}":
                other = alt[i][1]
                if other is None or abs(other - mine[i][1]) > args.tol_m:
                    nearest_real.append((f"r{i}", f"c{who}", mine[i][1], theirs_c, other))
    for rid, a, wa, b, wb in nearest_real:
        issues.append((rid, f"nearest mine={a} ({wa:.3f} m) theirs={b} (my walk to it {wb})"))
    diffs = np.array(diffs)
    total_pop = int(pops.sum())
    stats = {
        "status_counts_mine": {k: sum(1 for m in mine if m[0] == k)
                               for k in ("ok", "too_far_from_network", "no_path")},
        "status_pairs": {f"{a}|{b}": v for (a, b), v in sorted(status_pairs.items())},
        "status_agree": status_agree,
        "covered_agree": covered_agree,
        "covered_differs_at_threshold": covered_boundary,
        "walk_compared": int(len(diffs)),
        "walk_diff_max_m": float(diffs.max()) if len(diffs) else 0.0,
        "walk_diff_p99_m": pct(diffs, 99),
        "walk_diff_over_0.01m": int((diffs > 0.01).sum()),
        "access_diff_max_m": float(max(acc_diffs)) if acc_diffs else 0.0,
        "nearest_center_differs": len(nearest_mismatch),
        "nearest_center_differs_with_different_walk": len(nearest_real),
        "coverage_ratio_mine": cov_pop_mine / total_pop,
        "coverage_ratio_lifecircle": cov_pop_theirs / total_pop,
    }
    return stats, [f"{r}: {m}" for r, m in issues]


def check_city(args, roads, seed, out_root):
    name = os.path.basename(roads).split(".")[0]
    out = os.path.join(out_root, f"{name}-seed{seed}")
    os.makedirs(out, exist_ok=True)
    t0 = time.perf_counter()
    lines, skipped = read_lines(roads)
    net = Network(lines, args.min_component_nodes)
    t_net = time.perf_counter() - t0
    centers, residents, pops = make_points(net, args.centers, args.residents, seed)
    cpath, dpath = os.path.join(out, "centers.geojson"), os.path.join(out, "demand.geojson")
    write_points(cpath, "c", centers)
    write_points(dpath, "r", residents, pops)
    t1 = time.perf_counter()
    # exact: the nearest point found in a projection centred on each point itself
    cen_snap = net.snap(centers)
    res_snap = net.snap(residents)
    mine = walk_distances(net, res_snap, cen_snap, args.max_snap_m)
    t_mine = time.perf_counter() - t1 + t_net
    # one projection for the whole network, centred on its bounding box
    cen_snap_g = net.snap(centers, global_projection=True)
    res_snap_g = net.snap(residents, global_projection=True)
    mine_g = walk_distances(net, res_snap_g, cen_snap_g, args.max_snap_m)

    lc_out = os.path.join(out, "lifecircle")
    cmd = [args.lifecircle, "coverage", "--roads", roads, "--centers", cpath, "--demand", dpath,
           "--out", lc_out, "--quiet",
           "--max-snap-m", str(args.max_snap_m), "--min-component-nodes", str(args.min_component_nodes),
           "--minutes", str(args.minutes), "--speed-kmh", str(args.speed_kmh)]
    t2 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    t_lc = time.perf_counter() - t2
    if proc.returncode != 0:
        print(proc.stdout, proc.stderr, file=sys.stderr)
        raise SystemExit(f"lifecircle failed ({proc.returncode}) on {roads}")
    with open(os.path.join(lc_out, "demand.geojson"), encoding="utf-8") as fh:
        theirs = {f["properties"]["id"]: f["properties"] for f in json.load(fh)["features"]}
    with open(os.path.join(lc_out, "summary.json"), encoding="utf-8") as fh:
        summary = json.load(fh)

    exact, issues = compare(args, net, mine, res_snap, cen_snap, theirs, pops)
    args_g = argparse.Namespace(**{**vars(args), "tol_m": args.tol_global_m})
    glob, issues_g = compare(args_g, net, mine_g, res_snap_g, cen_snap_g, theirs, pops)
    lc_net = summary.get("network") or {}
    mine_net = {"nodes": net.n_nodes, "edges": net.n_edges, "components": int(net.n_comp),
                "eligible_components": int((net.comp_size >= args.min_component_nodes).sum()),
                "length_km": float(net.elen.sum()) / 1000}
    net_issues = [f"network {k}: mine={v} lifecircle={lc_net.get(k)}" for k, v in mine_net.items()
                  if lc_net.get(k) is None or abs(float(lc_net[k]) - v) > (1e-3 if k == "length_km" else 0)]
    res = {
        "roads": roads, "seed": seed, "residents": len(residents), "centers": len(centers),
        "skipped_lines_mine": skipped,
        "network_mine": mine_net,
        "network_lifecircle": {k: lc_net.get(k) for k in mine_net},
        "exact_snapping": exact,
        "bbox_projection_snapping": glob,
        "coverage_ratio_lifecircle_summary": (summary.get("coverage") or {}).get("coverage_ratio"),
        "seconds_mine": round(t_mine, 2), "seconds_lifecircle": round(t_lc, 2),
    }
    with open(os.path.join(out, "comparison.json"), "w", encoding="utf-8") as fh:
        json.dump({**res, "issues_exact": issues, "issues_bbox_projection": issues_g,
                   "issues_network": net_issues}, fh, indent=1)
    return res, net_issues, issues, issues_g


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("roads", nargs="+", help="roads GeoJSON files (LineString/MultiLineString; .gz accepted)")
    ap.add_argument("--lifecircle", required=True, help="path of the lifecircle binary")
    ap.add_argument("--out", default=None, help="work folder (default: tests/independent/out)")
    ap.add_argument("--seed", type=int, action="append", help="random seed (repeatable; default 1)")
    ap.add_argument("--centers", type=int, default=40)
    ap.add_argument("--residents", type=int, default=3000)
    ap.add_argument("--max-snap-m", type=float, default=300.0)
    ap.add_argument("--min-component-nodes", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--speed-kmh", type=float, default=4.8)
    ap.add_argument("--tol-m", type=float, default=0.01,
                    help="walk_m difference listed against exact snapping (not a failure)")
    ap.add_argument("--tol-global-m", type=float, default=0.011,
                    help="walk_m difference that fails against bbox-projection snapping "
                         "(lifecircle rounds walk_m to 0.01 m)")
    ap.add_argument("--boundary-m", type=float, default=1.0,
                    help="a covered flag may differ when both walks are this close to the threshold")
    args = ap.parse_args()
    out_root = args.out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
    seeds = args.seed or [1]
    failed = False
    for roads in args.roads:
        for seed in seeds:
            r, net_issues, issues, issues_g = check_city(args, roads, seed, out_root)
            print(json.dumps(r, indent=1))
            # Verdict: the network must match, the bbox-projection comparison must agree to
            # lifecircle's output rounding, and the exact one on statuses and coverage
            # (its walk_m differences are the projection's approximation, reported above).
            hard = net_issues + issues_g + [m for m in issues if "walk_m" not in m]
            soft = [m for m in issues if "walk_m" in m]
            print(f"{len(hard)} disagreement(s); {len(soft)} walk_m difference(s) over "
                  f"{args.tol_m} m against exact snapping")
            for m in hard[:40]:
                print("  " + m)
            failed |= bool(hard)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
