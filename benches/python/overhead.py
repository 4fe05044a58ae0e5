"""The Python package's overhead over the command line, on the bundled Isle of Man
sample, in one run: the same study through `lifecircle coverage` and through
`lifecircle.Study`, each repeated, medians compared; then one `what_if` call's latency.

    cargo build --release -p lifecircle-cli
    bash scripts/test-python.sh            # builds the package into target/python-venv
    target/python-venv/bin/python benches/python/overhead.py [REPS]

"Compute" is everything but writing the files: the CLI's stages from timings.json
without "writing outputs"; for Python, making the Study and its summary (which computes
every derived output). "With files" adds writing the output folder: the CLI's whole
command (process start included) against `Study(...)` + `to_files()`.
"""

import json
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import lifecircle

REPO = pathlib.Path(__file__).resolve().parents[2]
PBF = "data/isle_of_man.osm.pbf"
CENTERS = "amenity=community_centre|social_centre|library|townhall|social_facility"
CLI = REPO / "target/release/lifecircle"


def cli_run(out):
    start = time.perf_counter()
    subprocess.run(
        [str(CLI), "coverage", "--roads", PBF, "--centers-osm", CENTERS, "--demand-osm", "building", "--quiet", "--out", str(out)],
        check=True,
        cwd=REPO,
    )
    wall = time.perf_counter() - start
    stages = json.loads((out / "timings.json").read_text())["stages_s"]
    compute = sum(v for k, v in stages.items() if k != "writing outputs")
    return compute, wall


def python_run(out):
    start = time.perf_counter()
    study = lifecircle.Study(PBF, lifecircle.from_osm(PBF, CENTERS), lifecircle.from_osm(PBF, "building"))
    study.summary
    compute = time.perf_counter() - start
    study.to_files(out)
    return compute, time.perf_counter() - start, study


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    rows = {"cli": [], "python": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        for rep in range(reps + 1):  # the first round warms the file cache
            # Alternate, so drift on a shared machine falls on both alike.
            c = cli_run(tmp / "cli")
            p = python_run(tmp / "py")
            if rep:
                rows["cli"].append(c)
                rows["python"].append(p[:2])
        study = p[2]
    median = {k: [statistics.median(x[i] for x in v) for i in range(2)] for k, v in rows.items()}
    (cli_compute, cli_wall), (py_compute, py_wall) = median["cli"], median["python"]
    print(f"Isle of Man sample, median of {reps}:")
    print(f"  compute     CLI {cli_compute * 1000:7.1f} ms   Python {py_compute * 1000:7.1f} ms   ratio {py_compute / cli_compute:.3f}")
    print(f"  with files  CLI {cli_wall * 1000:7.1f} ms   Python {py_wall * 1000:7.1f} ms   ratio {py_wall / cli_wall:.3f}")
    latencies = []
    gaps = study.gaps(format="arrow").column("centroid").to_pylist()
    for centroid in gaps[:50]:
        lon, lat = json.loads(centroid)
        start = time.perf_counter()
        study.what_if(lon, lat)
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    print(f"  what_if     median {statistics.median(latencies):.2f} ms, p95 {latencies[int(len(latencies) * 0.95) - 1]:.2f} ms over {len(latencies)} gap centroids")


if __name__ == "__main__":
    main()
