import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByRms } from "../transforms/scaleByRms.js";
import { trace } from "../transforms/trace.js";

/** Options of the rmsprop alias (torch's names). */
export interface RmspropOptions {
  /** Decay α of the running means (default 0.99). */
  alpha?: number;
  eps?: number;
  centered?: boolean;
  /** Momentum on the scaled gradient (default 0). */
  momentum?: number;
}

/**
 * RMSprop (Hinton, Lecture 6e): `v ← αv + (1−α)g²`,
 * `p ← p − lr·g/(√v + eps)` (centered: `√(v − ḡ²)`); with momentum
 * `buf ← μ·buf + g/(√v + eps)`, `p ← p − lr·buf`. Matches torch.optim.RMSprop
 * (without weight decay).
 *
 * `chain(scaleByRms({ decay: alpha, eps, centered }), trace({ decay: momentum }), scaleByLearningRate(lr))`
 */
export function rmsprop(learningRate: Hyper, options: RmspropOptions = {}): GradientTransformation<State[]> {
  const links: GradientTransformation[] = [scaleByRms({ decay: options.alpha, eps: options.eps, centered: options.centered })];
  if ((options.momentum ?? 0) !== 0) links.push(trace({ decay: options.momentum }));
  links.push(scaleByLearningRate(learningRate));
  return chain(...links);
}
