import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { maskedBy, type Mask } from "../transforms/maskedBy.js";
import { scaleByAdemamix, type ScaleByAdemamixOptions } from "../transforms/scaleByAdemamix.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";

/** Options of the ademamix alias. */
export interface AdemamixAliasOptions extends ScaleByAdemamixOptions {
  /** Decoupled weight decay (default 0). */
  weightDecay?: number;
  /** Which parameters to decay (default all). */
  mask?: Mask;
}

/**
 * AdEMAMix (Pagliardini et al. 2024):
 * `p ← p − lr·((m̂₁ + α·m₂)/(√v̂ + eps) + wd·p)` with a fast (β₁) and a slow
 * (β₃) EMA of the gradient; matches optax.contrib.ademamix. Pass
 * `b3: ademamixBeta3Scheduler(b3, b1, T)` and `alpha: ademamixAlphaScheduler(α, T)`
 * for the paper's warmups (recommended when β₃ is close to 1).
 *
 * `chain(scaleByAdemamix({ b1, b2, b3, alpha, eps }), addDecayedWeights(wd) [maskedBy mask], scaleByLearningRate(lr))`
 */
export function ademamix(learningRate: Hyper, options: AdemamixAliasOptions = {}): GradientTransformation<State[]> {
  const decay = addDecayedWeights(options.weightDecay ?? 0);
  return chain(
    scaleByAdemamix(options),
    options.mask === undefined ? decay : maskedBy(decay, options.mask),
    scaleByLearningRate(learningRate),
  );
}
