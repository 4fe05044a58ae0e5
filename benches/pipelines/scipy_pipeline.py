"""The coverage job as a geopandas / shapely + SciPy script: roads GeoJSON and residents
/ centers CSV in, per-resident walks (GeoJSON) and a summary out, with lifecircle's
semantics (contract.py) so the answers can be checked equal to `lifecircle coverage`.

    python scipy_pipeline.py ROADS CENTERS RESIDENTS OUT_DIR \
        [--minutes 10] [--speed-kmh 4.8] [--max-snap-m 300] [--min-component-nodes 20]

Snapping: shapely's STRtree over the segments of the eligible edges, in a plane around
the network's centre: the nearest segment proposes a bound, every segment within it
(widened by the plane's stretch) is measured exactly. Search: one bounded
`scipy.sparse.csgraph.dijkstra` from a virtual source joined to both ends of every
center's edge with the center's initial walk. (`min_only=True` over the center nodes
would start every center at 0 m and so lose the access legs and the walk along the
center's edge; the virtual source is the exact form of the same multi-source search.)
Writes OUT_DIR/residents.geojson, summary.json and stages.json (seconds per stage).
"""
import time

STARTED = time.perf_counter()

import argparse  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
import shapely  # noqa: E402
from scipy.sparse.csgraph import connected_components, dijkstra  # noqa: E402

import contract  # noqa: E402


def snap(network, tree, tree_segment, lon, lat, max_snap_m):
    """(edge, offset_m, access_m) per point; edge -1 beyond max_snap_m."""
    x, y = network.to_plane(lon, lat)
    points = shapely.points(x, y)
    n = len(lon)
    # 1. The nearest segment in the plane bounds the true nearest one.
    # (One bound for all: STRtree takes a scalar; beyond max_snap_m is filtered later.)
    reach_m = max_snap_m * float(network.stretch(lat, max_snap_m).max()) + 1e-6
    (pi, ti) = tree.query_nearest(points, max_distance=reach_m, all_matches=True)
    access, _ = network.measure(pi, lon, lat, tree_segment[ti])
    bound = np.full(n, np.nan)
    np.fmin.at(bound, pi, access)
    # 2. Every segment the plane puts within that bound (stretched) is measured exactly.
    near = ~np.isnan(bound)
    radius = np.minimum(bound[near], max_snap_m)
    distance = radius * network.stretch(lat[near], radius) + 1e-6
    (qi, ti) = tree.query(points[near], predicate="dwithin", distance=distance)
    pi = np.flatnonzero(near)[qi]
    segment = tree_segment[ti]
    access, offset = network.measure(pi, lon, lat, segment)
    edge, offset, access = network.nearest_of(pi, segment, access, offset, n)
    too_far = ~(access <= max_snap_m)
    edge[too_far], offset[too_far], access[too_far] = -1, np.nan, np.nan
    return edge, offset, access


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roads"), parser.add_argument("centers"), parser.add_argument("residents")
    parser.add_argument("out_dir")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--speed-kmh", type=float, default=4.8)
    parser.add_argument("--max-snap-m", type=float, default=300.0)
    parser.add_argument("--min-component-nodes", type=int, default=20)
    args = parser.parse_args()
    metres_per_min = args.speed_kmh * 1000.0 / 60.0
    threshold_m = args.minutes * metres_per_min
    clock = contract.StageClock(STARTED)

    lon, lat, line = contract.read_road_vertices(args.roads)
    center_ids, center_lon, center_lat, _ = contract.read_points(args.centers)
    ids, res_lon, res_lat, population = contract.read_points(args.residents)
    clock.lap("read")

    network = contract.Network(lon, lat, line)
    n = network.node_count
    u, v, w = network.edge_from, network.edge_to, network.edge_length_m
    # Both directions; of parallel edges the shortest; self-loops never shorten a walk.
    a, b, length = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([w, w])
    loop = a == b
    a, b, length = a[~loop], b[~loop], length[~loop]
    order = np.lexsort((length, b, a))
    a, b, length = a[order], b[order], length[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    a, b, length = a[first], b[first], length[first]
    _, component = connected_components(sp.csr_matrix((np.ones(len(a)), (a, b)), shape=(n, n)), directed=False)
    eligible = np.flatnonzero(network.segments_in_components(component, args.min_component_nodes))
    sx_a, sy_a = network.to_plane(network.segment_a[eligible, 0], network.segment_a[eligible, 1])
    sx_b, sy_b = network.to_plane(network.segment_b[eligible, 0], network.segment_b[eligible, 1])
    tree = shapely.STRtree(shapely.linestrings(np.stack([np.column_stack([sx_a, sy_a]),
                                                         np.column_stack([sx_b, sy_b])], axis=1)))
    clock.lap("network")

    c_edge, c_offset, c_access = snap(network, tree, eligible, center_lon, center_lat, args.max_snap_m)
    r_edge, r_offset, r_access = snap(network, tree, eligible, res_lon, res_lat, args.max_snap_m)
    clock.lap("snap")

    seed_nodes, seed_m, on_edges = contract.seeds(network, c_edge, c_offset, c_access)
    # A virtual source (node n) reaches every seed node at its initial walk. Its arcs
    # are built as explicit entries, so a walk of 0 m stays an arc.
    source = n
    rows = np.concatenate([a, np.full(len(seed_nodes), source)])
    cols = np.concatenate([b, seed_nodes])
    data = np.concatenate([length, seed_m])
    order = np.lexsort((data, cols, rows))
    rows, cols, data = rows[order], cols[order], data[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    rows, cols, data = rows[first], cols[first], data[first]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n + 1))])
    graph = sp.csr_matrix((data, cols, indptr), shape=(n + 1, n + 1))
    node_walk_m = dijkstra(graph, directed=True, indices=source, limit=threshold_m)
    walk_m = contract.resident_walks(network, node_walk_m, r_edge, r_offset, r_access, on_edges)
    clock.lap("search")

    contract.write_outputs(args.out_dir, ids, res_lon, res_lat, population, walk_m, r_access,
                           threshold_m, metres_per_min)
    clock.lap("write")
    clock.write(f"{args.out_dir}/stages.json")


if __name__ == "__main__":
    main()
