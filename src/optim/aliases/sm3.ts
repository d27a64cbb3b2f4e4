import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleBySm3 } from "../transforms/scaleBySm3.js";

/** Options of the sm3 alias (optax.sm3's). */
export interface Sm3AliasOptions {
  /** Decay of the momentum of the scaled updates (default 0.9). */
  momentum?: number;
}

/**
 * SM3 (Anil et al. 2019): Adagrad with cover-based accumulators (m + n
 * numbers for an m×n matrix), `p ← p − lr·ν`, ν the momentum of
 * `g/√(min-cover sum of g² + eps)`. Matches optax.sm3.
 *
 * `chain(scaleBySm3({ b1: momentum }), scaleByLearningRate(lr))`
 */
export function sm3(learningRate: Hyper, options: Sm3AliasOptions = {}): GradientTransformation<State[]> {
  return chain(scaleBySm3({ b1: options.momentum ?? 0.9 }), scaleByLearningRate(learningRate));
}
