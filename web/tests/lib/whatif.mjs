// What-if helpers shared by the browser tests: the card's evaluation number, waiting
// for a new evaluation, residents to click, and latency statistics.

/** The what-if card's evaluation number. */
export const whatIfSeq = (page) => page.evaluate(() => Number(document.getElementById("whatif-card").dataset.seq ?? 0));

/** Waits for the what-if card to show a new evaluation (its sequence number moves on). */
export async function whatIfAfter(page, seqBefore) {
  await page.waitForFunction(
    (seq) => {
      const card = document.getElementById("whatif-card");
      return card && !card.hidden && card.dataset.state === "ready" && Number(card.dataset.seq ?? 0) > seq;
    },
    seqBefore,
    { timeout: 60_000, polling: 10 },
  );
}

/** Up to `n` page positions of uncovered residents spread over the current view whose
 * pixel is the map itself (not a panel, the legend or the what-if card) and not a center. */
export async function clickableResidents(page, n) {
  const points = await page.evaluate(async (n) => {
    const map = window.__lifecircle.map;
    const shown = map.getBounds();
    const features = (await window.__lifecircle.app.demandLayer()).features;
    const open = features.filter((f) => f.properties.status === "ok" && !f.properties.covered && shown.contains(f.geometry.coordinates));
    const step = Math.max(1, Math.floor(open.length / (4 * n)));
    return Array.from({ length: Math.min(4 * n, open.length) }, (_, i) => open[(i * step + 7) % open.length].geometry.coordinates);
  }, n);
  return page.evaluate(
    ([points, n]) => {
      const map = window.__lifecircle.map;
      const canvas = map.getCanvas();
      const r = canvas.getBoundingClientRect();
      const free = [];
      // The what-if card appears after the first click: keep clear of it too.
      const card = document.getElementById("whatif-card");
      const wasHidden = card.hidden;
      card.hidden = false;
      for (const [lon, lat] of points) {
        const p = map.project([lon, lat]);
        const x = r.left + p.x;
        const y = r.top + p.y;
        if (document.elementFromPoint(x, y) !== canvas) continue;
        if (map.queryRenderedFeatures([[p.x - 8, p.y - 8], [p.x + 8, p.y + 8]], { layers: ["centers-circle"] }).length) continue;
        if (free.some((q) => Math.hypot(q.x - x, q.y - y) < 10)) continue;
        free.push({ x, y });
        if (free.length === n) break;
      }
      card.hidden = wasHidden;
      return free;
    },
    [points, n],
  );
}

/** Count, median, p95, min and max of `xs` (ms, one decimal). */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, median_ms: +q(0.5).toFixed(1), p95_ms: +q(0.95).toFixed(1), min_ms: +s[0].toFixed(1), max_ms: +s[s.length - 1].toFixed(1) };
}
