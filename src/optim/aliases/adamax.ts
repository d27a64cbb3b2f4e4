import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { scaleByAdamax, type ScaleByAdamaxOptions } from "../transforms/scaleByAdamax.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";

/**
 * Adamax (Kingma & Ba 2015, section 7.1): Adam with the infinity norm,
 * `n ← max(b2·n, |g| + eps)`, `p ← p − lr/(1−b1^t) · m/n`. Matches
 * torch.optim.Adamax (without weight decay).
 *
 * `chain(scaleByAdamax({ b1, b2, eps }), scaleByLearningRate(lr))`
 */
export function adamax(learningRate: Hyper, options: ScaleByAdamaxOptions = {}): GradientTransformation<State[]> {
  return chain(scaleByAdamax(options), scaleByLearningRate(learningRate));
}
