import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByMomentum } from "../transforms/scaleByMomentum.js";

/** Options of the sgd alias (torch's names). */
export interface SgdOptions {
  /** Momentum factor (default 0: plain gradient descent). */
  momentum?: number;
  /** Dampening of the new gradient in the momentum buffer (default 0). */
  dampening?: number;
  nesterov?: boolean;
  /** Coupled L2 weight decay (default 0). */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent, with optional coupled weight decay and
 * (Nesterov) momentum: `g ← g + wd·p`, `buf ← μ·buf + (1−τ)g` (buf ← g on the
 * first step), `p ← p − lr·(buf, or g + μ·buf with Nesterov)`. Matches
 * torch.optim.SGD and optax.sgd.
 *
 * `chain(addWeightDecay(wd), scaleByMomentum({ momentum, dampening, nesterov }), scaleByLearningRate(lr))`
 */
export function sgd(learningRate: Hyper, options: SgdOptions = {}): GradientTransformation<State[]> {
  const links: GradientTransformation[] = [];
  if ((options.weightDecay ?? 0) !== 0) links.push(addWeightDecay(options.weightDecay ?? 0));
  if ((options.momentum ?? 0) !== 0) links.push(scaleByMomentum({ momentum: options.momentum, dampening: options.dampening, nesterov: options.nesterov }));
  links.push(scaleByLearningRate(learningRate));
  return chain(...links);
}
