import type { Schedule } from "./schedule.js";
import { checkFinite, checkNonNegative, checkOptions, checkPositive } from "./validate.js";

export interface CosineDecayRestartsOptions {
  initValue: number;
  /** Length of the first cycle, > 0. */
  firstDecaySteps: number;
  /** Each cycle is tMul times longer than the previous one, >= 1 (default 2). */
  tMul?: number;
  /** Each cycle starts mMul times lower than the previous one, >= 0 (default 1). */
  mMul?: number;
  /** Floor as a fraction of initValue (default 0). */
  alpha?: number;
}

/**
 * Cosine decay with warm restarts (SGDR), matching Keras's
 * `CosineDecayRestarts`: cycle i (from 0) lasts `firstDecaySteps * tMul^i`
 * steps; at position x in [0, 1) of cycle i,
 * `value = initValue * ((1 - alpha) * mMul^i * 0.5 * (1 + cos(pi * x)) + alpha)`.
 * With `mMul = 1` and `alpha = etaMin / initValue` this is the closed form of
 * PyTorch's `CosineAnnealingWarmRestarts` (T_0 = firstDecaySteps, T_mult = tMul).
 * The cycle is found by walking cycle lengths, not by logarithms, so that a
 * step on a restart boundary is never misplaced by rounding.
 */
export function cosineDecayRestarts(options: CosineDecayRestartsOptions): Schedule {
  const fn = "cosineDecayRestarts";
  checkOptions(fn, options);
  const init = checkFinite(fn, "initValue", options.initValue);
  const first = checkPositive(fn, "firstDecaySteps", options.firstDecaySteps);
  const tMul = checkFinite(fn, "tMul", options.tMul ?? 2);
  if (tMul < 1) throw new RangeError(`${fn}: tMul must be >= 1, got ${tMul}`);
  const mMul = checkNonNegative(fn, "mMul", options.mMul ?? 1);
  const alpha = checkFinite(fn, "alpha", options.alpha ?? 0);
  return (step) => {
    let rest = Math.max(step, 0);
    let length = first;
    let cycle = 0;
    if (tMul === 1) {
      cycle = Math.floor(rest / length);
      rest -= cycle * length;
    } else {
      while (rest >= length) {
        rest -= length;
        length *= tMul;
        cycle++;
      }
    }
    const cosine = 0.5 * mMul ** cycle * (1 + Math.cos((Math.PI * rest) / length));
    return init * ((1 - alpha) * cosine + alpha);
  };
}
