import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { maskedBy, type Mask } from "../transforms/maskedBy.js";
import { scaleByAdam, type ScaleByAdamOptions } from "../transforms/scaleByAdam.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";

/** Options of the adamw alias. */
export interface AdamwOptions extends ScaleByAdamOptions {
  /** Decoupled weight decay (default 1e-2, as torch.optim.AdamW). */
  weightDecay?: number;
  /** Which parameters to decay (default all); e.g. `(p) => p.shape.length > 1`. */
  mask?: Mask;
}

/**
 * AdamW (Loshchilov & Hutter 2019): Adam plus decoupled weight decay,
 * `p ← p − lr·(m̂/(√v̂ + eps) + wd·p)`, i.e. torch.optim.AdamW's
 * `p ← p(1 − lr·wd)` before the Adam step. Matches optax.adamw.
 *
 * `chain(scaleByAdam({ b1, b2, eps, amsgrad }), addDecayedWeights(wd) [maskedBy mask], scaleByLearningRate(lr))`
 */
export function adamw(learningRate: Hyper, options: AdamwOptions = {}): GradientTransformation<State[]> {
  const decay = addDecayedWeights(options.weightDecay ?? 1e-2);
  return chain(
    scaleByAdam(options),
    options.mask === undefined ? decay : maskedBy(decay, options.mask),
    scaleByLearningRate(learningRate),
  );
}
