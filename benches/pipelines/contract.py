"""lifecircle's coverage contract (docs/coverage-contract.md) in NumPy and geopandas, for
the Python pipelines of the side-by-side bench: the parts a user must write whatever
graph library they then use, so that the pipelines answer exactly what
`lifecircle coverage` answers.

- Reading: roads with geopandas (pyogrio), only walkable LineString / MultiLineString
  features (core/src/input/walkable.rs), consecutive repeated vertices dropped, lines
  with fewer than 2 distinct vertices skipped; residents and centers with pandas.
- The network: a vertex (rounded to 1e-7 degrees) is a node when it ends a line or is
  used twice or more; an edge joins consecutive nodes along a line and ends exactly at
  its nodes' first-seen positions; lengths are haversine sums (R = 6,371,008.8 m).
- Snapping: the nearest point of the nearest segment of a component with at least
  `min_component_nodes` nodes, measured exactly (the nearest point found in a plane
  centred on the point, its distance a haversine), within `max_snap_m`.
- Seeds: a center seeds both ends of its edge with its access leg plus the walk along
  the edge; a resident takes the better end of its edge, or a center on its own edge,
  plus its own access leg.
"""
import json
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE_LAT = EARTH_RADIUS_M * np.pi / 180.0
NOT_WALKABLE_HIGHWAYS = {
    "motorway", "motorway_link", "construction", "proposed", "abandoned", "raceway", "bus_guideway",
}


class StageClock:
    """Wall-clock seconds per stage, printed as JSON at the end (where the time goes)."""

    def __init__(self, started):
        # The imports (geopandas, shapely, SciPy, OSMnx) are part of the job a user times.
        self._last = time.perf_counter()
        self.stages_s = {"import": round(self._last - started, 4)}

    def lap(self, stage):
        now = time.perf_counter()
        self.stages_s[stage] = round(now - self._last, 4)
        self._last = now

    def write(self, path):
        with open(path, "w") as fh:
            json.dump({"stages_s": self.stages_s, "total_s": round(sum(self.stages_s.values()), 4)}, fh)


def haversine_m(lon1, lat1, lon2, lat2):
    """Great-circle distance in metres, the formula of core/src/geodesy.rs."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlon = np.radians(lon2 - lon1)
    h = np.sin(dphi / 2.0) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlon / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.minimum(np.sqrt(h), 1.0))


def _walkable(roads):
    """Mask of the walkable features (core/src/input/walkable.rs): highway not excluded;
    foot not no/private; access not no/private unless foot is yes/designated/permissive."""
    def column(name):
        return roads[name].astype(object) if name in roads.columns else pd.Series(None, index=roads.index, dtype=object)

    highway, foot, access = column("highway"), column("foot"), column("access")
    keep = ~highway.isin(NOT_WALKABLE_HIGHWAYS)
    keep &= ~foot.isin({"no", "private"})
    foot_allows = foot.isin({"yes", "designated", "permissive"})
    keep &= foot_allows | ~access.isin({"no", "private"})
    return keep.to_numpy()


def read_road_vertices(path):
    """Every vertex of the walkable lines in line order: (lon, lat, line index)."""
    # GDAL reads gzip through its /vsigzip/ file system.
    source = f"/vsigzip/{path}" if str(path).endswith(".gz") else path
    # Only the tags the walkability rule reads (a GeoJSON from OSM has hundreds of keys).
    fields = set(pyogrio.read_info(source)["fields"])
    tags = [name for name in ("highway", "foot", "access") if name in fields]
    roads = gpd.read_file(source, engine="pyogrio", use_arrow=True, columns=tags)
    kinds = shapely.get_type_id(roads.geometry.values)
    lines = (kinds == 1) | (kinds == 5)  # LineString, MultiLineString
    roads = roads[lines & _walkable(roads)]
    # Each part of a MultiLineString is a line of its own, in order.
    parts = shapely.get_parts(roads.geometry.values)
    coords, line = shapely.get_coordinates(parts, return_index=True)
    lon, lat = coords[:, 0], coords[:, 1]
    repeated = np.zeros(len(lon), dtype=bool)
    repeated[1:] = (line[1:] == line[:-1]) & (lon[1:] == lon[:-1]) & (lat[1:] == lat[:-1])
    lon, lat, line = lon[~repeated], lat[~repeated], line[~repeated]
    # Lines left with fewer than 2 distinct vertices are skipped.
    counts = np.bincount(line)
    long_enough = counts[line] >= 2
    return lon[long_enough], lat[long_enough], line[long_enough]


def read_points(path):
    """Points of a CSV with id, lon, lat and an optional population (missing means 1)."""
    table = pd.read_csv(path, dtype={"id": str})
    population = table["population"].to_numpy(float) if "population" in table.columns else np.ones(len(table))
    return table["id"].to_numpy(), table["lon"].to_numpy(float), table["lat"].to_numpy(float), population


class Network:
    """Nodes, edges and segments of the walk network, as lifecircle builds them.

    Edges are numbered in line order (as lifecircle numbers them, so ties between equally
    near segments break the same way); node numbers are this module's own.
    """

    def __init__(self, lon, lat, line):
        n = len(lon)
        # Round half away from zero, as Rust's f64::round does.
        def rounded(v):
            scaled = v * 1e7
            return (np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)).astype(np.int64)

        key = (rounded(lon) << 32) ^ (rounded(lat) & 0xFFFFFFFF)
        _, first_use, place = np.unique(key, return_index=True, return_inverse=True)
        ends = np.zeros(n, dtype=bool)
        ends[0] = ends[-1] = True
        ends[1:] |= line[1:] != line[:-1]
        ends[:-1] |= line[1:] != line[:-1]
        uses = np.bincount(place, weights=np.where(ends, 2, 1))
        is_node = uses[place] >= 2
        # A node sits at its place's first-seen coordinates; edges end exactly there.
        lon = np.where(is_node, lon[first_use[place]], lon)
        lat = np.where(is_node, lat[first_use[place]], lat)
        node_places, node_of_vertex = np.unique(np.where(is_node, place, -1), return_inverse=True)
        node_of_vertex = node_of_vertex - 1 if node_places[0] == -1 else node_of_vertex
        self.node_count = int((node_places >= 0).sum())
        node_first = first_use[node_places[node_places >= 0]]
        self.node_lon, self.node_lat = lon[node_first], lat[node_first]

        # Offsets along each line (cumulative haversine), then edges between
        # consecutive nodes of one line.
        same_line = line[1:] == line[:-1]
        segment_m = np.where(same_line, haversine_m(lon[:-1], lat[:-1], lon[1:], lat[1:]), 0.0)
        along_m = np.concatenate([[0.0], np.cumsum(segment_m)])
        node_vertices = np.flatnonzero(is_node)
        pair = line[node_vertices[1:]] == line[node_vertices[:-1]]
        start, end = node_vertices[:-1][pair], node_vertices[1:][pair]
        self.edge_from = node_of_vertex[start]
        self.edge_to = node_of_vertex[end]
        self.edge_length_m = along_m[end] - along_m[start]
        self.edge_count = len(start)

        # Segments of every edge: vertex k to k+1 for k in [start, end).
        per_edge = end - start
        edge_of_segment = np.repeat(np.arange(self.edge_count), per_edge)
        first_of_edge = np.repeat(start, per_edge)
        k = np.arange(per_edge.sum()) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge) + first_of_edge
        self.segment_edge = edge_of_segment
        self.segment_index = k - first_of_edge
        self.segment_a = np.column_stack([lon[k], lat[k]])
        self.segment_b = np.column_stack([lon[k + 1], lat[k + 1]])
        self.segment_offset_a_m = along_m[k] - along_m[first_of_edge]
        self.segment_offset_b_m = along_m[k + 1] - along_m[first_of_edge]
        # The network-wide plane that proposes candidates (lifecircle's
        # LocalProjection::fitting over the nodes).
        self.origin = (float(self.node_lon.min() + self.node_lon.max()) / 2.0,
                       float(self.node_lat.min() + self.node_lat.max()) / 2.0)

    def to_plane(self, lon, lat):
        """The network-wide equirectangular plane, metres."""
        m_lon = METRES_PER_DEGREE_LAT * max(np.cos(np.radians(self.origin[1])), 1e-6)
        return (lon - self.origin[0]) * m_lon, (lat - self.origin[1]) * METRES_PER_DEGREE_LAT

    def proj4_plane(self):
        """The same plane as a PROJ string (for OSMnx's project_graph)."""
        return (f"+proj=eqc +lat_ts={self.origin[1]!r} +lat_0={self.origin[1]!r} +lon_0={self.origin[0]!r} "
                f"+x_0=0 +y_0=0 +R={EARTH_RADIUS_M} +units=m +no_defs")

    def segments_in_components(self, component_of_node, min_component_nodes):
        """Mask of the segments whose edge lies in a component of enough nodes."""
        sizes = np.bincount(component_of_node)
        big_edge = sizes[component_of_node[self.edge_from]] >= min_component_nodes
        return big_edge[self.segment_edge]

    def stretch(self, lat_point, radius_m):
        """Most the network plane can lengthen a distance of at most radius_m from a
        point (core/src/network/snap.rs `projection_stretch`)."""
        reach = np.minimum(radius_m / EARTH_RADIUS_M, np.pi / 2)
        lat_point = np.radians(lat_point)
        south = np.maximum(lat_point - reach, -np.pi / 2)
        north = np.minimum(lat_point + reach, np.pi / 2)
        cos_min = np.maximum(np.minimum(np.cos(south), np.cos(north)), 1e-9)
        cos_max = np.where((south <= 0) & (north >= 0), 1.0, np.maximum(np.cos(south), np.cos(north)))
        cos_origin = max(np.cos(np.radians(self.origin[1])), 1e-9)
        return np.maximum(np.maximum(cos_origin / cos_min, cos_max / cos_origin), 1.0) * (1 + 1e-6 + 4 * reach * reach)

    def measure(self, point_index, lon, lat, segment):
        """The exact snap of points to given segments (arrays of equal length):
        (access_m, offset_m along the edge). The nearest point is found in a plane
        centred on the point, as lifecircle does, and measured by haversine."""
        plon, plat = lon[point_index], lat[point_index]
        m_lon = METRES_PER_DEGREE_LAT * np.maximum(np.cos(np.radians(plat)), 1e-6)
        a, b = self.segment_a[segment], self.segment_b[segment]
        ax, ay = (a[:, 0] - plon) * m_lon, (a[:, 1] - plat) * METRES_PER_DEGREE_LAT
        bx, by = (b[:, 0] - plon) * m_lon, (b[:, 1] - plat) * METRES_PER_DEGREE_LAT
        dx, dy = bx - ax, by - ay
        len2 = dx * dx + dy * dy
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(len2 > 0, np.clip((-ax * dx - ay * dy) / len2, 0.0, 1.0), 0.0)
        slon, slat = a[:, 0] + t * (b[:, 0] - a[:, 0]), a[:, 1] + t * (b[:, 1] - a[:, 1])
        o0, o1 = self.segment_offset_a_m[segment], self.segment_offset_b_m[segment]
        return haversine_m(plon, plat, slon, slat), o0 + t * (o1 - o0)

    def nearest_of(self, point_index, segment, access_m, offset_m, points):
        """Per point the best candidate (least access, then lowest edge and segment, as
        lifecircle breaks ties): (edge, offset_m, access_m), -1 / nan without one."""
        order = np.lexsort((self.segment_index[segment], self.segment_edge[segment], access_m, point_index))
        point_index = point_index[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = point_index[1:] != point_index[:-1]
        chosen = order[first]
        edge = np.full(points, -1, dtype=np.int64)
        offset = np.full(points, np.nan)
        access = np.full(points, np.nan)
        edge[point_index[first]] = self.segment_edge[segment[chosen]]
        offset[point_index[first]] = offset_m[chosen]
        access[point_index[first]] = access_m[chosen]
        return edge, offset, access


def seeds(network, edge, offset_m, access_m):
    """Search seeds of snapped centers: (node, initial walk in metres) for both ends of
    each center's edge; and the centers on each edge, for walks along one edge."""
    snapped = edge >= 0
    e, o, a = edge[snapped], offset_m[snapped], access_m[snapped]
    nodes = np.concatenate([network.edge_from[e], network.edge_to[e]])
    costs = np.concatenate([a + o, a + network.edge_length_m[e] - o])
    return nodes, costs, (e, o, a)


def resident_walks(network, node_walk_m, edge, offset_m, access_m, centers_on_edges):
    """Walk in metres from each resident to its nearest center (nan: none found):
    the better end of its edge, or a center on its own edge, plus its access leg."""
    snapped = edge >= 0
    e = np.where(snapped, edge, 0)
    via_from = node_walk_m[network.edge_from[e]] + offset_m
    via_to = node_walk_m[network.edge_to[e]] + (network.edge_length_m[e] - offset_m)
    walk = np.minimum(via_from, via_to)
    center_edge, center_offset, center_access = centers_on_edges
    for ce, co, ca in zip(center_edge, center_offset, center_access):
        on_it = snapped & (edge == ce)
        walk[on_it] = np.minimum(walk[on_it], np.abs(offset_m[on_it] - co) + ca)
    walk = walk + access_m
    walk[~snapped | ~np.isfinite(walk)] = np.nan
    return walk


def write_outputs(out_dir, ids, lon, lat, population, walk_m, access_m, threshold_m, metres_per_min):
    """Per-resident GeoJSON (id, population, walk_m, walk_min, covered, access_m) and
    summary.json (total and covered population, coverage ratio).

    walk_m is null beyond the threshold: the search stops there, so a longer walk it
    found (through the one end of the resident's edge it reached) is only an upper bound.
    """
    covered = np.nan_to_num(walk_m, nan=np.inf) <= threshold_m
    walk_m = np.where(covered, walk_m, np.nan)
    residents = gpd.GeoDataFrame(
        {"id": ids, "population": population, "walk_m": walk_m, "walk_min": walk_m / metres_per_min,
         "covered": covered, "access_m": access_m},
        geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    residents.to_file(f"{out_dir}/residents.geojson", driver="GeoJSON", engine="pyogrio")
    total = float(population.sum())
    covered_population = float(population[covered].sum())
    with open(f"{out_dir}/summary.json", "w") as fh:
        json.dump({"total_population": total, "covered_population": covered_population,
                   "coverage_ratio": covered_population / total if total else 0.0}, fh, indent=1)
