import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { scaleByAdadelta, type ScaleByAdadeltaOptions } from "../transforms/scaleByAdadelta.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";

/**
 * Adadelta (Zeiler 2012): `e ← ρe + (1−ρ)g²`, `d = √(δ+eps)/√(e+eps)·g`,
 * `δ ← ρδ + (1−ρ)d²`, `p ← p − lr·d` (lr 1 in the paper). Matches
 * torch.optim.Adadelta (without weight decay).
 *
 * `chain(scaleByAdadelta({ rho, eps }), scaleByLearningRate(lr))`
 */
export function adadelta(learningRate: Hyper = 1, options: ScaleByAdadeltaOptions = {}): GradientTransformation<State[]> {
  return chain(scaleByAdadelta(options), scaleByLearningRate(learningRate));
}
