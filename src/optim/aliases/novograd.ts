import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByNovograd, type ScaleByNovogradOptions } from "../transforms/scaleByNovograd.js";

/**
 * NovoGrad (Ginsburg et al. 2019): per parameter tensor,
 * `v ← b2·v + (1−b2)‖g‖²` (`‖g‖²` at the first step),
 * `m ← b1·m + g/(√v + eps) + wd·p` (no b1 at the first step), `p ← p − lr·m`.
 * Matches optax.novograd (b1 0.9, b2 0.25, eps 1e-6 by default).
 *
 * `chain(scaleByNovograd({ b1, b2, eps, epsRoot, weightDecay }), scaleByLearningRate(lr))`
 */
export function novograd(learningRate: Hyper, options: ScaleByNovogradOptions = {}): GradientTransformation<State[]> {
  return chain(scaleByNovograd({ ...options, eps: options.eps ?? 1e-6 }), scaleByLearningRate(learningRate));
}
