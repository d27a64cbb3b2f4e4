import type { Schedule } from "./schedule.js";
import { checkFinite, checkNonNegative, checkOptions, checkPositive } from "./validate.js";

export interface PolynomialOptions {
  initValue: number;
  endValue: number;
  /** Exponent of the decay, > 0 (1 is linear). */
  power: number;
  /** Steps over which the value moves from initValue to endValue; 0 holds initValue forever. */
  transitionSteps: number;
  /** Steps during which initValue is held before the transition starts (default 0). */
  transitionBegin?: number;
}

/**
 * Polynomial transition from `initValue` (I) to `endValue` (E), matching
 * optax's `polynomial_schedule`: with `c = clip(t - transitionBegin, 0, T)`,
 * `value(t) = (I - E) * (1 - c/T)^power + E`. `transitionSteps = 0` gives the
 * constant I (as optax); negative counts are rejected rather than clamped.
 */
export function polynomial(options: PolynomialOptions): Schedule {
  const fn = "polynomial";
  checkOptions(fn, options);
  const init = checkFinite(fn, "initValue", options.initValue);
  const end = checkFinite(fn, "endValue", options.endValue);
  const power = checkPositive(fn, "power", options.power);
  const steps = checkNonNegative(fn, "transitionSteps", options.transitionSteps);
  const begin = checkNonNegative(fn, "transitionBegin", options.transitionBegin ?? 0);
  if (steps === 0) return () => init;
  return (step) => {
    const count = Math.min(Math.max(step - begin, 0), steps);
    return (init - end) * (1 - count / steps) ** power + end;
  };
}
