// The map legend: what the colours mean at the current threshold, and the layer toggles.

import { t } from "../i18n";
import { $, el } from "../format";
import { colors, tierPalette } from "../map/colors";

function swatch(color: string, kind: "line" | "dot" | "ring"): HTMLElement {
  const s = el("i", { class: `sw sw-${kind}` });
  if (kind === "ring") s.style.borderColor = color;
  else s.style.background = color;
  return s;
}

function item(color: string, kind: "line" | "dot" | "ring", text: string): HTMLElement {
  return el("div", { class: "scale-item" }, swatch(color, kind), el("span", {}, text));
}

export function renderLegend(thresholdMin: number, tiers: Array<{ tier: string; color: string }>): void {
  const near = Math.round(thresholdMin * 1.5 * 10) / 10;
  $("#legend-network").replaceChildren(
    item(colors.covered, "line", t("legend.covered", { min: thresholdMin })),
    item(colors.near, "line", t("legend.near", { min: thresholdMin, max: near })),
    item(colors.beyond, "line", t("legend.beyond", { max: near })),
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

export function bindToggles(onToggle: (layer: string, visible: boolean) => void): void {
  for (const box of document.querySelectorAll<HTMLInputElement>("#legend input[data-layer]")) {
    box.addEventListener("change", () => onToggle(box.dataset.layer!, box.checked));
  }
}
