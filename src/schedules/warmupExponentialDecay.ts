import { exponentialDecay } from "./exponentialDecay.js";
import { join } from "./join.js";
import { linear } from "./linear.js";
import type { Schedule } from "./schedule.js";
import { checkFinite, checkNonNegative, checkOptions } from "./validate.js";

export interface WarmupExponentialDecayOptions {
  /** Value at step 0 (default 0). */
  initValue?: number;
  /** Value reached at the end of the warmup, where the decay starts. */
  peakValue: number;
  /** Length of the linear warmup, >= 0. */
  warmupSteps: number;
  /** See exponentialDecay. */
  transitionSteps: number;
  decayRate: number;
  transitionBegin?: number;
  staircase?: boolean;
  endValue?: number;
}

/**
 * Linear warmup from `initValue` to `peakValue` over `warmupSteps`, then
 * exponential decay from `peakValue` (its count restarting at the end of the
 * warmup), matching optax's `warmup_exponential_decay_schedule`:
 * `join([linear(init -> peak, W), exponentialDecay({initValue: peak, ...})], [W])`.
 */
export function warmupExponentialDecay(options: WarmupExponentialDecayOptions): Schedule {
  const fn = "warmupExponentialDecay";
  checkOptions(fn, options);
  const init = checkFinite(fn, "initValue", options.initValue ?? 0);
  const peak = checkFinite(fn, "peakValue", options.peakValue);
  const warmup = checkNonNegative(fn, "warmupSteps", options.warmupSteps);
  const decay = exponentialDecay({
    initValue: peak,
    transitionSteps: options.transitionSteps,
    decayRate: options.decayRate,
    transitionBegin: options.transitionBegin,
    staircase: options.staircase,
    endValue: options.endValue,
  });
  return join([linear({ initValue: init, endValue: peak, transitionSteps: warmup }), decay], [warmup]);
}
