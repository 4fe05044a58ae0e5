"""Checks a Python pipeline's answers against `lifecircle coverage`'s, resident by
resident, and prints one JSON line with the counts.

    python compare.py LIFECIRCLE_OUT_DIR PIPELINE_OUT_DIR [--threshold-m 800]

Compared for every resident (matched by id): the covered flag, and the walk in metres
wherever the pipeline gives one (within the threshold: its search stops there,
lifecircle's does not). lifecircle writes `walk_m` rounded to the centimetre, so walks agree when they
differ by at most 5 mm (its rounding) plus 1e-6 relative. The summary's covered
population and coverage ratio are compared with 1e-9 relative tolerance.
"""
import argparse
import gzip
import json
import os

import numpy as np

WALK_TOLERANCE_M = 0.005


def load_geojson(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as fh:
        return json.load(fh)["features"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lifecircle_out"), parser.add_argument("pipeline_out")
    parser.add_argument("--threshold-m", type=float, default=800.0)
    args = parser.parse_args()

    ours = {f["properties"]["id"]: f["properties"] for f in load_geojson(f"{args.lifecircle_out}/demand.geojson")}
    # A pipeline writes residents.geojson; another lifecircle run, demand.geojson.
    name = "residents" if os.path.exists(f"{args.pipeline_out}/residents.geojson") else "demand"
    theirs = load_geojson(f"{args.pipeline_out}/{name}.geojson")
    if len(ours) != len(theirs):
        raise SystemExit(f"compare: {len(ours)} residents in lifecircle's output, {len(theirs)} in the pipeline's")
    covered_differs, walk_compared, walk_differs, worst_m, missing = 0, 0, 0, 0.0, 0
    examples = []
    for f in theirs:
        p = f["properties"]
        o = ours.get(str(p["id"]))
        if o is None:
            missing += 1
            continue
        if bool(p["covered"]) != bool(o["covered"]):
            covered_differs += 1
            if len(examples) < 5:
                examples.append({"id": p["id"], "lifecircle_walk_m": o["walk_m"], "pipeline_walk_m": p["walk_m"]})
        walk = p["walk_m"]
        if walk is not None and np.isfinite(walk):
            walk_compared += 1
            if o["walk_m"] is None:
                walk_differs += 1
                continue
            gap = abs(walk - o["walk_m"])
            if gap > WALK_TOLERANCE_M + 1e-6 * abs(o["walk_m"]):
                walk_differs += 1
                worst_m = max(worst_m, gap)
    with open(f"{args.lifecircle_out}/summary.json") as fh:
        ours_summary = json.load(fh)["coverage"]
    with open(f"{args.pipeline_out}/summary.json") as fh:
        theirs_summary = json.load(fh)
    theirs_summary = theirs_summary.get("coverage", theirs_summary)
    summary_equal = all(
        abs(ours_summary[k] - theirs_summary[k]) <= 1e-9 * max(1.0, abs(ours_summary[k]))
        for k in ("total_population", "covered_population", "coverage_ratio"))
    print(json.dumps({
        "residents": len(theirs), "missing_ids": missing, "covered_differs": covered_differs,
        "walks_compared": walk_compared, "walks_differ": walk_differs, "worst_walk_gap_m": round(worst_m, 4),
        "summary_equal": summary_equal,
        "covered_population": {"lifecircle": ours_summary["covered_population"],
                               "pipeline": theirs_summary["covered_population"]},
        "examples": examples,
    }))


if __name__ == "__main__":
    main()
