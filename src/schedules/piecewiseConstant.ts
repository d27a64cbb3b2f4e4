import type { Schedule } from "./schedule.js";
import { checkFinite, checkNonNegative, checkOptions } from "./validate.js";

/** `{ step: scale }` or `[step, scale]` pairs. */
export type BoundariesAndScales = Readonly<Record<number, number>> | readonly (readonly [number, number])[];

export interface PiecewiseConstantOptions {
  initValue: number;
  /** At each boundary step the value is multiplied by its scale (>= 0). */
  boundariesAndScales?: BoundariesAndScales;
}

/** The pairs sorted by boundary, validated (boundaries finite, scales >= 0). */
export function sortedBoundaries(fn: string, pairs: BoundariesAndScales | undefined): [number, number][] {
  if (pairs === undefined) return [];
  if (typeof pairs !== "object" || pairs === null) {
    throw new TypeError(`${fn}: boundariesAndScales must be an object {step: scale} or an array of [step, scale] pairs`);
  }
  const entries: [number, number][] = Array.isArray(pairs)
    ? (pairs as readonly (readonly [number, number])[]).map((p, i) => {
        if (!Array.isArray(p) || p.length !== 2) throw new TypeError(`${fn}: boundariesAndScales[${i}] must be a [step, scale] pair`);
        return [p[0], p[1]];
      })
    : Object.entries(pairs).map(([k, v]) => [Number(k), v as number]);
  for (const [b, s] of entries) {
    checkFinite(fn, "a boundary", b);
    checkNonNegative(fn, `the scale at boundary ${b}`, s);
  }
  return entries.sort((a, b) => a[0] - b[0]);
}

/**
 * Piecewise constant: `initValue` times the product of every scale whose
 * boundary is <= t. Matches optax's `piecewise_constant_schedule`; PyTorch's
 * `MultiStepLR` is the case where every scale is gamma.
 */
export function piecewiseConstant(options: PiecewiseConstantOptions): Schedule {
  const fn = "piecewiseConstant";
  checkOptions(fn, options);
  const init = checkFinite(fn, "initValue", options.initValue);
  const pairs = sortedBoundaries(fn, options.boundariesAndScales);
  return (step) => {
    let v = init;
    for (const [b, s] of pairs) {
      if (step < b) break;
      v *= s;
    }
    return v;
  };
}
