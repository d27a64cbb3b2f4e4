import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { maskedBy, type Mask } from "../transforms/maskedBy.js";
import { scaleByAdam } from "../transforms/scaleByAdam.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByTrustRatio } from "../transforms/scaleByTrustRatio.js";

/** Options of the lamb alias (optax's names). */
export interface LambOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: number;
  /** Decay of the second moment (default 0.999). */
  b2?: number;
  /** Added to the root of the second moment (default 1e-6, as the paper). */
  eps?: number;
  /** Decoupled weight decay, added before the trust ratio (default 0). */
  weightDecay?: number;
  /** Which parameters to decay (default all). */
  mask?: Mask;
}

/**
 * LAMB (You et al. 2019, "Large Batch Optimization for Deep Learning",
 * Algorithm 2): per parameter tensor, `r ← m̂/(√v̂ + eps) + wd·p` (Adam's
 * direction plus decoupled decay), `p ← p − lr·‖p‖/‖r‖·r` (ratio 1 when
 * either norm is 0). Matches optax.lamb.
 *
 * `chain(scaleByAdam({ b1, b2, eps }), addDecayedWeights(wd) [maskedBy mask], scaleByTrustRatio(), scaleByLearningRate(lr))`
 */
export function lamb(learningRate: Hyper, options: LambOptions = {}): GradientTransformation<State[]> {
  const decay = addDecayedWeights(options.weightDecay ?? 0);
  return chain(
    scaleByAdam({ b1: options.b1, b2: options.b2, eps: options.eps ?? 1e-6 }),
    options.mask === undefined ? decay : maskedBy(decay, options.mask),
    scaleByTrustRatio(),
    scaleByLearningRate(learningRate),
  );
}
