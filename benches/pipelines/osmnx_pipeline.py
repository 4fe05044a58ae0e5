"""The coverage job as an OSMnx + NetworkX script, the common way: roads GeoJSON and
residents / centers CSV in, per-resident walks (GeoJSON) and a summary out.

    python osmnx_pipeline.py ROADS CENTERS RESIDENTS OUT_DIR [--snap edge|nearest-node] \
        [--minutes 10] [--speed-kmh 4.8] [--max-snap-m 300] [--min-component-nodes 20]

Nothing is downloaded: the graph is built from the lines (contract.py splits them into
nodes and edges), turned into an OSMnx graph with `osmnx.graph_from_gdfs`, projected
with `osmnx.projection.project_graph` into a plane around the network's centre.

--snap edge (default, the "same outputs" form): `osmnx.distance.nearest_edges` finds
each point's nearest edge in that plane, and the point is attached to its nearest point
exactly as lifecircle measures it; one `networkx.multi_source_dijkstra_path_length`
with a cutoff at the threshold runs from a virtual source joined to both ends of every
center's edge with the center's initial walk.

--snap nearest-node (what a user often writes instead): every point moves to its
nearest node (`osmnx.distance.nearest_nodes`) with no access leg, and the search starts
at the centers' nodes at 0 m. Its answers differ from lifecircle's by design.

Writes OUT_DIR/residents.geojson, summary.json and stages.json (seconds per stage).
"""
import time

STARTED = time.perf_counter()

import argparse  # noqa: E402

import geopandas as gpd  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import osmnx as ox  # noqa: E402
import pandas as pd  # noqa: E402
import pyproj  # noqa: E402
import shapely  # noqa: E402

import contract  # noqa: E402

VIRTUAL_SOURCE = "centers"


def osmnx_graph(network):
    """The network as an OSMnx MultiDiGraph: nodes with x/y, one edge per network edge
    (key: the edge number, so parallel edges stay apart) with its length and line."""
    nodes = gpd.GeoDataFrame(
        {"x": network.node_lon, "y": network.node_lat},
        geometry=gpd.points_from_xy(network.node_lon, network.node_lat), crs="EPSG:4326")
    nodes.index.name = "osmid"
    # Each edge's vertices: the first vertex of each of its segments, then the last one.
    last = np.ones(len(network.segment_edge), dtype=bool)
    last[:-1] = network.segment_edge[1:] != network.segment_edge[:-1]
    coords = np.concatenate([network.segment_a, network.segment_b[last]])
    owner = np.concatenate([network.segment_edge, network.segment_edge[last]])
    rank = np.concatenate([network.segment_index, network.segment_index[last] + 1])
    order = np.lexsort((rank, owner))
    geometry = shapely.linestrings(coords[order], indices=owner[order])
    index = pd.MultiIndex.from_arrays(
        [network.edge_from, network.edge_to, np.arange(network.edge_count)], names=["u", "v", "key"])
    edges = gpd.GeoDataFrame({"length": network.edge_length_m}, geometry=geometry, index=index, crs="EPSG:4326")
    return ox.graph_from_gdfs(nodes, edges)


def snap_to_edges(network, projected, to_plane, lon, lat, max_snap_m):
    """(edge, offset_m, access_m) per point; edge -1 beyond max_snap_m."""
    x, y = to_plane.transform(lon, lat)
    nearest = ox.distance.nearest_edges(projected, x, y)
    edge = np.array([key for _, _, key in nearest], dtype=np.int64)
    # Every segment of that edge measured exactly; the nearest kept.
    first = np.searchsorted(network.segment_edge, edge, side="left")
    count = np.searchsorted(network.segment_edge, edge, side="right") - first
    point = np.repeat(np.arange(len(lon)), count)
    segment = np.repeat(first, count) + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count))
    access, offset = network.measure(point, lon, lat, segment)
    edge, offset, access = network.nearest_of(point, segment, access, offset, len(lon))
    too_far = ~(access <= max_snap_m)
    edge[too_far], offset[too_far], access[too_far] = -1, np.nan, np.nan
    return edge, offset, access


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roads"), parser.add_argument("centers"), parser.add_argument("residents")
    parser.add_argument("out_dir")
    parser.add_argument("--snap", choices=["edge", "nearest-node"], default="edge")
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
    graph = osmnx_graph(network)
    # Walking ignores direction. (Not `nx.MultiGraph(graph)`: from a directed multigraph
    # it keeps the edges of only one direction between two nodes, so it loses parallel
    # edges drawn the other way.) Keys are unique, so no two edges merge here.
    walk_graph = graph.to_undirected()
    big = [n for c in nx.connected_components(walk_graph) if len(c) >= args.min_component_nodes for n in c]
    projected = ox.projection.project_graph(graph.subgraph(big), to_crs=network.proj4_plane())
    to_plane = pyproj.Transformer.from_crs("EPSG:4326", network.proj4_plane(), always_xy=True)
    clock.lap("network")

    if args.snap == "edge":
        c_edge, c_offset, c_access = snap_to_edges(network, projected, to_plane, center_lon, center_lat,
                                                   args.max_snap_m)
        r_edge, r_offset, r_access = snap_to_edges(network, projected, to_plane, res_lon, res_lat,
                                                   args.max_snap_m)
        clock.lap("snap")
        seed_nodes, seed_m, on_edges = contract.seeds(network, c_edge, c_offset, c_access)
        for node, walk in zip(seed_nodes.tolist(), seed_m.tolist()):
            walk_graph.add_edge(VIRTUAL_SOURCE, node, length=walk)
        reached = nx.multi_source_dijkstra_path_length(walk_graph, {VIRTUAL_SOURCE}, cutoff=threshold_m,
                                                       weight="length")
        reached.pop(VIRTUAL_SOURCE)
        node_walk_m = np.full(network.node_count, np.inf)
        node_walk_m[np.fromiter(reached.keys(), dtype=np.int64, count=len(reached))] = np.fromiter(
            reached.values(), dtype=float, count=len(reached))
        walk_m = contract.resident_walks(network, node_walk_m, r_edge, r_offset, r_access, on_edges)
    else:
        cx, cy = to_plane.transform(center_lon, center_lat)
        rx, ry = to_plane.transform(res_lon, res_lat)
        center_nodes = ox.distance.nearest_nodes(projected, cx, cy)
        resident_nodes = np.asarray(ox.distance.nearest_nodes(projected, rx, ry))
        r_access = np.zeros(len(res_lon))
        clock.lap("snap")
        reached = nx.multi_source_dijkstra_path_length(walk_graph, set(center_nodes.tolist()),
                                                       cutoff=threshold_m, weight="length")
        walk_m = np.array([reached.get(n, np.nan) for n in resident_nodes.tolist()])
    clock.lap("search")

    contract.write_outputs(args.out_dir, ids, res_lon, res_lat, population, walk_m, r_access,
                           threshold_m, metres_per_min)
    clock.lap("write")
    clock.write(f"{args.out_dir}/stages.json")


if __name__ == "__main__":
    main()
