// Walk-time histogram, drawn as SVG from the residents' walk times (population-weighted).

import { colors } from "../map/colors";
import { t } from "../i18n";
import { int } from "../format";

const NS = "http://www.w3.org/2000/svg";

function node(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

export interface Bin {
  from: number;
  to: number | null; // null: the open last bin, or the "no path" bar when from is NaN
  population: number;
}

/** Residents' walks as columns: minutes (NaN: no walk) and population, one entry each. */
export interface Walks {
  walkMin: Float64Array;
  population: Float64Array;
}

/** Bins of 1 minute (2 past 40 minutes of range) up to max(30, 2 × threshold), then an open bin. */
export function binWalks(walks: Walks, thresholdMin: number): { bins: Bin[]; noWalk: number } {
  const top = Math.min(60, Math.max(30, Math.ceil(thresholdMin * 2)));
  const width = top > 40 ? 2 : 1;
  const n = Math.ceil(top / width);
  const bins: Bin[] = [];
  for (let i = 0; i < n; i++) bins.push({ from: i * width, to: (i + 1) * width, population: 0 });
  bins.push({ from: n * width, to: null, population: 0 });
  let noWalk = 0;
  const { walkMin, population } = walks;
  for (let r = 0; r < walkMin.length; r++) {
    const pop = population[r];
    const w = walkMin[r];
    if (!Number.isFinite(w)) {
      noWalk += pop;
      continue;
    }
    // Bins are (from, to]: a walk of exactly the threshold counts as covered.
    const i = Math.min(n, Math.max(0, Math.ceil(w / width) - 1));
    bins[i].population += pop;
  }
  return { bins, noWalk };
}

/** Residents by walking minutes; the line marks the threshold at `thresholdMin` (a distance
 * as the minutes it takes), labelled `thresholdLabel`. */
export function renderHistogram(
  svg: SVGSVGElement,
  walks: Walks | null,
  thresholdMin: number,
  thresholdLabel: string,
): void {
  svg.replaceChildren();
  const W = 320;
  const H = 150;
  const pad = { l: 8, r: 8, t: 10, b: 22 };
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  if (!walks) return;
  const { bins, noWalk } = binWalks(walks, thresholdMin);
  const bars = [...bins.map((b) => ({ ...b, kind: "walk" as const })), { from: NaN, to: null, population: noWalk, kind: "none" as const }];
  // The scale follows the regular bins; the open bin and the "no path" bar may run off the
  // top (they are clipped and labelled with their figure).
  const max = Math.max(1, ...bins.slice(0, -1).map((b) => b.population)) * 1.1;
  const slots = bars.length + 0.6; // a small space before the "no path" bar
  const bw = (W - pad.l - pad.r) / slots;
  const ih = H - pad.t - pad.b;
  const x = (i: number) => pad.l + (i + (i === bars.length - 1 ? 0.6 : 0)) * bw;
  const g = node("g", {});
  svg.append(g);
  bars.forEach((b, i) => {
    const clipped = b.population > max;
    const h = (Math.min(b.population, max) / max) * ih;
    let color = colors.beyond;
    if (b.kind === "none") color = colors.noPath;
    else if (b.to !== null && b.to <= thresholdMin) color = colors.covered;
    else if (b.from < thresholdMin * 1.5) color = colors.near;
    const rect = node("rect", {
      x: x(i) + 0.5,
      y: pad.t + ih - h,
      width: Math.max(1, bw - 1),
      height: Math.max(0, h),
      rx: 1.5,
      fill: color,
    });
    const label =
      b.kind === "none"
        ? `${t("hist.nowalk")}: ${int(b.population)}`
        : b.to === null
          ? `> ${b.from} ${t("unit.min")}: ${int(b.population)}`
          : t("hist.tooltip", { from: b.from, to: b.to, pop: int(b.population) });
    rect.append(node("title", {}, label));
    g.append(rect);
    if (clipped || (i >= bars.length - 2 && b.population > 0)) {
      // A clipped bar's figure goes beside it, clear of the clip mark across its top.
      const label = clipped
        ? { x: x(i) - 2, y: pad.t + 10, "text-anchor": "end" }
        : { x: x(i) + bw / 2, y: Math.max(pad.t + 8, pad.t + ih - h - 3), "text-anchor": "middle" };
      g.append(node("text", { ...label, class: "bar-label" }, int(b.population)));
      if (clipped) g.append(node("path", { d: `M${x(i)} ${pad.t + 14} l${bw} -4 m0 8 l${-bw} 4`, class: "clip-mark" }));
    }
  });
  // Axis: minute labels under bin edges.
  const step = bins.length > 30 ? 10 : 5;
  const width = (bins[0].to ?? 1) - bins[0].from;
  for (let m = 0; m <= bins[bins.length - 1].from; m += step) {
    const xi = pad.l + (m / width) * bw;
    g.append(node("text", { x: xi, y: H - 7, "text-anchor": "middle", class: "axis" }, String(m)));
  }
  g.append(node("text", { x: x(bars.length - 1) + bw / 2, y: H - 7, "text-anchor": "middle", class: "axis" }, "∅"));
  // Threshold line.
  const tx = pad.l + (thresholdMin / width) * bw;
  g.append(node("line", { x1: tx, x2: tx, y1: pad.t - 4, y2: pad.t + ih, class: "threshold" }));
  g.append(node("text", { x: tx + 3, y: pad.t + 4, class: "threshold-label" }, thresholdLabel));
  g.append(node("line", { x1: pad.l, x2: W - pad.r, y1: pad.t + ih + 0.5, y2: pad.t + ih + 0.5, class: "baseline" }));
}
