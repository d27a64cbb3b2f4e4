import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { scaleByBelief, type ScaleByBeliefOptions } from "../transforms/scaleByBelief.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";

/**
 * AdaBelief (Zhuang et al. 2020): `m ← b1·m + (1−b1)g`,
 * `s ← b2·s + (1−b2)(g − m)² + epsRoot`,
 * `p ← p − lr·(m/(1−b1^t)) / (√(s/(1−b2^t)) + eps)`. Matches optax.adabelief
 * (eps = epsRoot = 1e-16 by default).
 *
 * `chain(scaleByBelief({ b1, b2, eps, epsRoot }), scaleByLearningRate(lr))`
 */
export function adabelief(learningRate: Hyper, options: ScaleByBeliefOptions = {}): GradientTransformation<State[]> {
  return chain(scaleByBelief(options), scaleByLearningRate(learningRate));
}
