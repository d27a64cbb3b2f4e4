import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByNadam, type ScaleByNadamOptions } from "../transforms/scaleByNadam.js";

/**
 * NAdam (Dozat 2016): Adam with Nesterov momentum and the momentum schedule
 * `μ_t = b1(1 − ½·0.96^(tψ))`. Matches torch.optim.NAdam (without weight
 * decay; torch ≥ 2.0 and 1.13's foreach path).
 *
 * `chain(scaleByNadam({ b1, b2, eps, momentumDecay }), scaleByLearningRate(lr))`
 */
export function nadam(learningRate: Hyper, options: ScaleByNadamOptions = {}): GradientTransformation<State[]> {
  return chain(scaleByNadam(options), scaleByLearningRate(learningRate));
}
