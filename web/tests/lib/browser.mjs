// Shared browser set-up of the viewer tests: Debian's chromium through playwright-core,
// WebGL on the CPU (SwiftShader), no network beyond the local server.
import { chromium } from "playwright-core";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";
import { serve } from "./server.mjs";

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const distDir = resolve(webDir, "dist");

const CANDIDATES = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function chromiumPath() {
  const found = CANDIDATES.find((p) => p && existsSync(p));
  if (!found) throw new Error("no Chromium found: install Debian's chromium or set CHROMIUM=/path/to/chrome");
  return found;
}

export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
      "--enable-unsafe-swiftshader",
      "--ignore-gpu-blocklist",
    ],
  });
}

/** Starts the server and a browser; `open(query)` gives a page with the viewer ready. */
export async function setup({ extra = {} } = {}) {
  if (!existsSync(resolve(distDir, "index.html"))) throw new Error("web/dist is missing: run `npm run build` first");
  const server = await serve(distDir, extra);
  const browser = await launch();
  const pages = [];
  async function open(query = "", { width = 1400, height = 900, ready = true } = {}) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1, acceptDownloads: true });
    page.errors = [];
    page.on("pageerror", (e) => page.errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") page.errors.push(m.text());
    });
    // Nothing leaves the machine: block every request that is not the local server.
    await page.route(/^(?!http:\/\/127\.0\.0\.1).*/, (route) => route.abort());
    await page.goto(server.url + (query ? `?${query}` : ""));
    if (ready) await waitReady(page);
    pages.push(page);
    return page;
  }
  async function close() {
    await browser.close();
    await server.close();
  }
  return { server, browser, open, close };
}

/** Waits until the status reads "ready" and the map has drawn the current data. */
export async function waitReady(page, timeout = 120_000) {
  await page.waitForFunction(
    () => document.querySelector('[data-testid="status"]')?.dataset.state === "ready",
    null,
    { timeout, polling: 100 },
  );
  await idle(page);
}

/** Waits for MapLibre to finish loading tiles and drawing. */
export async function idle(page) {
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const map = window.__lifecircle.map;
        if (map.loaded() && !map.isMoving()) {
          map.once("idle", resolve);
          map.triggerRepaint();
        } else map.once("idle", resolve);
      }),
  );
}

export const text = (page, testid) => page.locator(`[data-testid="${testid}"]`).innerText();
export const value = (page, testid) => page.locator(`[data-testid="${testid}"]`).getAttribute("data-value");
