import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByYogi, type ScaleByYogiOptions } from "../transforms/scaleByYogi.js";

/**
 * Yogi (Zaheer et al. 2018): `m ← b1·m + (1−b1)g`,
 * `v ← v − (1−b2)·sign(v − g²)·g²`, `p ← p − lr·(m/(1−b1^t)) / (√(v/(1−b2^t)) + eps)`,
 * both moments starting at initialAccumulatorValue (1e-6), eps 1e-3.
 * Matches optax.yogi.
 *
 * `chain(scaleByYogi({ b1, b2, eps, initialAccumulatorValue }), scaleByLearningRate(lr))`
 */
export function yogi(learningRate: Hyper, options: ScaleByYogiOptions = {}): GradientTransformation<State[]> {
  return chain(scaleByYogi(options), scaleByLearningRate(learningRate));
}
