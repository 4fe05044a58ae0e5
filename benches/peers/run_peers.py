#!/usr/bin/env python3
"""Run one multi-source shortest-path query with peer tools and compare with lifecircle.

Reads case directories in the exchange format of FORMAT.md (written by
`export_peer_case`), answers each case's query with every available peer, checks each
answer against lifecircle's `expected.bin`, times each peer in this process, prints one
table and writes the results as JSON.

Every peer gets the same graph: the case's nodes plus a virtual super-source joined to
each seed by an edge weighing the seed's initial cost; the answer is the distance from the
super-source. SciPy also runs its native `indices=seeds, min_only=True` form when every
initial cost is zero.

    benches/peers/.venv/bin/python benches/peers/run_peers.py CASE_DIR [CASE_DIR ...]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import math
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

FORMAT_VERSION = 1
RTOL = 1e-6
# Absolute slack for distances near zero (seeds with zero initial cost).
ATOL = 1e-9


@dataclass
class Case:
    """One exported case with its graph already cleaned for the peers."""

    name: str
    path: Path
    meta: dict[str, Any]
    node_count: int
    # Cleaned undirected edges (no self-loops, parallel edges reduced to the shortest),
    # including the super-source's edges; the super-source is node `node_count`.
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    seed_nodes: np.ndarray  # unique seed nodes
    seed_costs: np.ndarray  # cheapest initial cost per unique seed node
    expected: np.ndarray
    limit_m: float  # math.inf when unbounded
    raw_edge_count: int = 0

    @property
    def super_source(self) -> int:
        return self.node_count

    @property
    def zero_costs(self) -> bool:
        return bool(np.all(self.seed_costs == 0.0))


def _read_exact(path: Path, size: int | None = None) -> bytes:
    data = path.read_bytes()
    if size is not None and len(data) != size:
        raise ValueError(f"{path}: {len(data)} bytes, expected {size}")
    return data


def min_per_pair(src: np.ndarray, dst: np.ndarray, w: np.ndarray):
    """Drops self-loops and keeps the shortest of parallel (undirected) edges."""
    keep = src != dst
    src, dst, w = src[keep], dst[keep], w[keep]
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    order = np.lexsort((w, hi, lo))  # by (lo, hi), shortest first
    lo, hi, w = lo[order], hi[order], w[order]
    first = np.ones(len(lo), dtype=bool)
    first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    return lo[first], hi[first], w[first]


def read_graph(path: Path) -> tuple[int, int, np.ndarray, np.ndarray, np.ndarray]:
    """`graph.bin` of a case directory: node count, edge count, and the raw edges
    (`from`, `to`, `length_m`), validated."""
    graph = (path / "graph.bin").read_bytes()
    if len(graph) < 8:
        raise ValueError(f"{path}/graph.bin: {len(graph)} bytes, too short for a header")
    n, e = (int(x) for x in np.frombuffer(graph, dtype="<u4", count=2))
    if len(graph) != 8 + 16 * e:
        raise ValueError(f"{path}/graph.bin: {len(graph)} bytes, expected {8 + 16 * e}")
    src = np.frombuffer(graph, dtype="<u4", count=e, offset=8).astype(np.int64)
    dst = np.frombuffer(graph, dtype="<u4", count=e, offset=8 + 4 * e).astype(np.int64)
    w = np.frombuffer(graph, dtype="<f8", count=e, offset=8 + 8 * e).astype(np.float64)
    if e and (src.max() >= n or dst.max() >= n):
        raise ValueError(f"{path}/graph.bin: node id out of range")
    if np.any(~np.isfinite(w)) or np.any(w < 0):
        raise ValueError(f"{path}/graph.bin: lengths must be finite and non-negative")
    return n, e, src, dst, w


def load_case(path: Path) -> Case:
    """Reads and validates a case directory (see FORMAT.md)."""
    meta = json.loads((path / "meta.json").read_text())
    if meta.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{path}: format_version {meta.get('format_version')}, expected 1")

    n, e, src, dst, w = read_graph(path)

    sources = (path / "sources.bin").read_bytes()
    (s,) = np.frombuffer(sources, dtype="<u4", count=1)
    s = int(s)
    _read_exact(path / "sources.bin", 4 + 12 * s)
    records = np.frombuffer(
        sources, dtype=np.dtype([("node", "<u4"), ("cost", "<f8")]), count=s, offset=4
    )
    seed_nodes = records["node"].astype(np.int64)
    seed_costs = records["cost"].astype(np.float64)
    if s and seed_nodes.max() >= n:
        raise ValueError(f"{path}/sources.bin: node id out of range")
    # Cheapest cost per distinct seed node.
    order = np.lexsort((seed_costs, seed_nodes))
    seed_nodes, seed_costs = seed_nodes[order], seed_costs[order]
    first = np.ones(len(seed_nodes), dtype=bool)
    first[1:] = seed_nodes[1:] != seed_nodes[:-1]
    seed_nodes, seed_costs = seed_nodes[first], seed_costs[first]

    expected_raw = _read_exact(path / "expected.bin", 4 + 8 * n)
    (n_expected,) = np.frombuffer(expected_raw, dtype="<u4", count=1)
    if int(n_expected) != n:
        raise ValueError(f"{path}/expected.bin: {n_expected} nodes, graph has {n}")
    expected = np.frombuffer(expected_raw, dtype="<f8", count=n, offset=4).copy()

    super_source = np.full(len(seed_nodes), n, dtype=np.int64)
    lo, hi, w = min_per_pair(
        np.concatenate([src, super_source]),
        np.concatenate([dst, seed_nodes]),
        np.concatenate([w, seed_costs]),
    )
    limit = meta.get("limit_m")
    return Case(
        name=meta.get("case", path.name),
        path=path,
        meta=meta,
        node_count=n,
        src=lo,
        dst=hi,
        weight=w,
        seed_nodes=seed_nodes,
        seed_costs=seed_costs,
        expected=expected,
        limit_m=math.inf if limit is None else float(limit),
        raw_edge_count=e,
    )


@dataclass
class Peer:
    """A peer tool: `prepare` builds its graph once, `query` answers the case."""

    name: str
    package: str  # distribution whose version is reported
    prepare: Callable[[Case], Any]
    query: Callable[[Case, Any], np.ndarray]
    applies: Callable[[Case], str | None] = lambda case: None  # reason to skip, if any
    note: str = ""
    # Tolerance of the check; looser only for a peer whose arithmetic is documented to
    # be coarser than f64 (see its note).
    rtol: float = RTOL
    atol: float = ATOL


@dataclass
class PeerResult:
    """What running one peer on one case gave."""

    case: str
    tool: str
    version: str | None
    status: str  # "ok", "mismatch", "skipped", "error"
    message: str = ""
    prepare_ms: float | None = None
    median_ms: float | None = None
    runs_ms: list[float] = field(default_factory=list)
    ratio_vs_ours: float | None = None
    ratio_vs_ours_parallel: float | None = None
    max_abs_diff: float | None = None
    mismatched_nodes: int | None = None
    note: str = ""


# --- SciPy ------------------------------------------------------------------------------


def _csr(case: Case, with_super_source: bool):
    """Upper-triangular CSR built without summing duplicates or dropping explicit zeros
    (zero-cost seeds are zero-weight edges)."""
    src, dst, w = case.src, case.dst, case.weight
    size = case.node_count + 1
    if not with_super_source:
        keep = dst != case.super_source  # super-source edges have hi == N
        src, dst, w = src[keep], dst[keep], w[keep]
        size = case.node_count
    return csr_from_edges(size, src, dst, w)


def csr_from_edges(size: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray):
    """Upper-triangular CSR of cleaned undirected edges (`src < dst`), for
    `dijkstra(directed=False)`."""
    import scipy.sparse as sp

    order = np.lexsort((dst, src))
    src, dst, w = src[order], dst[order], w[order]
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=size), out=indptr[1:])
    return sp.csr_array((w, dst.astype(np.int32), indptr.astype(np.int32)), shape=(size, size))


def _scipy_super_query(case: Case, graph) -> np.ndarray:
    from scipy.sparse.csgraph import dijkstra

    d = dijkstra(graph, directed=False, indices=case.super_source, limit=case.limit_m)
    return d[: case.node_count]


def _scipy_min_only_query(case: Case, graph) -> np.ndarray:
    from scipy.sparse.csgraph import dijkstra

    return dijkstra(
        graph, directed=False, indices=case.seed_nodes, min_only=True, limit=case.limit_m
    )


# --- NetworkX ---------------------------------------------------------------------------


def networkx_graph(node_count: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray):
    """An undirected NetworkX graph of nodes `0 .. node_count-1` with edge attribute
    `weight`."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(node_count))
    g.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist()), weight="weight")
    return g


def _networkx_prepare(case: Case):
    return networkx_graph(case.node_count + 1, case.src, case.dst, case.weight)


def _networkx_query(case: Case, g) -> dict:
    import networkx as nx

    cutoff = None if math.isinf(case.limit_m) else case.limit_m
    return nx.multi_source_dijkstra_path_length(
        g, {case.super_source}, cutoff=cutoff, weight="weight"
    )


def _networkx_to_array(case: Case, lengths: dict) -> np.ndarray:
    out = np.full(case.node_count + 1, np.inf)
    if lengths:
        keys = np.fromiter(lengths.keys(), dtype=np.int64, count=len(lengths))
        values = np.fromiter(lengths.values(), dtype=np.float64, count=len(lengths))
        out[keys] = values
    return out[: case.node_count]


# --- igraph -----------------------------------------------------------------------------


def igraph_graph(node_count: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray):
    """An undirected igraph graph with edge attribute `weight`."""
    import igraph as ig

    g = ig.Graph(n=node_count, edges=np.column_stack([src, dst]).tolist(), directed=False)
    g.es["weight"] = w.tolist()
    return g


def _igraph_prepare(case: Case):
    return igraph_graph(case.node_count + 1, case.src, case.dst, case.weight)


def _igraph_query(case: Case, g) -> list:
    # igraph's distances() has no cutoff: it settles the whole graph; the bound is
    # applied afterwards in `_igraph_to_array`.
    return g.distances(source=case.super_source, weights="weight", algorithm="dijkstra")


def _igraph_to_array(case: Case, rows: list) -> np.ndarray:
    d = np.asarray(rows[0][: case.node_count], dtype=np.float64)
    d[d > case.limit_m] = np.inf
    return d


# --- pandana ----------------------------------------------------------------------------

# pandana needs a finite search radius; "unbounded" uses one far beyond any path here.
PANDANA_UNBOUNDED_M = 1e9


def _pandana_radius(case: Case) -> float:
    return PANDANA_UNBOUNDED_M if math.isinf(case.limit_m) else case.limit_m


@contextlib.contextmanager
def quiet_stdout():
    """pandana's C++ core prints progress on file descriptor 1; hide it."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def pandana_network(node_count: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray):
    """A two-way pandana network (its contraction hierarchy is built here). pandana
    snaps POIs to nodes by coordinates only, so node i sits at (i, 0): a POI placed at a
    node's coordinates snaps exactly onto it."""
    import pandas as pd
    import pandana

    with quiet_stdout():
        return pandana.Network(
            pd.Series(np.arange(node_count, dtype=np.float64)),
            pd.Series(np.zeros(node_count)),
            pd.Series(src),
            pd.Series(dst),
            pd.DataFrame({"length_m": w}),
            twoway=True,
        )


def _pandana_prepare(case: Case):
    return pandana_network(case.node_count + 1, case.src, case.dst, case.weight)


def _pandana_query(case: Case, net):
    import pandas as pd

    radius = _pandana_radius(case)
    with quiet_stdout():
        net.set_pois(
            category="seeds",
            maxdist=radius,
            maxitems=1,
            x_col=pd.Series([float(case.super_source)]),
            y_col=pd.Series([0.0]),
        )
        return net.nearest_pois(radius, "seeds", num_pois=1, max_distance=math.inf)


def _pandana_to_array(case: Case, frame) -> np.ndarray:
    d = np.array(frame[1].to_numpy(dtype=np.float64)[: case.node_count])  # writable copy
    d[d > case.limit_m] = np.inf
    return d


def package_version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def peers() -> list[tuple[Peer, Callable[[Case, Any], np.ndarray]]]:
    """All peers with the function turning their raw answer into a distance array."""
    ident = lambda case, d: np.asarray(d, dtype=np.float64)  # noqa: E731
    return [
        (
            Peer(
                "scipy dijkstra (super-source)",
                "scipy",
                lambda c: _csr(c, with_super_source=True),
                _scipy_super_query,
            ),
            ident,
        ),
        (
            Peer(
                "scipy dijkstra (min_only)",
                "scipy",
                lambda c: _csr(c, with_super_source=False),
                _scipy_min_only_query,
                applies=lambda c: None
                if c.zero_costs
                else "initial costs are not all zero (min_only cannot carry them)",
            ),
            ident,
        ),
        (
            Peer(
                "networkx multi_source_dijkstra",
                "networkx",
                _networkx_prepare,
                _networkx_query,
            ),
            _networkx_to_array,
        ),
        (
            Peer(
                "igraph distances",
                "igraph",
                _igraph_prepare,
                _igraph_query,
                note="no cutoff: settles the whole graph",
            ),
            _igraph_to_array,
        ),
        (
            Peer(
                "pandana nearest_pois",
                "pandana",
                _pandana_prepare,
                _pandana_query,
                note="contraction hierarchy built in prepare; query includes set_pois. "
                "pandana scales weights by 1000 into integer CH weights and returns float32, "
                "so it is checked with atol 0.05 m",
                atol=0.05,
            ),
            _pandana_to_array,
        ),
    ]


def compare(
    got: np.ndarray, expected: np.ndarray, rtol: float = RTOL, atol: float = ATOL
) -> tuple[int, float]:
    """(number of mismatched nodes, max abs difference over nodes both reach)."""
    if got.shape != expected.shape:
        return len(expected), math.inf
    got_inf, exp_inf = np.isinf(got), np.isinf(expected)
    both = ~got_inf & ~exp_inf
    diff = np.abs(got[both] - expected[both])
    max_abs = float(diff.max()) if diff.size else 0.0
    bad_finite = int(np.count_nonzero(diff > rtol * np.abs(expected[both]) + atol))
    bad_inf = int(np.count_nonzero(got_inf != exp_inf))
    return bad_finite + bad_inf, max_abs


# Modules each peer imports lazily; imported before timing starts.
IMPORTS = {
    "scipy": ["scipy.sparse", "scipy.sparse.csgraph"],
    "pandana": ["pandas", "pandana"],
}


def skip_reason(
    package: str, version: str | None, node_count: int, max_nodes: dict[str, int], skip: set[str]
) -> str | None:
    """Why a peer does not run on a graph of `node_count` nodes, if it does not."""
    if package in skip:
        return "skipped on request (--skip)"
    if version is None:
        return f"{package} is not installed"
    limit = max_nodes.get(package)
    if limit is not None and node_count > limit:
        return f"graph has {node_count} nodes, over --max-nodes-{package} {limit}"
    return None


def run_peer(
    case: Case,
    peer: Peer,
    to_array,
    reps: int,
    min_time_ms: float,
    max_nodes: dict[str, int],
    skip: set[str],
) -> PeerResult:
    """Times `peer` on `case` (at least `reps` runs after a warm-up, and more until they
    add up to `min_time_ms`) and checks its answer against lifecircle's."""
    result = PeerResult(case.name, peer.name, package_version(peer.package), "skipped", note=peer.note)
    reason = skip_reason(peer.package, result.version, case.node_count, max_nodes, skip)
    reason = reason or peer.applies(case)
    if reason:
        result.message = reason
        return result
    try:
        for module in IMPORTS.get(peer.package, [peer.package]):
            importlib.import_module(module)  # import time is not prepare time
        start = time.perf_counter()
        state = peer.prepare(case)
        result.prepare_ms = (time.perf_counter() - start) * 1e3
        raw = peer.query(case, state)  # warm-up run, also the checked answer
        got = to_array(case, raw)
        del raw
        total_ms = 0.0
        while len(result.runs_ms) < reps or total_ms < min_time_ms:
            start = time.perf_counter()
            raw = peer.query(case, state)
            result.runs_ms.append((time.perf_counter() - start) * 1e3)
            total_ms += result.runs_ms[-1]
            del raw
        del state
    except Exception as exc:  # a peer failing must not stop the others
        result.status = "error"
        result.message = f"{type(exc).__name__}: {exc}"
        return result
    result.median_ms = statistics.median(result.runs_ms)
    ours = case.meta.get("ours_ms")
    if ours:
        result.ratio_vs_ours = result.median_ms / ours
    ours_parallel = case.meta.get("ours_parallel_ms")
    if ours_parallel:
        result.ratio_vs_ours_parallel = result.median_ms / ours_parallel
    result.mismatched_nodes, result.max_abs_diff = compare(
        got, case.expected, peer.rtol, peer.atol
    )
    result.status = "ok" if result.mismatched_nodes == 0 else "mismatch"
    if result.status == "mismatch":
        result.message = (
            f"{result.mismatched_nodes} nodes differ beyond rtol {peer.rtol:g} + atol {peer.atol:g}"
        )
    return result


def ours_results(case: Case) -> list[PeerResult]:
    """Our single-threaded search and, when timed, the same search over threads."""
    meta = case.meta
    rows = [
        PeerResult(
            case.name,
            meta.get("ours_tool", "lifecircle"),
            None,
            "ok",
            prepare_ms=meta.get("ours_build_ms"),
            median_ms=meta.get("ours_ms"),
            runs_ms=list(meta.get("ours_runs_ms", [])),
            ratio_vs_ours=1.0,
            max_abs_diff=0.0,
            mismatched_nodes=0,
            note="prepare = WalkNetwork::from_roads",
        )
    ]
    parallel = meta.get("ours_parallel_ms")
    if parallel:
        single = meta.get("ours_ms")
        rows.append(
            PeerResult(
                case.name,
                f"lifecircle run_parallel ({meta.get('ours_threads')} threads)",
                None,
                "ok",
                prepare_ms=meta.get("ours_build_ms"),
                median_ms=parallel,
                runs_ms=list(meta.get("ours_parallel_runs_ms", [])),
                ratio_vs_ours=parallel / single if single else None,
                ratio_vs_ours_parallel=1.0,
                max_abs_diff=0.0,
                mismatched_nodes=0,
                note="checked equal to the single-threaded search at every node",
            )
        )
    return rows


def fmt(x: float | None, digits: int = 2) -> str:
    """A figure with thousands separators, or "-" when missing."""
    return "-" if x is None else f"{x:,.{digits}f}"


def print_aligned(header: list[str], rows: list[list[Any]], right: set[int]) -> None:
    """Prints a table with columns padded to their widest cell (`right`: the
    right-aligned column indices)."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]

    def line(cells):
        return "  ".join(
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths))
        )

    print(line(header))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def write_report(
    out: Path, reps: int, cases: list[dict[str, Any]], results: list[Any], **extra: Any
) -> None:
    """Writes the machine, the cases' metadata (per-run timings left out) and every
    result as JSON."""
    report = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "reps": reps,
        **extra,
        "cases": [
            {k: v for k, v in meta.items() if not k.endswith(("_runs_ms", "_runs_us"))}
            for meta in cases
        ],
        "results": [r.__dict__ for r in results],
    }
    out.write_text(json.dumps(report, indent=2, allow_nan=True) + "\n")
    print(f"\nresults written to {out}")


def print_table(results: list[PeerResult], cases: list[Case]) -> None:
    header = [
        "case", "tool", "prepare ms", "median ms", "vs ours", "vs ours parallel", "check",
        "max |diff|",
    ]
    rows = []
    for r in results:
        if r.status in ("ok", "mismatch"):
            check = "ok" if r.status == "ok" else f"MISMATCH ({r.mismatched_nodes})"
            diff = "-" if r.max_abs_diff is None else f"{r.max_abs_diff:.1e}"
            ratio = "-" if r.ratio_vs_ours is None else f"{r.ratio_vs_ours:,.1f}x"
            ratio_parallel = (
                "-" if r.ratio_vs_ours_parallel is None else f"{r.ratio_vs_ours_parallel:,.1f}x"
            )
        else:
            check, diff, ratio, ratio_parallel = r.status.upper(), "-", "-", "-"
        rows.append(
            [
                r.case, r.tool, fmt(r.prepare_ms, 1), fmt(r.median_ms), ratio, ratio_parallel,
                check, diff,
            ]
        )
    print_aligned(header, rows, right={2, 3, 4, 5, 7})
    notes = [f"  {r.case} / {r.tool}: {r.message}" for r in results if r.message]
    if notes:
        print("\nnotes:")
        print("\n".join(notes))
    print("\ncases:")
    for c in cases:
        bound = "none" if math.isinf(c.limit_m) else f"{c.limit_m:g} m"
        print(
            f"  {c.name}: {c.node_count:,} nodes, {c.raw_edge_count:,} edges, "
            f"{len(c.seed_nodes)} seed nodes (zero costs: {c.zero_costs}), bound {bound}, "
            f"{int(np.isfinite(c.expected).sum()):,} reached"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="+", type=Path, help="case directories (FORMAT.md)")
    parser.add_argument("--reps", type=int, default=5, help="timed runs per peer (median)")
    parser.add_argument(
        "--min-time-ms",
        type=float,
        default=0.0,
        help="more timed runs until they add up to this (as export_peer_case --min-time-ms)",
    )
    parser.add_argument(
        "--max-nodes-networkx",
        type=int,
        default=300_000,
        help="skip NetworkX on larger graphs (pure Python: slow, memory-hungry)",
    )
    parser.add_argument(
        "--max-nodes-pandana",
        type=int,
        default=20_000,
        help="skip pandana on larger graphs (its contraction-hierarchy build takes ~15 s "
        "for 10k nodes here)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="PACKAGE",
        help="skip a peer by package name (scipy, networkx, igraph, pandana); repeatable",
    )
    parser.add_argument(
        "--json", type=Path, default=None, help="results file (default: peers.json in the first case)"
    )
    args = parser.parse_args(argv)
    if args.reps < 1:
        parser.error("--reps must be at least 1")
    if not (math.isfinite(args.min_time_ms) and args.min_time_ms >= 0):
        parser.error("--min-time-ms must be a number of milliseconds, 0 or more")

    results: list[PeerResult] = []
    cases = []
    for path in args.cases:
        case = load_case(path)
        cases.append(case)
        results.extend(ours_results(case))
        for peer, to_array in peers():
            print(f"[{case.name}] {peer.name} ...", file=sys.stderr, flush=True)
            results.append(
                run_peer(
                    case,
                    peer,
                    to_array,
                    args.reps,
                    args.min_time_ms,
                    {"networkx": args.max_nodes_networkx, "pandana": args.max_nodes_pandana},
                    set(args.skip),
                )
            )

    print_table(results, cases)
    out = args.json or (args.cases[0] / "peers.json")
    write_report(
        out,
        args.reps,
        [c.meta | {"path": str(c.path)} for c in cases],
        results,
        rtol=RTOL,
        min_time_ms=args.min_time_ms,
    )
    return 1 if any(r.status in ("mismatch", "error") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
