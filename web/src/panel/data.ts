// The data tab: what is loaded (with the reader's report), file pickers, drag and drop.

import { t } from "../i18n";
import { $, el, int } from "../format";
import type { FileRole, LoadReport, NetworkStats } from "../types";

export interface SourceInfo {
  label: string;
  report: LoadReport | null;
}

export function renderSource(role: FileRole, info: SourceInfo | null): void {
  const box = $(`#source-${role}`);
  box.replaceChildren();
  if (!info) return;
  box.append(el("strong", {}, info.label));
  if (info.report) {
    const r = info.report;
    const parts = [t("data.used", { n: int(r.featuresUsed) })];
    if (r.skippedTotal > 0) parts.push(t("data.skipped", { n: int(r.skippedTotal) }));
    const detail = el("span", { class: "muted" }, ` · ${parts.join(", ")}`);
    if (r.skippedTotal > 0) detail.title = Object.entries(r.skipped).map(([k, v]) => `${k}: ${v}`).join("\n");
    box.append(detail);
  }
}

export function renderNetStats(stats: NetworkStats | null): void {
  const box = $("#netstats");
  box.textContent = stats
    ? t("data.netstats", { nodes: int(stats.nodes), km: int(stats.length_km), comp: int(stats.components) })
    : "";
}

/** Guesses the role of a dropped file from its name. */
export function guessRole(name: string): FileRole {
  const n = name.toLowerCase();
  if (/\.toml$/.test(n)) return "services";
  if (/(unit|communit|neighbo|ward|grid|boundar)/.test(n) && !/\.(csv|pbf)/.test(n)) return "units";
  if (/(center|centre|facilit|service|poi|amenit|site)/.test(n)) return "centers";
  if (/(demand|resident|building|popul|house|home)/.test(n)) return "demand";
  return "roads";
}

export function bindFileInputs(onFile: (role: FileRole, file: File) => void): void {
  for (const role of ["roads", "centers", "demand", "units", "services"] as FileRole[]) {
    const input = $(`#file-${role}`) as HTMLInputElement;
    input.addEventListener("change", () => {
      const file = input.files?.[0];
      if (file) onFile(role, file);
      input.value = "";
    });
  }
}

/** Drag and drop over the map: three targets appear; a drop elsewhere guesses the role. */
export function bindDrop(onFile: (role: FileRole, file: File) => void): void {
  const zone = $("#dropzone");
  let depth = 0;
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes("Files");
  window.addEventListener("dragenter", (e) => {
    if (!hasFiles(e)) return;
    depth++;
    zone.hidden = false;
  });
  window.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.hidden = true;
  });
  window.addEventListener("dragover", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    for (const target of zone.querySelectorAll<HTMLElement>(".drop-target")) {
      target.classList.toggle("over", target.contains(e.target as Node));
    }
  });
  window.addEventListener("drop", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    zone.hidden = true;
    const target = (e.target as HTMLElement).closest<HTMLElement>(".drop-target");
    for (const file of Array.from(e.dataTransfer?.files ?? [])) {
      onFile((target?.dataset.role as FileRole | undefined) ?? guessRole(file.name), file);
    }
  });
}
