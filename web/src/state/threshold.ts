// The walking threshold as the panel holds it: a time in minutes, or a walking distance in
// metres (GB 50180-2018 defines its life circles by distance: 300, 500, 800–1,000 m).

import { t } from "../i18n";

export type ThresholdUnit = "min" | "m";

export interface Threshold {
  value: number;
  unit: ThresholdUnit;
}

/** The slider's range per unit. */
export const SLIDER: Record<ThresholdUnit, { min: number; max: number; step: number; ticks: number[] }> = {
  min: { min: 1, max: 30, step: 1, ticks: [1, 5, 10, 15, 20, 30] },
  m: { min: 100, max: 2500, step: 50, ticks: [100, 500, 1000, 1500, 2000, 2500] },
};

/** Metres per minute at the adult default speed (4.8 km/h), for switching units. */
const DEFAULT_METRES_PER_MIN = 80;

/** Clamped into the unit's slider range and onto its steps. */
export function clamp(th: Threshold): Threshold {
  const r = SLIDER[th.unit];
  const stepped = Math.round(th.value / r.step) * r.step;
  return { unit: th.unit, value: Math.min(r.max, Math.max(r.min, stepped)) };
}

/** The same walk in the other unit (at `metresPerMin`), on the slider's steps. */
export function convert(th: Threshold, unit: ThresholdUnit, metresPerMin = DEFAULT_METRES_PER_MIN): Threshold {
  if (th.unit === unit) return th;
  const value = unit === "m" ? th.value * metresPerMin : th.value / metresPerMin;
  return clamp({ unit, value });
}

/** The threshold with its unit: `10 min`, `500 m`. */
export function label(th: Threshold): string {
  return `${th.value} ${t(th.unit === "m" ? "unit.m" : "unit.min")}`;
}

/** The life circles compared side by side, per unit: GB 50180-2018's 5/10/15-minute
 * circles, and its walking distances (300, 500, 1,000 m). */
export const STANDARD_BANDS: Record<ThresholdUnit, number[]> = { min: [5, 10, 15], m: [300, 500, 1000] };

/** The bands the engine answers beside the threshold: the standard circles, or none. */
export function bandsParam(on: boolean, unit: ThresholdUnit): { bands: number[] } {
  return { bands: on ? STANDARD_BANDS[unit] : [] };
}

/** What the engine's setParams takes for it. */
export function engineParams(th: Threshold): { thresholdMin: number } | { thresholdM: number } {
  return th.unit === "m" ? { thresholdM: th.value } : { thresholdMin: th.value };
}
