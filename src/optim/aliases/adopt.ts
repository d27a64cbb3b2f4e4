import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { scaleByAdopt, type ScaleByAdoptOptions } from "../transforms/scaleByAdopt.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";

/**
 * ADOPT (Taniguchi et al. 2024): step 0 sets `v ← g²` and leaves the
 * parameters; then `n = clip(g/max(√v, eps), ±k^¼)`, `m ← β₁m + (1−β₁)n`,
 * `p ← p − lr·m`, `v ← β₂v + (1−β₂)g²`. Matches optax.contrib.adopt and the
 * official implementation (defaults b1 0.9, b2 0.9999, eps 1e-6).
 *
 * `chain(scaleByAdopt({ b1, b2, eps, clipLambda }), scaleByLearningRate(lr))`
 */
export function adopt(learningRate: Hyper, options: ScaleByAdoptOptions = {}): GradientTransformation<State[]> {
  return chain(scaleByAdopt(options), scaleByLearningRate(learningRate));
}
