import { chain } from "../chain.js";
import type { GradientTransformation, State } from "../types.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { polyakAverage } from "../transforms/polyakAverage.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { checkNonNegative } from "../validate.js";

/** Options of the asgd alias (torch's names). */
export interface AsgdOptions {
  /** Decay term λ (default 1e-4). */
  lambd?: number;
  /** Power of the step-size decay (default 0.75). */
  alpha?: number;
  /** Step after which averaging starts (default 1e6). */
  t0?: number;
}

/**
 * Averaged SGD (Polyak & Juditsky 1992; Bottou 2012's schedule):
 * `p ← p(1 − λη) − η·g` with `η_t = lr/(1 + λ·lr·(t−1))^α`, and the average
 * of the iterates kept in the polyakAverage state. Matches torch.optim.ASGD.
 *
 * `chain(addWeightDecay(λ), scaleByLearningRate((count) => lr/(1 + λ·lr·count)^α), polyakAverage({ t0 }))`
 */
export function asgd(learningRate: number, options: AsgdOptions = {}): GradientTransformation<State[]> {
  const lambd = checkNonNegative("asgd", "lambd", options.lambd ?? 1e-4);
  const alpha = checkNonNegative("asgd", "alpha", options.alpha ?? 0.75);
  return chain(
    addWeightDecay(lambd),
    scaleByLearningRate((count) => learningRate / (1 + lambd * learningRate * count) ** alpha),
    polyakAverage({ t0: options.t0 }),
  );
}
