"""The tutorial of python/README.md, as one script: coverage on the bundled Isle of Man
sample, the gaps map, a what-if loop over the largest gaps, and a plan.

    python python/examples/tutorial.py          # from the repository root
"""

import json
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import lifecircle  # noqa: E402

PBF = "data/isle_of_man.osm.pbf"
CENTERS = "amenity=community_centre|social_centre|library|townhall|social_facility"

# 1. Coverage: roads, centers and residents (one per building) from the same extract.
start = time.perf_counter()
study = lifecircle.Study(
    PBF,
    lifecircle.from_osm(PBF, CENTERS),
    lifecircle.from_osm(PBF, "building"),
    minutes=10,
)
coverage = study.summary["coverage"]
print(f"study made and summarised in {time.perf_counter() - start:.2f} s")
print(
    f"{coverage['coverage_ratio']:.1%} of {coverage['total_population']:,.0f} residents "
    f"within 10 minutes of {coverage['centers']} centers"
)

# 2. Results as GeoDataFrames.
residents = study.residents()
print(residents[["id", "walk_min", "covered", "nearest_center"]].head())
gaps = study.gaps()
print(gaps[["rank", "population", "mean_walk_min"]].head())

# 3. The gaps map: the network coloured by walk time, the gaps, the centers; the whole
#    island and Douglas, its capital.
network, centers = study.network(), study.centers()
fig, axes = plt.subplots(1, 2, figsize=(13, 7.5), gridspec_kw={"width_ratios": [1, 1.1]})
for ax, (title, bounds) in zip(axes, [("Isle of Man", (-4.83, 54.04, -4.3, 54.42)), ("Douglas", (-4.52, 54.135, -4.455, 54.18))]):
    network.plot(ax=ax, column="walk_min_start", cmap="viridis_r", linewidth=0.5, vmin=0, vmax=20)
    gaps.plot(ax=ax, facecolor="crimson", alpha=0.35, edgecolor="crimson", linewidth=0.8)
    centers.plot(ax=ax, color="black", markersize=28, marker="^")
    if bounds:
        ax.set_xlim(bounds[0], bounds[2])
        ax.set_ylim(bounds[1], bounds[3])
    ax.set_title(title)
    ax.set_axis_off()
    ax.set_aspect(1 / 0.585)  # metres per degree of longitude at 54° N
colorbar = fig.colorbar(axes[1].collections[0], ax=axes, shrink=0.6, extend="max")
colorbar.set_label("walk to the nearest center (min)")
fig.suptitle("10-minute walking coverage: gaps in red, centers ▲")
fig.savefig("docs/python-gaps.png", dpi=100, bbox_inches="tight")

# 4. A what-if loop: a new center at each of the five largest gaps.
for _, gap in gaps.head(5).iterrows():
    lon, lat = json.loads(gap["centroid"])  # list properties arrive as JSON text
    start = time.perf_counter()
    change = study.what_if(lon, lat)
    ms = (time.perf_counter() - start) * 1000
    print(f"gap {gap['rank']}: +{change['covered_population_change']:,.0f} covered "
          f"({change['coverage_ratio_before']:.1%} → {change['coverage_ratio_after']:.1%}) in {ms:.1f} ms")

# 5. Where three new centers would cover the most people.
plan = study.plan("mclp", k=3)
print(plan.sites()[["rank", "id", "gain"]])
print(f"after the plan: {plan.after.summary['coverage']['coverage_ratio']:.1%}")
