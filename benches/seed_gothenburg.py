"""Seeded points near the vertices of the Gothenburg footpaths, so every bench run sees
the same city: residents (population 1, jittered up to 0.0005 degrees), 24 centers and
244 candidate sites (on vertices).

    python3 benches/seed_gothenburg.py ROADS.geojson.gz OUT_DIR [RESIDENTS]

Writes OUT_DIR/residents.csv, centers.csv and candidates.csv (id, lon, lat).
"""
import csv
import gzip
import json
import random
import sys

roads, out = sys.argv[1], sys.argv[2]
residents = int(sys.argv[3]) if len(sys.argv) > 3 else 208000


def points(geometry):
    lines = geometry["coordinates"]
    if geometry["type"] == "LineString":
        lines = [lines]
    return (tuple(p[:2]) for line in lines for p in line)


vertices = sorted({p for f in json.load(gzip.open(roads))["features"] for p in points(f["geometry"])})
rng = random.Random(2018)


def write(name, n, jitter_deg):
    with open(f"{out}/{name}.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "lon", "lat"])
        for i in range(n):
            lon, lat = rng.choice(vertices)
            w.writerow([f"{name}-{i}", f"{lon + rng.uniform(-jitter_deg, jitter_deg):.6f}",
                        f"{lat + rng.uniform(-jitter_deg, jitter_deg):.6f}"])


write("residents", residents, 0.0005)
write("centers", 24, 0.0)
write("candidates", 244, 0.0)
