import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { maskedBy, type Mask } from "../transforms/maskedBy.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByTrustRatio } from "../transforms/scaleByTrustRatio.js";
import { trace } from "../transforms/trace.js";

/** Options of the lars alias (optax's names, camelCased). */
export interface LarsOptions {
  /** Weight decay added to the gradient before the trust ratio (default 0). */
  weightDecay?: number;
  /** Which parameters to decay (default all). */
  weightDecayMask?: Mask;
  /** Multiplies the trust ratio ‖p‖/‖g + wd·p‖ (default 1e-3). */
  trustCoefficient?: number;
  /** Added to the denominator of the trust ratio (default 0). */
  eps?: number;
  /** Which parameters get the trust ratio (default all); biases and norm scales are often left out. */
  trustRatioMask?: Mask;
  /** Momentum of the trace of scaled steps (default 0.9). */
  momentum?: number;
  nesterov?: boolean;
}

/**
 * LARS (You et al. 2017, "Large Batch Training of Convolutional Networks",
 * Algorithm 1): per parameter tensor, `d ← g + wd·p`,
 * `λ ← c·‖p‖/(‖d‖ + eps)` (1 when either norm is 0), `t ← μ·t + lr·λ·d`,
 * `p ← p − t` (Nesterov: `p ← p − (lr·λ·d + μ·t)`). As optax.lars, the
 * denominator is the norm of the decayed gradient ‖g + wd·p‖ (the paper
 * writes ‖g‖ + wd·‖p‖). Matches optax.lars.
 *
 * `chain(addDecayedWeights(wd) [maskedBy weightDecayMask], scaleByTrustRatio({ trustCoefficient, eps }) [maskedBy trustRatioMask], scaleByLearningRate(lr), trace({ decay: momentum, nesterov }))`
 */
export function lars(learningRate: Hyper, options: LarsOptions = {}): GradientTransformation<State[]> {
  const decay = addDecayedWeights(options.weightDecay ?? 0);
  const ratio = scaleByTrustRatio({ trustCoefficient: options.trustCoefficient ?? 1e-3, eps: options.eps ?? 0 });
  return chain(
    options.weightDecayMask === undefined ? decay : maskedBy(decay, options.weightDecayMask),
    options.trustRatioMask === undefined ? ratio : maskedBy(ratio, options.trustRatioMask),
    scaleByLearningRate(learningRate),
    trace({ decay: options.momentum ?? 0.9, nesterov: options.nesterov ?? false }),
  );
}
