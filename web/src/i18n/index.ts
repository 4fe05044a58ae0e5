// A small dictionary module: `t(key, values)` and `data-i18n` attributes in the page.

import { en, type Key } from "./en";
import { zh } from "./zh";

export type Lang = "en" | "zh";
export type { Key };

const dictionaries: Record<Lang, Record<Key, string>> = { en, zh };
let current: Lang = "en";
const listeners: Array<(lang: Lang) => void> = [];

export function lang(): Lang {
  return current;
}

/** The string for `key` in the current language, `{name}` placeholders filled from `values`. */
export function t(key: Key, values: Record<string, string | number> = {}): string {
  const template = dictionaries[current][key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** Fills every element carrying `data-i18n="key"` under `root`. */
export function translate(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n as Key);
  }
  // Labels read out by screen readers and tooltips, not shown as text.
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n-aria]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nAria as Key));
  }
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n-title]")) {
    el.title = t(el.dataset.i18nTitle as Key);
  }
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem("lifecircle.lang", next);
  } catch {
    /* storage may be unavailable */
  }
  translate();
  for (const listener of listeners) listener(next);
}

export function onLangChange(listener: (lang: Lang) => void): void {
  listeners.push(listener);
}

/** The language asked for by the URL, then the last choice, then the browser. */
export function initialLang(urlLang: string | null): Lang {
  if (urlLang === "en" || urlLang === "zh") return urlLang;
  try {
    const saved = localStorage.getItem("lifecircle.lang");
    if (saved === "en" || saved === "zh") return saved;
  } catch {
    /* ignore */
  }
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}
