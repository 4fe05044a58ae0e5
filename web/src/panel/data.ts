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

/** The role a file's name says, if it says one. */
export function roleFromName(name: string): FileRole | null {
  const n = name.toLowerCase();
  if (/\.toml$/.test(n)) return "services";
  if (/(unit|communit|neighbo|ward|grid|boundar)/.test(n) && !/\.(csv|pbf)/.test(n)) return "units";
  if (/(center|centre|facilit|service|poi|amenit|site)/.test(n)) return "centers";
  if (/(demand|resident|building|popul|house|home)/.test(n)) return "demand";
  return null;
}

/** The role of a file whose name says none, from its first bytes: lines are roads,
 * polygons units (buildings: residents), points with a population (or many of them)
 * residents, other points centers; an OSM extract, binary formats and anything else are
 * taken as roads (the notice after loading offers the other roles). */
export function roleFromContent(name: string, head: string): FileRole {
  if (/\.pbf(\.gz)?$/i.test(name)) return "roads";
  const geometry = /"type"\s*:\s*"(Multi)?(Point|LineString|Polygon)"/.exec(head)?.[2];
  const population = /"?(population|pop|residents|people)"?\s*[:,]/i.test(head);
  if (geometry === "LineString") return "roads";
  if (geometry === "Polygon") return /"building"/.test(head) ? "demand" : "units";
  if (geometry === "Point") return population || (head.match(/"Feature"/g)?.length ?? 0) > 2000 ? "demand" : "centers";
  if (/\.csv$/i.test(name)) return /^[^\n]*\b(population|pop|residents|people)\b/i.test(head) ? "demand" : "centers";
  return "roads";
}

/** The role of a dropped file: its name's, else its content's (`guessed`). */
export async function guessRole(file: File): Promise<{ role: FileRole; guessed: boolean }> {
  const named = roleFromName(file.name);
  if (named) return { role: named, guessed: false };
  const head = /\.(geojson|json|csv)$/i.test(file.name) ? await file.slice(0, 256 * 1024).text() : "";
  return { role: roleFromContent(file.name, head), guessed: true };
}

/** A file with the role it is loaded as (`guessed`: from its content, not its name). */
export interface RoledFile {
  role: FileRole;
  file: File;
  guessed?: boolean;
}

/** Every file's role: its name's, else its content's. */
export function guessRoles(files: File[]): Promise<RoledFile[]> {
  return Promise.all(files.map(async (file) => ({ file, ...(await guessRole(file)) })));
}

/** The pickers: one per role, and "open a city" taking several files at once. */
export function bindFileInputs(onFiles: (files: RoledFile[]) => void): void {
  for (const role of ["roads", "centers", "demand", "units", "services"] as FileRole[]) {
    const input = $(`#file-${role}`) as HTMLInputElement;
    input.addEventListener("change", () => {
      const file = input.files?.[0];
      if (file) onFiles([{ role, file }]);
      input.value = "";
    });
  }
  const city = $("#file-city") as HTMLInputElement;
  city.addEventListener("change", () => {
    const files = Array.from(city.files ?? []);
    city.value = "";
    if (files.length) void guessRoles(files).then(onFiles);
  });
}

/** Drag and drop over the map: three targets appear; a drop elsewhere guesses each
 * file's role. All the files of one drop arrive together. */
export function bindDrop(onFiles: (files: RoledFile[]) => void): void {
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
    const files = Array.from(e.dataTransfer?.files ?? []);
    const role = target?.dataset.role as FileRole | undefined;
    if (role) onFiles(files.map((file) => ({ role, file })));
    else void guessRoles(files).then(onFiles);
  });
}

/** After a file whose role was guessed: what it was taken as, and one click to load it
 * as something else. */
export function renderGuessNotice(file: File | null, role: FileRole, onRole: (role: FileRole) => void): void {
  const box = $('[data-testid="role-notice"]');
  box.replaceChildren();
  box.hidden = !file;
  if (!file) return;
  const name = (r: FileRole) => t(r === "services" ? "data.services.role" : r === "units" ? "data.units" : (`data.${r}` as const));
  box.append(el("span", {}, t("data.guessed", { file: file.name, role: name(role) })));
  for (const other of ["roads", "centers", "demand", "units"] as FileRole[]) {
    if (other === role) continue;
    const button = el("button", { type: "button", class: "link", "data-role": other }, name(other));
    button.addEventListener("click", () => {
      box.hidden = true;
      onRole(other);
    });
    box.append(" ", button);
  }
  const close = el("button", { type: "button", class: "close", "aria-label": t("aria.close") }, "×");
  close.addEventListener("click", () => (box.hidden = true));
  box.append(close);
}
