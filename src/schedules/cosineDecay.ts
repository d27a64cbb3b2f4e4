import type { Schedule } from "./schedule.js";
import { checkFinite, checkOptions, checkPositive } from "./validate.js";

export interface CosineDecayOptions {
  initValue: number;
  /** Steps of the decay, > 0; the value is held at alpha*initValue after. */
  decaySteps: number;
  /** Final value as a fraction of initValue (default 0). */
  alpha?: number;
  /** Power applied to the cosine factor, > 0 (default 1). */
  exponent?: number;
}

/**
 * Cosine decay (Loshchilov & Hutter, SGDR), matching optax's
 * `cosine_decay_schedule`: with `c = min(t, decaySteps)`,
 * `value(t) = initValue * ((1 - alpha) * (0.5 * (1 + cos(pi * c / decaySteps)))^exponent + alpha)`.
 */
export function cosineDecay(options: CosineDecayOptions): Schedule {
  const fn = "cosineDecay";
  checkOptions(fn, options);
  const init = checkFinite(fn, "initValue", options.initValue);
  const steps = checkPositive(fn, "decaySteps", options.decaySteps);
  const alpha = checkFinite(fn, "alpha", options.alpha ?? 0);
  const exponent = checkPositive(fn, "exponent", options.exponent ?? 1);
  return (step) => {
    const count = Math.min(step, steps);
    const cosine = 0.5 * (1 + Math.cos((Math.PI * count) / steps));
    return init * ((1 - alpha) * cosine ** exponent + alpha);
  };
}
