"""Plots scaling.csv as an SVG (no dependencies): time and memory per edge against size.

python3 plot.py scaling.csv scaling.svg
"""

import csv
import math
import sys


def read(path):
    with open(path) as f:
        rows = [r for r in csv.DictReader(line for line in f if not line.startswith("#"))]
    return [{k: float(v) for k, v in r.items()} for r in rows]


def panel(x0, y0, w, h, title, xs, series, y_label, log_y):
    """One log-x chart: `series` is [(label, colour, ys)]."""
    out = []
    lx = [math.log10(x) for x in xs]
    ys_all = [y for _, _, ys in series for y in ys if y > 0]
    if log_y:
        lo, hi = math.floor(math.log10(min(ys_all))), math.ceil(math.log10(max(ys_all)))
        fy = lambda y: y0 + h - (math.log10(y) - lo) / (hi - lo) * h
        ticks = [10**k for k in range(lo, hi + 1)]
    else:
        lo, hi = 0.0, max(ys_all) * 1.15
        step = 10 ** math.floor(math.log10(hi / 2))
        step *= 2 if hi / step > 8 else 1
        fy = lambda y: y0 + h - (y - lo) / (hi - lo) * h
        ticks = [k * step for k in range(int(hi // step) + 1)]
    xlo, xhi = math.floor(min(lx)), math.ceil(max(lx))
    fx = lambda x: x0 + (math.log10(x) - xlo) / (xhi - xlo) * w
    out.append(f'<text x="{x0 + w / 2}" y="{y0 - 12}" text-anchor="middle" font-weight="bold">{title}</text>')
    out.append(f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#999"/>')
    for t in ticks:
        y = fy(t)
        label = f"{t:g}"
        out.append(f'<line x1="{x0}" x2="{x0 + w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{label}</text>')
    for k in range(xlo, xhi + 1):
        x = x0 + (k - xlo) / (xhi - xlo) * w
        name = {3: "1k", 4: "10k", 5: "100k", 6: "1M", 7: "10M"}.get(k, f"1e{k}")
        out.append(f'<text x="{x:.1f}" y="{y0 + h + 16}" text-anchor="middle" font-size="11">{name}</text>')
    out.append(f'<text x="{x0 + w / 2}" y="{y0 + h + 34}" text-anchor="middle" font-size="12">network nodes</text>')
    out.append(f'<text x="{x0 - 44}" y="{y0 + h / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 {x0 - 44} {y0 + h / 2})">{y_label}</text>')
    for i, (label, colour, ys) in enumerate(series):
        pts = " ".join(f"{fx(x):.1f},{fy(y):.1f}" for x, y in zip(xs, ys) if y > 0)
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in zip(xs, ys):
            if y > 0:
                out.append(f'<circle cx="{fx(x):.1f}" cy="{fy(y):.1f}" r="3" fill="{colour}"/>')
        ly = y0 + 14 + 16 * i
        out.append(f'<line x1="{x0 + 10}" x2="{x0 + 28}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{x0 + 32}" y="{ly}" font-size="11">{label}</text>')
    return out


def main(src, dst):
    rows = read(src)
    xs = [r["nodes"] for r in rows]
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="900" height="360" font-family="sans-serif">',
             '<rect width="100%" height="100%" fill="white"/>']
    parts += panel(80, 40, 330, 260, "Time (s)", xs, [
        ("network build", "#1f77b4", [r["build_s"] for r in rows]),
        ("full coverage", "#d62728", [r["coverage_s"] for r in rows]),
    ], "seconds", True)
    parts += panel(540, 40, 330, 260, "Memory per edge (bytes)", xs, [
        ("process peak", "#9467bd", [r["peak_b_per_edge"] for r in rows]),
        ("engine peak over input", "#d62728", [r["engine_peak_b_per_edge"] for r in rows]),
        ("build peak over input", "#ff7f0e", [r["build_peak_b_per_edge"] for r in rows]),
        ("network heap", "#2ca02c", [r["network_heap_b_per_edge"] for r in rows]),
    ], "bytes per edge", False)
    parts.append("</svg>")
    with open(dst, "w") as f:
        f.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
