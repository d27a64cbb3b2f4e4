import { chain } from "../chain.js";
import type { GradientTransformation, State } from "../types.js";
import { scaleByAdagrad, type ScaleByAdagradOptions } from "../transforms/scaleByAdagrad.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { checkNonNegative } from "../validate.js";

/** Options of the adagrad alias. */
export interface AdagradOptions extends ScaleByAdagradOptions {
  /** Learning-rate decay: step t uses `lr/(1 + (t−1)·lrDecay)` (default 0). */
  lrDecay?: number;
}

/**
 * Adagrad (Duchi et al. 2011): `s ← s + g²`,
 * `p ← p − lr/(1 + (t−1)·lrDecay) · g/(√s + eps)`. Matches
 * torch.optim.Adagrad (without weight decay).
 *
 * `chain(scaleByAdagrad({ initialAccumulatorValue, eps }), scaleByLearningRate((count) => lr / (1 + count·lrDecay)))`
 */
export function adagrad(learningRate: number, options: AdagradOptions = {}): GradientTransformation<State[]> {
  const lrDecay = checkNonNegative("adagrad", "lrDecay", options.lrDecay ?? 0);
  return chain(scaleByAdagrad(options), scaleByLearningRate(lrDecay === 0 ? learningRate : (count) => learningRate / (1 + count * lrDecay)));
}
