// The map legend: what the colours mean at the current threshold, and the layer toggles.

import { t } from "../i18n";
import { $, el, pct } from "../format";
import { bandPalette, colors, tierPalette, unitRamp } from "../map/colors";
import { label, type Threshold } from "../state/threshold";

function swatch(color: string, kind: "line" | "dot" | "ring"): HTMLElement {
  const s = el("i", { class: `sw sw-${kind}` });
  if (kind === "ring") s.style.borderColor = color;
  else s.style.background = color;
  return s;
}

function item(color: string, kind: "line" | "dot" | "ring", text: string): HTMLElement {
  return el("div", { class: "scale-item" }, swatch(color, kind), el("span", {}, text));
}

export function renderLegend(
  threshold: Threshold,
  tiers: Array<{ tier: string; color: string }>,
  bands: number[] = [],
): void {
  // Streets are coloured up to 1.5 × the threshold as "near", in either unit; with
  // circles compared, by the nearest circle they lie in.
  const near = label({ unit: threshold.unit, value: Math.round(threshold.value * 1.5 * 10) / 10 });
  const within = label(threshold);
  const widest = label({ unit: threshold.unit, value: bands[bands.length - 1] ?? threshold.value });
  $("#legend-network").replaceChildren(
    ...(bands.length
      ? [
          ...bands.map((value, i) =>
            item(bandPalette[i % bandPalette.length], "line", t("legend.covered", { t: label({ unit: threshold.unit, value }) })),
          ),
          item(colors.beyond, "line", t("legend.beyond", { near: widest })),
        ]
      : [
          item(colors.covered, "line", t("legend.covered", { t: within })),
          item(colors.near, "line", t("legend.near", { t: within, near })),
          item(colors.beyond, "line", t("legend.beyond", { near })),
        ]),
    item(colors.noPath, "line", t("legend.nopath")),
  );
  $("#legend-demand").replaceChildren(
    item(colors.residentCovered, "dot", t("legend.resCovered")),
    item(colors.residentUncovered, "dot", t("legend.resUncovered")),
    item(colors.residentUnreachable, "dot", t("legend.resUnreachable")),
  );
  const centers = tiers.length
    ? tiers.map(({ tier, color }) => item(color, "dot", tier))
    : [item(tierPalette[0], "dot", t("legend.center"))];
  $("#legend-centers").replaceChildren(
    ...centers,
    item(colors.added, "dot", t("legend.addedCenter")),
    item(colors.removed, "ring", t("legend.closedCenter")),
    item(colors.suggested, "ring", t("legend.suggested")),
  );
}

/** The communities' choropleth scale, shown while units are loaded; `what` is the
 * coverage it shows. */
export function renderUnitsLegend(shown: boolean, what: string): void {
  $("#legend-units-toggle").hidden = !shown;
  const scale = $("#legend-units");
  scale.hidden = !shown;
  if (!shown) return;
  scale.replaceChildren(
    el("div", { class: "scale-item muted" }, what),
    ...unitRamp.map(([at, color]) => item(color, "dot", pct(at, 0))),
    item(colors.unitEmpty, "dot", t("legend.unitsEmpty")),
  );
}

/** The legend folds to its title; on a short screen (a 1280 × 720 laptop) it starts folded. */
export function bindCollapse(): void {
  const legend = $("#legend");
  const button = $("#legend-collapse");
  const set = (collapsed: boolean) => {
    legend.classList.toggle("collapsed", collapsed);
    button.setAttribute("aria-expanded", String(!collapsed));
    button.textContent = collapsed ? "+" : "−";
    button.title = t(collapsed ? "legend.expand" : "legend.collapse");
  };
  set(window.innerHeight < 800);
  button.addEventListener("click", () => set(!legend.classList.contains("collapsed")));
}

export function bindToggles(onToggle: (layer: string, visible: boolean) => void): void {
  for (const box of document.querySelectorAll<HTMLInputElement>("#legend input[data-layer]")) {
    box.addEventListener("change", () => onToggle(box.dataset.layer!, box.checked));
  }
}
