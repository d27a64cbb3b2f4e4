import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByRadam, type ScaleByRadamOptions } from "../transforms/scaleByRadam.js";

/**
 * RAdam (Liu et al. 2020): Adam whose adaptive term is switched on, and
 * rectified, once the variance of the adaptive learning rate is tractable
 * (`ρ_t > 5`); before that it is SGD with bias-corrected momentum. Matches
 * torch.optim.RAdam (without weight decay) and optax.radam.
 *
 * `chain(scaleByRadam({ b1, b2, eps }), scaleByLearningRate(lr))`
 */
export function radam(learningRate: Hyper, options: ScaleByRadamOptions = {}): GradientTransformation<State[]> {
  return chain(scaleByRadam(options), scaleByLearningRate(learningRate));
}
