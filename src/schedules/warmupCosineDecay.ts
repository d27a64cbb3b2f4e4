import { cosineDecay } from "./cosineDecay.js";
import { join } from "./join.js";
import { linear } from "./linear.js";
import type { Schedule } from "./schedule.js";
import { checkFinite, checkNonNegative, checkOptions, checkPositive } from "./validate.js";

export interface WarmupCosineDecayOptions {
  /** Value at step 0 (default 0). */
  initValue?: number;
  /** Value reached at the end of the warmup. */
  peakValue: number;
  /** Length of the linear warmup, >= 0. */
  warmupSteps: number;
  /** Total length, warmup included: the cosine runs for decaySteps - warmupSteps (> 0) steps. */
  decaySteps: number;
  /** Value at and after decaySteps (default 0). */
  endValue?: number;
  /** Power of the cosine factor (default 1). */
  exponent?: number;
}

/**
 * Linear warmup from `initValue` to `peakValue` over `warmupSteps`, then
 * cosine decay to `endValue` at `decaySteps` (which counts the warmup),
 * matching optax's `warmup_cosine_decay_schedule`:
 * `join([linear(init -> peak, W), cosineDecay(peak, D - W, alpha = end/peak)], [W])`.
 */
export function warmupCosineDecay(options: WarmupCosineDecayOptions): Schedule {
  const fn = "warmupCosineDecay";
  checkOptions(fn, options);
  const init = checkFinite(fn, "initValue", options.initValue ?? 0);
  const peak = checkFinite(fn, "peakValue", options.peakValue);
  const warmup = checkNonNegative(fn, "warmupSteps", options.warmupSteps);
  const decay = checkPositive(fn, "decaySteps", options.decaySteps);
  const end = checkFinite(fn, "endValue", options.endValue ?? 0);
  if (!(decay > warmup)) {
    throw new RangeError(`${fn}: decaySteps (${decay}) must be greater than warmupSteps (${warmup}); it counts the warmup`);
  }
  // optax's convention for a zero peak: alpha = 0 rather than 0/0.
  const alpha = peak === 0 ? 0 : end / peak;
  return join(
    [
      linear({ initValue: init, endValue: peak, transitionSteps: warmup }),
      cosineDecay({ initValue: peak, decaySteps: decay - warmup, alpha, exponent: options.exponent ?? 1 }),
    ],
    [warmup],
  );
}
