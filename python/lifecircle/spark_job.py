"""`spark-submit` entry point: walking coverage of GeoParquet layers on a Spark cluster.

    spark-submit --master local[2] "$(python -c 'import lifecircle.spark_job as j; print(j.__file__)')" \\
        --roads roads.parquet --centers centers.parquet --demand residents.parquet \\
        --minutes 10 --tile-m 5000 --out coverage/

Each input is (Geo)Parquet with a ``geometry`` column of WKB in WGS84 (a folder of files
or one file; `lifecircle.spark` says which columns each layer takes). The job writes
``residents/``, ``centers/``, ``units/`` (when the demand has a ``unit`` column) and
``tiles/`` as Parquet under ``--out``, and prints the totals.
"""

from __future__ import annotations

import argparse
import json
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="lifecircle-spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--roads", required=True)
    parser.add_argument("--centers", required=True)
    parser.add_argument("--demand", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--minutes", type=float, default=None)
    parser.add_argument("--metres", "--meters", type=float, default=None, help="threshold as a walking distance, metres")
    parser.add_argument("--speed-kmh", type=float, default=None)
    parser.add_argument("--profile", default="adult")
    parser.add_argument("--max-snap-m", type=float, default=None)
    parser.add_argument("--min-component-nodes", type=int, default=None)
    parser.add_argument("--tile-m", type=float, default=5_000.0)
    parser.add_argument("--mode", default="errorifexists", help="Spark save mode of the outputs (default: errorifexists)")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    from lifecircle import spark as distributed

    existing = SparkSession.getActiveSession()
    session = existing or SparkSession.builder.appName("lifecircle coverage").getOrCreate()
    read = session.read.parquet
    options = {
        name: value
        for name, value in (
            ("minutes", args.minutes),
            ("metres", args.metres),
            ("speed_kmh", args.speed_kmh),
            ("max_snap_m", args.max_snap_m),
            ("min_component_nodes", args.min_component_nodes),
        )
        if value is not None
    }
    result = distributed.coverage(
        session, read(args.roads), read(args.centers), read(args.demand), profile=args.profile, tile_m=args.tile_m, **options
    )
    out = args.out.rstrip("/")
    result.residents.write.mode(args.mode).parquet(f"{out}/residents")
    result.centers.write.mode(args.mode).parquet(f"{out}/centers")
    result.tiles.write.mode(args.mode).parquet(f"{out}/tiles")
    if result.units is not None:
        result.units.write.mode(args.mode).parquet(f"{out}/units")
    totals = session.read.parquet(f"{out}/residents").selectExpr(
        "count(*) AS residents",
        "sum(population) AS total_population",
        "sum(CASE WHEN covered THEN population ELSE 0 END) AS covered_population",
    ).first()
    summary = totals.asDict()
    summary["coverage_ratio"] = summary["covered_population"] / summary["total_population"] if summary["total_population"] else 0.0
    summary["reach_m"] = result.reach_m
    print(json.dumps(summary, indent=2))
    if existing is None:
        session.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
