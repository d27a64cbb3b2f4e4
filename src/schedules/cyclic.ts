import type { Schedule } from "./schedule.js";
import { checkFinite, checkFunction, checkOneOf, checkOptions, checkPositive } from "./validate.js";

export type CyclicMode = "triangular" | "triangular2" | "exp_range";

export interface CyclicOptions {
  /** Lower end of the cycle (the value at step 0). */
  baseValue: number;
  /** Upper end of the cycle, before scaling. */
  maxValue: number;
  /** Steps from baseValue up to maxValue, > 0 (default 2000). */
  stepSizeUp?: number;
  /** Steps back down (default stepSizeUp). */
  stepSizeDown?: number;
  /** How the amplitude shrinks (default "triangular": it does not). */
  mode?: CyclicMode;
  /** exp_range's per-step factor (default 1). */
  gamma?: number;
  /** Custom amplitude factor; replaces mode. */
  scaleFn?: (x: number) => number;
  /** What scaleFn receives: the cycle number (from 1) or the step (default "cycle"). */
  scaleMode?: "cycle" | "iterations";
}

/**
 * Where step t sits in its cycle, as in PyTorch's `CyclicLR.get_lr`:
 * `cycle = floor(1 + t/(up+down))`, `x = 1 + t/(up+down) - cycle`, and the
 * height fraction `x/r` while rising, `(x-1)/(r-1)` while falling,
 * `r = up/(up+down)`.
 */
export function cyclicPosition(step: number, stepSizeUp: number, stepSizeDown: number): { cycle: number; height: number } {
  const total = stepSizeUp + stepSizeDown;
  const ratio = stepSizeUp / total;
  const cycle = Math.floor(1 + step / total);
  const x = 1 + step / total - cycle;
  const height = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
  return { cycle, height };
}

/** The amplitude factor and its argument kind for a built-in mode (PyTorch's). */
export function cyclicScale(mode: CyclicMode, gamma: number): { scaleFn: (x: number) => number; scaleMode: "cycle" | "iterations" } {
  if (mode === "triangular") return { scaleFn: () => 1, scaleMode: "cycle" };
  if (mode === "triangular2") return { scaleFn: (c) => 1 / 2 ** (c - 1), scaleMode: "cycle" };
  return { scaleFn: (t) => gamma ** t, scaleMode: "iterations" };
}

/**
 * Cyclical learning rates (Smith, 2017) as a pure schedule, the closed form
 * of PyTorch's `CyclicLR`:
 * `value(t) = baseValue + (maxValue - baseValue) * height(t) * scale`, where
 * `height` rises linearly 0 -> 1 over stepSizeUp steps and falls back over
 * stepSizeDown, and `scale` is 1 (triangular), `1/2^(cycle-1)` (triangular2),
 * `gamma^t` (exp_range) or `scaleFn(cycle or t)`.
 */
export function cyclic(options: CyclicOptions): Schedule {
  const fn = "cyclic";
  checkOptions(fn, options);
  const base = checkFinite(fn, "baseValue", options.baseValue);
  const max = checkFinite(fn, "maxValue", options.maxValue);
  const up = checkPositive(fn, "stepSizeUp", options.stepSizeUp ?? 2000);
  const down = checkPositive(fn, "stepSizeDown", options.stepSizeDown ?? up);
  const gamma = checkPositive(fn, "gamma", options.gamma ?? 1);
  let scaleFn: (x: number) => number;
  let scaleMode: "cycle" | "iterations";
  if (options.scaleFn !== undefined) {
    scaleFn = checkFunction(fn, "scaleFn", options.scaleFn);
    scaleMode = checkOneOf(fn, "scaleMode", options.scaleMode ?? "cycle", ["cycle", "iterations"] as const);
  } else {
    ({ scaleFn, scaleMode } = cyclicScale(checkOneOf(fn, "mode", options.mode ?? "triangular", ["triangular", "triangular2", "exp_range"] as const), gamma));
  }
  return (step) => {
    const { cycle, height } = cyclicPosition(step, up, down);
    return base + (max - base) * height * scaleFn(scaleMode === "cycle" ? cycle : step);
  };
}
