import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { scaleByAdam, type ScaleByAdamOptions } from "../transforms/scaleByAdam.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";

/**
 * Adam (Kingma & Ba 2015): `m ← b1·m + (1−b1)g`, `v ← b2·v + (1−b2)g²`,
 * `p ← p − lr·(m/(1−b1^t)) / (√v/√(1−b2^t) + eps)`; amsgrad uses the running
 * max of v. Matches torch.optim.Adam (without weight decay) and optax.adam.
 *
 * `chain(scaleByAdam({ b1, b2, eps, amsgrad }), scaleByLearningRate(lr))`
 */
export function adam(learningRate: Hyper, options: ScaleByAdamOptions = {}): GradientTransformation<State[]> {
  return chain(scaleByAdam(options), scaleByLearningRate(learningRate));
}
