"""Markdown tables of a side-by-side run (benches/pipelines/run.sh): per city, each
tool's median wall time and peak RSS with the ratios to lifecircle, the agreement
check, and where each tool spends its time.

    python table.py OUT_DIR CITY [CITY ...]
"""
import csv
import glob
import json
import os
import statistics
import sys

WHAT = {
    "lifecircle": "`lifecircle coverage`, every default output: residents, summary, network, gaps, "
                  "service areas, report; adult, older and wheelchair profiles",
    "scipy": "geopandas/pyogrio read, NumPy network, shapely STRtree snap, SciPy csgraph dijkstra "
             "(bounded), residents GeoJSON + summary",
    "osmnx": "geopandas/pyogrio read, `osmnx.graph_from_gdfs` + `project_graph`, `nearest_edges`, "
             "NetworkX `multi_source_dijkstra_path_length` (cutoff), residents GeoJSON + summary",
    "osmnx-nearest-node": "as osmnx, but points moved to the nearest node (`nearest_nodes`), no access legs: "
                          "answers differ by design",
}
TIMEOUT_EXIT = "124"


def main():
    out, cities = sys.argv[1], sys.argv[2:]
    for city in cities:
        with open(f"{out}/{city}/runs.tsv") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        tools = list(dict.fromkeys(r["tool"] for r in rows))
        with open(f"{out}/{city}/agreement.json") as fh:
            agreement = json.load(fh)
        decoded_mib = int(open(f"{out}/{city}/decoded_input_bytes").read()) / 2**20

        def median(tool, field):
            ok = [float(r[field]) for r in rows if r["tool"] == tool and r["exit"] == "0"]
            return statistics.median(ok) if ok else None

        base = median("lifecircle", "wall_s")
        print(f"\n#### {city} (decoded inputs {decoded_mib:.1f} MiB)\n")
        print("| tool | what it computes | runs | wall, s (median) | ÷ lifecircle "
              "| peak RSS, MiB | peak RSS ÷ decoded inputs | answers vs lifecircle |")
        print("|---|---|---:|---:|---:|---:|---:|---|")
        for tool in tools:
            done = [r for r in rows if r["tool"] == tool]
            wall, rss = median(tool, "wall_s"), median(tool, "peak_rss_mib")
            if wall is None:
                timed_out = any(r["exit"] == TIMEOUT_EXIT for r in done)
                note = f"stopped at the time limit ({done[0]['wall_s']} s)" if timed_out else \
                    f"failed (exit {done[0]['exit']})"
                print(f"| {tool} | {WHAT.get(tool, '')} | {len(done)} | {note} | | | | |")
                continue
            ratio = f"{wall / base:.1f}×" if base else ""
            check = agreement.get(tool)
            if tool == "lifecircle":
                answers = "reference"
            elif check is None:
                answers = "not compared"
            else:
                answers = (f"covered flag differs for {check['covered_differs']:,} of {check['residents']:,}; "
                           f"walks differ for {check['walks_differ']:,} of {check['walks_compared']:,} "
                           f"(worst {check['worst_walk_gap_m']} m); summary "
                           + ("equal" if check["summary_equal"] else
                              f"differs ({check['covered_population']['pipeline']:,.0f} vs "
                              f"{check['covered_population']['lifecircle']:,.0f} covered)"))
            print(f"| {tool} | {WHAT.get(tool, '')} | {len(done)} | {wall:.2f} | {ratio} "
                  f"| {rss:,.0f} | {rss / decoded_mib:.1f} | {answers} |")

        print("\nWhere the time goes (median seconds per stage):\n")
        for tool, pattern, key in (("lifecircle", "lifecircle.timings", "stages_s"),
                                   ("scipy", "scipy.stages", "stages_s"), ("osmnx", "osmnx.stages", "stages_s")):
            files = sorted(glob.glob(f"{out}/{city}/{pattern}.*.json"))
            if not files:
                continue
            loaded = [json.load(open(f)) for f in files]
            stages = list(loaded[0][key])
            parts = ", ".join(f"{s} {statistics.median(l[key].get(s, 0.0) for l in loaded):.3f}" for s in stages)
            print(f"- {tool}: {parts}")
    print()


if __name__ == "__main__":
    if not os.path.isdir(sys.argv[1]):
        raise SystemExit(f"table.py: no such directory {sys.argv[1]}")
    main()
