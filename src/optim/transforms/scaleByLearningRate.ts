import { elementwise, hyperAt } from "../base.js";
import type { GradientTransformation, Hyper } from "../types.js";
import { checkBoolean, checkHyper } from "../validate.js";

/** State of transformations that only count steps. */
export type CountState = { count: number };

/** Options of scaleByLearningRate. */
export interface ScaleByLearningRateOptions {
  /** Negate the step, turning a gradient into a descent direction (default true). */
  flipSign?: boolean;
}

/**
 * Scales the updates by the learning rate and flips their sign:
 * `u ← −lr(count)·u`, `count ← count + 1`, where `lr` is a constant or a
 * schedule of the step count (from 0). This is the only transformation that
 * flips the sign, so `applyUpdates` just adds (optax.scale_by_learning_rate).
 */
export function scaleByLearningRate(learningRate: Hyper, options: ScaleByLearningRateOptions = {}): GradientTransformation<CountState> {
  checkHyper("scaleByLearningRate", "learningRate", learningRate);
  const sign = checkBoolean("scaleByLearningRate", "flipSign", options.flipSign ?? true) ? -1 : 1;
  let factor = 0;
  return elementwise("scaleByLearningRate", () => ({ count: 0 }), {
    leafCount: () => undefined,
    begin(state) {
      factor = sign * hyperAt(learningRate, state.count);
      state.count += 1;
    },
    apply(_state, _leaf, u, _p, lo, hi) {
      for (let i = lo; i < hi; i++) u[i] *= factor;
    },
  });
}
