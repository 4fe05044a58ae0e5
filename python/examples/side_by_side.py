"""The tutorial's job done twice on the Isle of Man sample — with lifecircle, and the
way it is usually done in Python with OSMnx + NetworkX — timed and compared.

    osmium cat data/isle_of_man.osm.pbf -o /tmp/isle_of_man.osm   # OSMnx reads OSM XML
    python python/examples/side_by_side.py /tmp/isle_of_man.osm

The OSMnx route: the walking graph from the XML (its largest component, OSMnx's
default: with every fragment kept, centers join the nearest node of a stray footpath
and coverage drops to 12 %), centers and buildings as features, everything projected
to metres, each point joined to its nearest graph node, one multi-source Dijkstra from
the centers' nodes cut off at 800 m (10 minutes at 4.8 km/h). lifecircle snaps to the
nearest point of an edge and counts the walk along it, so the two ratios differ a
little.
"""

import sys
import time

import networkx as nx
import osmnx as ox

import lifecircle

PBF = "data/isle_of_man.osm.pbf"
CENTERS = "amenity=community_centre|social_centre|library|townhall|social_facility"
CENTER_TAGS = {"amenity": ["community_centre", "social_centre", "library", "townhall", "social_facility"]}
CUTOFF_M = 10 / 60 * 4800


def timed(label, work, times):
    start = time.perf_counter()
    result = work()
    times[label] = time.perf_counter() - start
    return result


def with_lifecircle():
    times = {}
    study = timed("study (read, network, walks)", lambda: lifecircle.Study(
        PBF, lifecircle.from_osm(PBF, CENTERS), lifecircle.from_osm(PBF, "building")), times)
    coverage = timed("summary", lambda: study.summary["coverage"], times)
    residents = timed("residents GeoDataFrame", study.residents, times)
    return coverage["coverage_ratio"], len(residents), times


def with_osmnx(xml):
    times = {}
    graph = timed("walking graph from XML", lambda: ox.graph_from_xml(xml, bidirectional=True), times)
    graph = timed("project graph", lambda: ox.project_graph(graph), times)
    centers = timed("centers from XML", lambda: ox.features_from_xml(xml, tags=CENTER_TAGS), times)
    buildings = timed("buildings from XML", lambda: ox.features_from_xml(xml, tags={"building": True}), times)

    def nearest():
        crs = graph.graph["crs"]
        c = centers.to_crs(crs).representative_point()
        b = buildings.to_crs(crs).representative_point()
        return ox.distance.nearest_nodes(graph, c.x, c.y), ox.distance.nearest_nodes(graph, b.x, b.y)

    center_nodes, building_nodes = timed("nearest nodes", nearest, times)
    walks = timed("multi-source Dijkstra", lambda: nx.multi_source_dijkstra_path_length(
        graph, set(center_nodes), cutoff=CUTOFF_M, weight="length"), times)
    covered = sum(1 for n in building_nodes if n in walks)
    return covered / len(building_nodes), len(building_nodes), times


def main():
    xml = sys.argv[1]
    rows = []
    for name, run in (("lifecircle", with_lifecircle), ("OSMnx + NetworkX", lambda: with_osmnx(xml))):
        ratio, residents, times = run()
        total = sum(times.values())
        rows.append((name, ratio, residents, total))
        print(f"\n{name}: {ratio:.1%} of {residents:,} buildings covered, {total:.2f} s")
        for label, seconds in times.items():
            print(f"  {label:<30} {seconds:8.3f} s")
    (_, _, _, ours), (_, _, _, theirs) = rows
    print(f"\nlifecircle is {theirs / ours:.0f}× faster end to end")


if __name__ == "__main__":
    main()
