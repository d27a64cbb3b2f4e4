import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { maskedBy, type Mask } from "../transforms/maskedBy.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByLion, type ScaleByLionOptions } from "../transforms/scaleByLion.js";

/** Options of the lion alias (optax's names). */
export interface LionOptions extends ScaleByLionOptions {
  /** Decoupled weight decay (default 1e-3, as optax.lion; use 3–10× AdamW's). */
  weightDecay?: number;
  /** Which parameters to decay (default all). */
  mask?: Mask;
}

/**
 * Lion (Chen et al. 2023): `p ← p − lr·(sign(b1·m + (1−b1)g) + wd·p)`, then
 * `m ← b2·m + (1−b2)g`. Matches optax.lion.
 *
 * `chain(scaleByLion({ b1, b2 }), addDecayedWeights(wd) [maskedBy mask], scaleByLearningRate(lr))`
 */
export function lion(learningRate: Hyper, options: LionOptions = {}): GradientTransformation<State[]> {
  const decay = addDecayedWeights(options.weightDecay ?? 1e-3);
  return chain(
    scaleByLion(options),
    options.mask === undefined ? decay : maskedBy(decay, options.mask),
    scaleByLearningRate(learningRate),
  );
}
