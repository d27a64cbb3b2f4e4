import type { Schedule } from "./schedule.js";
import { checkFinite, checkOptions, checkPositive } from "./validate.js";

export interface StepDecayOptions {
  initValue: number;
  /** Steps between two multiplications by gamma, > 0. */
  stepSize: number;
  /** Factor applied every stepSize steps, >= 0. */
  gamma: number;
}

/**
 * Step decay: `value(t) = initValue * gamma^floor(t / stepSize)`, the closed
 * form of PyTorch's `StepLR` (and optax's staircase `exponential_decay`).
 */
export function stepDecay(options: StepDecayOptions): Schedule {
  const fn = "stepDecay";
  checkOptions(fn, options);
  const init = checkFinite(fn, "initValue", options.initValue);
  const stepSize = checkPositive(fn, "stepSize", options.stepSize);
  const gamma = checkFinite(fn, "gamma", options.gamma);
  if (gamma < 0) throw new RangeError(`${fn}: gamma must be >= 0, got ${gamma}`);
  return (step) => init * gamma ** Math.floor(Math.max(step, 0) / stepSize);
}
