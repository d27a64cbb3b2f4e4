import { polynomial } from "./polynomial.js";
import type { Schedule } from "./schedule.js";
import { checkOptions } from "./validate.js";

export interface LinearOptions {
  initValue: number;
  endValue: number;
  /** Steps over which the value moves from initValue to endValue; 0 holds initValue forever. */
  transitionSteps: number;
  /** Steps during which initValue is held before the transition starts (default 0). */
  transitionBegin?: number;
}

/**
 * Linear transition from `initValue` to `endValue` over `transitionSteps`
 * steps starting at `transitionBegin`, then held: with
 * `c = clip(t - transitionBegin, 0, T)`, `value(t) = I + (E - I) * c/T`.
 * Matches optax's `linear_schedule` (a polynomial of power 1).
 */
export function linear(options: LinearOptions): Schedule {
  checkOptions("linear", options);
  return polynomial({ ...options, power: 1 });
}
