// The life circles side by side (with bands): one button per circle with its coverage;
// the pressed one is the headline, and choosing another makes it the headline (its gaps,
// what-ifs and suggestions).

import { t } from "../i18n";
import { $, el, pct } from "../format";
import { bandPalette } from "../map/colors";
import { label } from "../state/threshold";
import type { CoverageView } from "../types";

export function renderBands(view: CoverageView | null, onPick: (value: number) => void): void {
  const box = $("#bands") as HTMLElement;
  const bands = view?.bands ?? [];
  box.hidden = bands.length === 0;
  if (!view || bands.length === 0) {
    box.replaceChildren();
    return;
  }
  const metres = view.thresholdM != null;
  const headline = metres ? view.thresholdM : view.thresholdMin;
  box.replaceChildren(
    el("span", { class: "bands-title" }, t("bands.title")),
    ...bands.map((b, i) => {
      const value = (metres ? b.threshold_m : b.threshold_min) ?? 0;
      const text = label({ unit: metres ? "m" : "min", value });
      const button = el(
        "button",
        {
          type: "button",
          class: "band",
          "data-testid": "band",
          "data-band": String(value),
          "data-value": String(b.coverage_ratio),
          "aria-pressed": String(value === headline),
          title: t("bands.pick", { t: text }),
        },
        el("i", { class: "sw sw-line" }),
        el("span", { class: "band-label" }, text),
        el("strong", {}, pct(b.coverage_ratio)),
      ) as HTMLButtonElement;
      (button.firstChild as HTMLElement).style.background = bandPalette[i % bandPalette.length];
      button.addEventListener("click", () => onPick(value));
      return button;
    }),
  );
}
