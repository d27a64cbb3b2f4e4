import type { Schedule } from "./schedule.js";
import { checkFinite, checkFunction, checkNonNegative, checkOptions } from "./validate.js";

export interface LinearWarmupOptions {
  /** Length of the warmup, >= 0. */
  warmupSteps: number;
  /** Value at step 0 (default 0). */
  initValue?: number;
  /** Value at the end of the warmup (default `after(0)`); held afterwards when there is no `after`. */
  peakValue?: number;
  /** Schedule to follow once warm, evaluated at `t - warmupSteps`. */
  after?: Schedule;
}

/**
 * Linear warmup in front of a constant or of another schedule (Goyal et al.,
 * 2017): `init + (peak - init) * t / W` for `t < W`, then `after(t - W)`
 * (or `peak`). `peak` defaults to `after(0)` so that the two pieces meet.
 * The same as optax's `warmup_constant_schedule` without `after`.
 */
export function linearWarmup(options: LinearWarmupOptions): Schedule {
  const fn = "linearWarmup";
  checkOptions(fn, options);
  const warmup = checkNonNegative(fn, "warmupSteps", options.warmupSteps);
  const init = checkFinite(fn, "initValue", options.initValue ?? 0);
  const after = options.after === undefined ? undefined : checkFunction(fn, "after", options.after);
  if (options.peakValue === undefined && after === undefined) {
    throw new TypeError(`${fn}: give peakValue, after, or both`);
  }
  const peak = checkFinite(fn, "peakValue", options.peakValue ?? after!(0));
  return (step) => {
    if (step < warmup) return init + ((peak - init) * Math.max(step, 0)) / warmup;
    return after === undefined ? peak : after(step - warmup);
  };
}
