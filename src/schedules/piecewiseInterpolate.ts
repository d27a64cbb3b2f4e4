import { type BoundariesAndScales, sortedBoundaries } from "./piecewiseConstant.js";
import type { Schedule } from "./schedule.js";
import { checkFinite, checkOneOf, checkOptions } from "./validate.js";

export interface PiecewiseInterpolateOptions {
  /** How to move between the values at two boundaries. */
  interpolateType: "linear" | "cosine";
  initValue: number;
  /** The value at each boundary is the previous one times its scale (>= 0). */
  boundariesAndScales?: BoundariesAndScales;
}

/** Linear interpolation from `start` (pct 0) to `end` (pct 1). */
export function interpolateLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

/** Half-cosine interpolation from `start` (pct 0) to `end` (pct 1). */
export function interpolateCosine(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}

/**
 * Interpolates between accumulated values at boundaries, matching optax's
 * `piecewise_interpolate_schedule`: with boundaries `b_1 < ... < b_n`
 * (`b_0 = 0`) and values `v_0 = initValue`, `v_k = v_{k-1} * scale_k`, the
 * value in `[b_{k-1}, b_k)` moves from `v_{k-1}` to `v_k` by the chosen
 * interpolation of `(t - b_{k-1}) / max(b_k - b_{k-1}, 1)`; `v_n` is held
 * from `b_n` on. Boundaries must be >= 0; before step 0 the value is 0, as
 * in optax.
 */
export function piecewiseInterpolate(options: PiecewiseInterpolateOptions): Schedule {
  const fn = "piecewiseInterpolate";
  checkOptions(fn, options);
  const kind = checkOneOf(fn, "interpolateType", options.interpolateType, ["linear", "cosine"] as const);
  const init = checkFinite(fn, "initValue", options.initValue);
  const pairs = sortedBoundaries(fn, options.boundariesAndScales);
  if (pairs.length > 0 && pairs[0]![0] < 0) throw new RangeError(`${fn}: boundaries must be >= 0, got ${pairs[0]![0]}`);
  const interpolate = kind === "linear" ? interpolateLinear : interpolateCosine;
  const bounds = [0, ...pairs.map((p) => p[0])];
  const values = [init];
  for (const [, s] of pairs) values.push(values[values.length - 1]! * s);
  const last = bounds.length - 1;
  return (step) => {
    if (step >= bounds[last]!) return values[last]!;
    for (let k = 1; k <= last; k++) {
      if (bounds[k - 1]! <= step && step < bounds[k]!) {
        const pct = (step - bounds[k - 1]!) / Math.max(bounds[k]! - bounds[k - 1]!, 1);
        return interpolate(values[k - 1]!, values[k]!, pct);
      }
    }
    // Before step 0 no interval holds: optax gives 0.
    return 0;
  };
}
