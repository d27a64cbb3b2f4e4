import type { Schedule } from "./schedule.js";
import { checkFinite, checkOptions, checkPositive } from "./validate.js";

export interface InverseSqrtOptions {
  /** Value at the end of the warmup. */
  peakValue: number;
  /** Length of the linear warmup, > 0. */
  warmupSteps: number;
  /** Value at step 0 (default 0). */
  initValue?: number;
}

/**
 * Transformer warmup with inverse-square-root decay (Vaswani et al., 2017;
 * fairseq's `inverse_sqrt`): linear from `initValue` to `peakValue` over
 * `warmupSteps`, then `peakValue * sqrt(warmupSteps / t)`. With initValue 0
 * and `peakValue = dModel^-0.5 * warmupSteps^-0.5` it is the paper's
 * `dModel^-0.5 * min(t^-0.5, t * warmupSteps^-1.5)`.
 */
export function inverseSqrt(options: InverseSqrtOptions): Schedule {
  const fn = "inverseSqrt";
  checkOptions(fn, options);
  const peak = checkFinite(fn, "peakValue", options.peakValue);
  const warmup = checkPositive(fn, "warmupSteps", options.warmupSteps);
  const init = checkFinite(fn, "initValue", options.initValue ?? 0);
  return (step) => {
    if (step < warmup) return init + ((peak - init) * Math.max(step, 0)) / warmup;
    return peak * Math.sqrt(warmup / step);
  };
}
