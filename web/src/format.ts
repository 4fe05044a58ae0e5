// Number formatting shared by the panel, the map labels and the exports.
import { lang } from "./i18n";

export function int(n: number): string {
  return Math.round(n).toLocaleString(lang() === "zh" ? "zh-CN" : "en-US");
}

export function pct(ratio: number, digits = 1): string {
  const s = (ratio * 100).toFixed(digits);
  return lang() === "zh" ? `${s}%` : `${s} %`;
}

export function minutes(m: number | null | undefined, digits = 1): string {
  return m == null || !Number.isFinite(m) ? "–" : m.toFixed(digits);
}

export function signed(n: number): string {
  const r = Math.round(n);
  return r > 0 ? `+${int(r)}` : r < 0 ? `−${int(-r)}` : "0";
}

export function $(selector: string, root: ParentNode = document): HTMLElement {
  const el = root.querySelector<HTMLElement>(selector);
  if (!el) throw new Error(`missing element ${selector}`);
  return el;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}
