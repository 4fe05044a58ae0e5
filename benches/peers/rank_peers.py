#!/usr/bin/env python3
"""Rank candidate sites with peer tools and compare with lifecircle's planner.

Reads ranking case directories (FORMAT.md, written by `export_ranking_case`): a graph,
current centers, residents and candidate sites, all on nodes. The question every tool
answers: for each candidate, how much population that no current center reaches within
the threshold walk would the candidate reach? Each peer answers it the way a user of
that tool would (below), is checked against lifecircle's gains, and is timed on two
workloads: ranking every candidate, and one what-if (one candidate, answered alone).

- SciPy: one `dijkstra(min_only=True, limit=T)` from the centers for the uncovered
  residents (setup), then `dijkstra(indices=batch, limit=T)` over batches of candidates,
  summing uncovered population per row; a what-if is one `dijkstra(indices=c, limit=T)`.
- NetworkX: `single_source_dijkstra_path_length(cutoff=T)` per candidate.
- igraph: `distances(source=batch, target=uncovered nodes)` (no cutoff exists, so each
  search settles the whole graph); ranking is skipped when the what-if sample projects
  it past `--max-rank-seconds`.
- pandana: `aggregate(T, type="sum")` of uncovered population over every node (its
  accessibility query, on a contraction hierarchy); it has no single-site query.

    benches/peers/.venv/bin/python benches/peers/rank_peers.py CASE_DIR [CASE_DIR ...]
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from run_peers import (
    csr_from_edges,
    fmt,
    igraph_graph,
    min_per_pair,
    networkx_graph,
    package_version,
    pandana_network,
    print_aligned,
    quiet_stdout,
    read_graph,
    skip_reason,
    write_report,
)

FORMAT_VERSION = 1
# Distances within this relative band of the threshold may fall either side of it in
# another tool's arithmetic; population there may differ (see `explained`).
RTOL = 1e-9


@dataclass
class RankingCase:
    """One exported ranking case, with its graph cleaned for the peers."""

    name: str
    path: Path
    meta: dict[str, Any]
    node_count: int
    raw_edge_count: int
    src: np.ndarray  # cleaned undirected edges, src < dst
    dst: np.ndarray
    weight: np.ndarray
    centers: np.ndarray
    resident_nodes: np.ndarray
    resident_population: np.ndarray
    candidates: np.ndarray
    expected_gains: np.ndarray
    threshold_m: float


def _read_nodes(path: Path, n: int) -> np.ndarray:
    data = path.read_bytes()
    if len(data) < 4:
        raise ValueError(f"{path}: {len(data)} bytes, too short for a count")
    (count,) = (int(x) for x in np.frombuffer(data, dtype="<u4", count=1))
    if len(data) != 4 + 4 * count:
        raise ValueError(f"{path}: {len(data)} bytes, expected {4 + 4 * count}")
    nodes = np.frombuffer(data, dtype="<u4", count=count, offset=4).astype(np.int64)
    if count and nodes.max() >= n:
        raise ValueError(f"{path}: node id out of range")
    return nodes


def load_ranking_case(path: Path) -> RankingCase:
    """Reads and validates a ranking case directory (see FORMAT.md)."""
    meta = json.loads((path / "meta.json").read_text())
    if meta.get("format_version") != FORMAT_VERSION or meta.get("kind") != "ranking":
        raise ValueError(f"{path}: not a ranking case of format version {FORMAT_VERSION}")
    n, e, src, dst, w = read_graph(path)
    lo, hi, w = min_per_pair(src, dst, w)

    centers = _read_nodes(path / "centers.bin", n)
    candidates = _read_nodes(path / "candidates.bin", n)
    data = (path / "residents.bin").read_bytes()
    (count,) = (int(x) for x in np.frombuffer(data, dtype="<u4", count=1))
    if len(data) != 4 + 12 * count:
        raise ValueError(f"{path}/residents.bin: {len(data)} bytes, expected {4 + 12 * count}")
    records = np.frombuffer(
        data, dtype=np.dtype([("node", "<u4"), ("population", "<f8")]), count=count, offset=4
    )
    resident_nodes = records["node"].astype(np.int64)
    if count and resident_nodes.max() >= n:
        raise ValueError(f"{path}/residents.bin: node id out of range")
    data = (path / "expected_gains.bin").read_bytes()
    if len(data) != 4 + 8 * len(candidates):
        raise ValueError(
            f"{path}/expected_gains.bin: {len(data)} bytes, expected {4 + 8 * len(candidates)}"
        )
    expected = np.frombuffer(data, dtype="<f8", count=len(candidates), offset=4).copy()
    return RankingCase(
        name=meta.get("case", path.name),
        path=path,
        meta=meta,
        node_count=n,
        raw_edge_count=e,
        src=lo,
        dst=hi,
        weight=w,
        centers=centers,
        resident_nodes=resident_nodes,
        resident_population=records["population"].astype(np.float64),
        candidates=candidates,
        expected_gains=expected,
        threshold_m=float(meta["threshold_m"]),
    )


@dataclass
class Uncovered:
    """Population no current center reaches within the threshold, summed per node."""

    nodes: np.ndarray
    population: np.ndarray
    per_node: np.ndarray  # length node_count


def uncovered_from(case: RankingCase, center_distance: np.ndarray) -> Uncovered:
    far = center_distance[case.resident_nodes] > case.threshold_m
    per_node = np.bincount(
        case.resident_nodes[far], weights=case.resident_population[far], minlength=case.node_count
    )
    nodes = np.flatnonzero(per_node)
    return Uncovered(nodes, per_node[nodes], per_node)


@dataclass
class RankPeer:
    """A peer: `prepare` builds its graph; `setup` finds the uncovered population;
    `rank` answers every candidate; `whatif` one candidate (None: no such query)."""

    name: str
    package: str
    prepare: Callable[[RankingCase], Any]
    setup: Callable[[RankingCase, Any], Any]
    rank: Callable[[RankingCase, Any, Any], np.ndarray]
    whatif: Callable[[RankingCase, Any, Any, int], float] | None
    note: str = ""
    # Absolute band around the threshold inside which this tool's rounding may differ.
    atol_m: float = 0.0


@dataclass
class RankResult:
    case: str
    tool: str
    version: str | None
    status: str  # "ok", "mismatch", "skipped", "error"
    message: str = ""
    prepare_ms: float | None = None
    setup_ms: float | None = None
    rank_ms: float | None = None
    rank_runs_ms: list[float] = field(default_factory=list)
    whatif_median_ms: float | None = None
    whatif_runs_ms: list[float] = field(default_factory=list)
    rank_vs_ours: float | None = None
    rank_vs_ours_single: float | None = None
    whatif_vs_ours: float | None = None
    mismatched_candidates: int | None = None
    note: str = ""


# --- SciPy ------------------------------------------------------------------------------

# Rows of distances one SciPy call may hold (it returns a dense candidates × nodes array).
SCIPY_BATCH_BYTES = 256 * 2**20


def _scipy_prepare(case: RankingCase):
    return csr_from_edges(case.node_count, case.src, case.dst, case.weight)


def _scipy_setup(case: RankingCase, graph) -> Uncovered:
    from scipy.sparse.csgraph import dijkstra

    d = dijkstra(
        graph, directed=False, indices=case.centers, min_only=True, limit=case.threshold_m
    )
    return uncovered_from(case, d)


def _scipy_rank(case: RankingCase, graph, unc: Uncovered) -> np.ndarray:
    from scipy.sparse.csgraph import dijkstra

    batch = max(1, SCIPY_BATCH_BYTES // (8 * case.node_count))
    gains = np.empty(len(case.candidates))
    for first in range(0, len(case.candidates), batch):
        rows = dijkstra(
            graph,
            directed=False,
            indices=case.candidates[first : first + batch],
            limit=case.threshold_m,
        )
        gains[first : first + batch] = (rows[:, unc.nodes] <= case.threshold_m) @ unc.population
    return gains


def _scipy_whatif(case: RankingCase, graph, unc: Uncovered, k: int) -> float:
    from scipy.sparse.csgraph import dijkstra

    d = dijkstra(graph, directed=False, indices=case.candidates[k], limit=case.threshold_m)
    return float((d[unc.nodes] <= case.threshold_m) @ unc.population)


# --- NetworkX ---------------------------------------------------------------------------


def _networkx_prepare(case: RankingCase):
    return networkx_graph(case.node_count, case.src, case.dst, case.weight)


def _networkx_setup(case: RankingCase, g) -> dict[int, float]:
    import networkx as nx

    lengths = nx.multi_source_dijkstra_path_length(
        g, set(case.centers.tolist()), cutoff=case.threshold_m, weight="weight"
    )
    d = np.full(case.node_count, np.inf)
    d[np.fromiter(lengths.keys(), dtype=np.int64)] = np.fromiter(lengths.values(), dtype=float)
    unc = uncovered_from(case, d)
    return dict(zip(unc.nodes.tolist(), unc.population.tolist()))


def _networkx_whatif(case: RankingCase, g, unc: dict[int, float], k: int) -> float:
    import networkx as nx

    reached = nx.single_source_dijkstra_path_length(
        g, int(case.candidates[k]), cutoff=case.threshold_m, weight="weight"
    )
    return sum(unc.get(v, 0.0) for v in reached)


def _networkx_rank(case: RankingCase, g, unc: dict[int, float]) -> np.ndarray:
    return np.array([_networkx_whatif(case, g, unc, k) for k in range(len(case.candidates))])


# --- igraph -----------------------------------------------------------------------------

IGRAPH_BATCH = 64


def _igraph_prepare(case: RankingCase):
    return igraph_graph(case.node_count, case.src, case.dst, case.weight)


def _igraph_setup(case: RankingCase, g) -> Uncovered:
    # No multi-source form and no cutoff: every center's full search, then the minimum.
    rows = np.asarray(g.distances(source=case.centers.tolist(), weights="weight"))
    return uncovered_from(case, rows.min(axis=0))


def _igraph_rank(case: RankingCase, g, unc: Uncovered) -> np.ndarray:
    gains = np.empty(len(case.candidates))
    targets = unc.nodes.tolist()
    for first in range(0, len(case.candidates), IGRAPH_BATCH):
        batch = case.candidates[first : first + IGRAPH_BATCH].tolist()
        rows = np.asarray(g.distances(source=batch, target=targets, weights="weight"))
        gains[first : first + len(batch)] = (rows <= case.threshold_m) @ unc.population
    return gains


def _igraph_whatif(case: RankingCase, g, unc: Uncovered, k: int) -> float:
    row = np.asarray(
        g.distances(source=[int(case.candidates[k])], target=unc.nodes.tolist(), weights="weight")
    )
    return float((row[0] <= case.threshold_m) @ unc.population)


# --- pandana ----------------------------------------------------------------------------


def _pandana_prepare(case: RankingCase):
    return pandana_network(case.node_count, case.src, case.dst, case.weight)


def _pandana_setup(case: RankingCase, net) -> Uncovered:
    import pandas as pd

    # The distance to the nearest center: one POI category of the centers' nodes (node i
    # sits at (i, 0), so a POI there snaps onto it).
    with quiet_stdout():
        net.set_pois(
            category="centers",
            maxdist=case.threshold_m,
            maxitems=1,
            x_col=pd.Series(case.centers.astype(np.float64)),
            y_col=pd.Series(np.zeros(len(case.centers))),
        )
        nearest = net.nearest_pois(case.threshold_m, "centers", num_pois=1, max_distance=np.inf)
    return uncovered_from(case, nearest[1].to_numpy(dtype=np.float64))


def _pandana_rank(case: RankingCase, net, unc: Uncovered) -> np.ndarray:
    import pandas as pd

    with quiet_stdout():
        net.set(pd.Series(unc.nodes), variable=pd.Series(unc.population), name="uncovered")
        sums = net.aggregate(case.threshold_m, type="sum", decay="flat", name="uncovered")
    return sums.to_numpy(dtype=np.float64)[case.candidates]


def peers() -> list[RankPeer]:
    return [
        RankPeer(
            "scipy dijkstra (batched, limit)",
            "scipy",
            _scipy_prepare,
            _scipy_setup,
            _scipy_rank,
            _scipy_whatif,
            note="rank: dense candidates x nodes rows in batches of 256 MiB",
        ),
        RankPeer(
            "networkx single_source (cutoff)",
            "networkx",
            _networkx_prepare,
            _networkx_setup,
            _networkx_rank,
            _networkx_whatif,
        ),
        RankPeer(
            "igraph distances (batched)",
            "igraph",
            _igraph_prepare,
            _igraph_setup,
            _igraph_rank,
            _igraph_whatif,
            note="no cutoff: every search settles the whole graph",
        ),
        RankPeer(
            "pandana aggregate (sum)",
            "pandana",
            _pandana_prepare,
            _pandana_setup,
            _pandana_rank,
            None,
            note="contraction hierarchy built in prepare; aggregates every node, "
            "no single-site query; lengths in whole millimetres (atol 0.05 m)",
            atol_m=0.05,
        ),
    ]


IMPORTS = {
    "scipy": ["scipy.sparse", "scipy.sparse.csgraph"],
    "pandana": ["pandas", "pandana"],
}


def explained(case: RankingCase, k: int, difference: float, atol_m: float) -> bool:
    """Whether a gain difference at candidate `k` is no more than the population whose
    distance (from the candidate, or from the centers) lies within rounding of the
    threshold, measured with SciPy."""
    from scipy.sparse.csgraph import dijkstra

    graph = csr_from_edges(case.node_count, case.src, case.dst, case.weight)
    band = RTOL * case.threshold_m + atol_m
    limit = case.threshold_m + band
    from_candidate = dijkstra(graph, directed=False, indices=case.candidates[k], limit=limit)
    from_centers = dijkstra(
        graph, directed=False, indices=case.centers, min_only=True, limit=limit
    )
    near = (np.abs(from_candidate[case.resident_nodes] - case.threshold_m) <= band) | (
        (np.abs(from_centers[case.resident_nodes] - case.threshold_m) <= band)
        & (from_candidate[case.resident_nodes] <= limit)
    )
    return difference <= case.resident_population[near].sum()


def run_peer(
    case: RankingCase, peer: RankPeer, reps: int, whatifs: int, max_rank_s: float,
    max_nodes: dict[str, int], skip: set[str],
) -> RankResult:
    result = RankResult(case.name, peer.name, package_version(peer.package), "skipped", note=peer.note)
    reason = skip_reason(peer.package, result.version, case.node_count, max_nodes, skip)
    if reason:
        result.message = reason
        return result
    meta = case.meta
    try:
        for module in IMPORTS.get(peer.package, [peer.package]):
            importlib.import_module(module)
        start = time.perf_counter()
        state = peer.prepare(case)
        result.prepare_ms = (time.perf_counter() - start) * 1e3
        start = time.perf_counter()
        unc = peer.setup(case, state)
        result.setup_ms = (time.perf_counter() - start) * 1e3

        whatif_gains = {}
        if peer.whatif is not None:
            count = min(whatifs, len(case.candidates))
            for k in range(count):  # warm-up pass
                whatif_gains[k] = peer.whatif(case, state, unc, k)
            for k in range(count):
                start = time.perf_counter()
                peer.whatif(case, state, unc, k)
                result.whatif_runs_ms.append((time.perf_counter() - start) * 1e3)
            result.whatif_median_ms = statistics.median(result.whatif_runs_ms)
            ours_us = meta.get("ours_whatif_median_us")
            if ours_us:
                result.whatif_vs_ours = result.whatif_median_ms * 1e3 / ours_us

        projected_s = (
            result.whatif_median_ms * len(case.candidates) / 1e3
            if result.whatif_median_ms is not None
            else 0.0
        )
        gains = None
        if projected_s > max_rank_s:
            result.message = (
                f"ranking skipped: {len(case.candidates)} candidates at the what-if median "
                f"project {projected_s:,.0f} s, over --max-rank-seconds {max_rank_s:g}"
            )
        else:
            start = time.perf_counter()
            gains = peer.rank(case, state, unc)  # the checked answer
            first_ms = (time.perf_counter() - start) * 1e3
            if first_ms / 1e3 * reps > max_rank_s:
                # Slow peers are timed once: the checked run is the timed run.
                result.rank_runs_ms = [first_ms]
                result.message = "ranking timed once (one run is over the time budget)"
            else:
                for _ in range(reps):
                    start = time.perf_counter()
                    peer.rank(case, state, unc)
                    result.rank_runs_ms.append((time.perf_counter() - start) * 1e3)
            result.rank_ms = statistics.median(result.rank_runs_ms)
            if meta.get("ours_rank_ms"):
                result.rank_vs_ours = result.rank_ms / meta["ours_rank_ms"]
            if meta.get("ours_rank_single_ms"):
                result.rank_vs_ours_single = result.rank_ms / meta["ours_rank_single_ms"]
        del state
    except Exception as exc:  # a peer failing must not stop the others
        result.status = "error"
        result.message = f"{type(exc).__name__}: {exc}"
        return result

    answers = dict(whatif_gains)
    if gains is not None:
        answers.update(enumerate(gains.tolist()))
    bad = [
        k
        for k, got in sorted(answers.items())
        if got != case.expected_gains[k]
        and not explained(case, k, abs(got - case.expected_gains[k]), peer.atol_m)
    ]
    result.mismatched_candidates = len(bad)
    result.status = "ok" if not bad else "mismatch"
    if bad:
        result.message = (
            f"{len(bad)} of {len(answers)} candidates gain differently, first: candidate "
            f"{bad[0]} ({answers[bad[0]]} against {case.expected_gains[bad[0]]})"
        )
    return result


def ours_result(case: RankingCase) -> RankResult:
    meta = case.meta
    return RankResult(
        case.name,
        f"lifecircle ({meta.get('ours_threads')} threads / 1 thread)",
        None,
        "ok",
        prepare_ms=meta.get("ours_build_ms"),
        setup_ms=meta.get("ours_setup_ms"),
        rank_ms=meta.get("ours_rank_ms"),
        rank_runs_ms=list(meta.get("ours_rank_runs_ms", [])),
        whatif_median_ms=meta["ours_whatif_median_us"] / 1e3,
        whatif_runs_ms=[us / 1e3 for us in meta.get("ours_whatif_runs_us", [])],
        rank_vs_ours=1.0,
        rank_vs_ours_single=meta["ours_rank_ms"] / meta["ours_rank_single_ms"],
        whatif_vs_ours=1.0,
        mismatched_candidates=0,
        note=(
            f"ranking on one thread: {meta.get('ours_rank_single_ms', math.nan):,.1f} ms; "
            "prepare = WalkNetwork::from_roads; setup = compute_coverage + Planner::new "
            "(snapping every point included); what-if = Planner::add_site"
        ),
    )


def _ratio(x: float | None) -> str:
    return "-" if x is None else f"{x:,.1f}x"


def print_table(results: list[RankResult], cases: list[RankingCase]) -> None:
    header = [
        "case", "tool", "setup ms", "rank ms", "vs ours", "vs ours 1 thread", "what-if ms",
        "vs ours", "check",
    ]
    rows = []
    for r in results:
        if r.status in ("ok", "mismatch"):
            check = "ok" if r.status == "ok" else f"MISMATCH ({r.mismatched_candidates})"
        else:
            check = r.status.upper()
        rows.append(
            [
                r.case, r.tool, fmt(r.setup_ms, 1), fmt(r.rank_ms, 1), _ratio(r.rank_vs_ours),
                _ratio(r.rank_vs_ours_single), fmt(r.whatif_median_ms, 3),
                _ratio(r.whatif_vs_ours), check,
            ]
        )
    print_aligned(header, rows, right={2, 3, 4, 5, 6, 7})
    notes = [f"  {r.case} / {r.tool}: {r.message or r.note}" for r in results if r.message or r.note]
    if notes:
        print("\nnotes:")
        print("\n".join(notes))
    print("\ncases:")
    for c in cases:
        m = c.meta
        print(
            f"  {c.name}: {c.node_count:,} nodes, {c.raw_edge_count:,} edges, "
            f"{len(c.centers)} centers, {len(c.resident_nodes):,} residents "
            f"({m['uncovered_population']:,.0f} of {m['total_population']:,.0f} population "
            f"uncovered), {len(c.candidates):,} candidates, threshold {c.threshold_m:g} m, "
            f"{m['whatif_count']} what-ifs"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="+", type=Path, help="ranking case directories")
    parser.add_argument("--reps", type=int, default=3, help="timed rankings per peer (median)")
    parser.add_argument(
        "--whatifs", type=int, default=200, help="what-ifs timed one by one per peer (median)"
    )
    parser.add_argument(
        "--max-rank-seconds",
        type=float,
        default=120.0,
        help="skip a peer's ranking when its what-if median projects it longer than this, "
        "and time it once when one run is",
    )
    parser.add_argument(
        "--max-nodes-pandana",
        type=int,
        default=20_000,
        help="skip pandana on larger graphs (slow contraction-hierarchy build)",
    )
    parser.add_argument(
        "--skip", action="append", default=[], metavar="PACKAGE",
        help="skip a peer by package name (scipy, networkx, igraph, pandana); repeatable",
    )
    parser.add_argument("--json", type=Path, default=None, help="results file")
    args = parser.parse_args(argv)
    if args.reps < 1 or args.whatifs < 1:
        parser.error("--reps and --whatifs must be at least 1")

    results: list[RankResult] = []
    cases = []
    for path in args.cases:
        case = load_ranking_case(path)
        cases.append(case)
        results.append(ours_result(case))
        for peer in peers():
            print(f"[{case.name}] {peer.name} ...", file=sys.stderr, flush=True)
            results.append(
                run_peer(
                    case, peer, args.reps, min(args.whatifs, case.meta["whatif_count"]),
                    args.max_rank_seconds, {"pandana": args.max_nodes_pandana}, set(args.skip),
                )
            )

    print_table(results, cases)
    out = args.json or (args.cases[0] / "rank_peers.json")
    write_report(out, args.reps, [c.meta | {"path": str(c.path)} for c in cases], results)
    return 1 if any(r.status in ("mismatch", "error") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
