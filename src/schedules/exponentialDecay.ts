import type { Schedule } from "./schedule.js";
import { checkBoolean, checkFinite, checkNonNegative, checkOptions, checkPositive } from "./validate.js";

export interface ExponentialDecayOptions {
  initValue: number;
  /** Steps over which the value is multiplied by decayRate once, > 0. */
  transitionSteps: number;
  /** Factor per transitionSteps steps, > 0 (< 1 decays, > 1 grows). */
  decayRate: number;
  /** Steps during which initValue is held (default 0). */
  transitionBegin?: number;
  /** Decay in whole multiples of transitionSteps (default false). */
  staircase?: boolean;
  /** Bound the value never passes: a floor when decayRate < 1, a ceiling otherwise. */
  endValue?: number;
}

/**
 * Exponential decay, matching optax's `exponential_decay`: with
 * `c = t - transitionBegin` and `p = c / transitionSteps` (floored when
 * `staircase`), `value(t) = initValue * decayRate^p` for `c > 0`, `initValue`
 * before; then clipped at `endValue` (max when decayRate < 1, min otherwise).
 * Unlike optax, a zero decayRate or transitionSteps is an error, not a
 * silently constant schedule.
 */
export function exponentialDecay(options: ExponentialDecayOptions): Schedule {
  const fn = "exponentialDecay";
  checkOptions(fn, options);
  const init = checkFinite(fn, "initValue", options.initValue);
  const steps = checkPositive(fn, "transitionSteps", options.transitionSteps);
  const rate = checkPositive(fn, "decayRate", options.decayRate);
  const begin = checkNonNegative(fn, "transitionBegin", options.transitionBegin ?? 0);
  const staircase = checkBoolean(fn, "staircase", options.staircase ?? false);
  const end = options.endValue === undefined ? undefined : checkFinite(fn, "endValue", options.endValue);
  const clip = end === undefined ? (v: number) => v : rate < 1 ? (v: number) => Math.max(v, end) : (v: number) => Math.min(v, end);
  return (step) => {
    const count = step - begin;
    if (count <= 0) return clip(init);
    const p = staircase ? Math.floor(count / steps) : count / steps;
    return clip(init * rate ** p);
  };
}
