import { chain } from "../chain.js";
import type { GradientTransformation, State } from "../types.js";
import { scale } from "../transforms/scale.js";
import { scaleByRprop, type ScaleByRpropOptions } from "../transforms/scaleByRprop.js";

/**
 * Rprop (Riedmiller & Braun 1993): per-element step sizes that grow by η+
 * while the gradient keeps its sign and shrink by η− when it flips,
 * `p ← p − sign(g)·s`. The learning rate is the initial step size. Matches
 * torch.optim.Rprop and optax.rprop.
 *
 * `chain(scaleByRprop({ initialStepSize: lr, etaMinus, etaPlus, minStepSize, maxStepSize }), scale(-1))`
 */
export function rprop(learningRate: number, options: Omit<ScaleByRpropOptions, "initialStepSize"> = {}): GradientTransformation<State[]> {
  return chain(scaleByRprop({ ...options, initialStepSize: learningRate }), scale(-1));
}
