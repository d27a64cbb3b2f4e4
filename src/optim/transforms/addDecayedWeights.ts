import { requireParams, stateless, type LeafCountState } from "../base.js";
import type { GradientTransformation } from "../types.js";
import { checkNonNegative } from "../validate.js";

/**
 * Decoupled weight decay (Loshchilov & Hutter 2019, AdamW): `u ← u + wd·p`,
 * placed *after* the adaptive scaling and before scaleByLearningRate, so the
 * parameter shrinks by `lr·wd·p` whatever the gradient statistics
 * (optax.add_decayed_weights; torch.optim.AdamW's `p ← p(1 − lr·wd)`). Wrap
 * it in maskedBy to leave biases and norms undecayed.
 */
export function addDecayedWeights(weightDecay: number): GradientTransformation<LeafCountState> {
  const wd = checkNonNegative("addDecayedWeights", "weightDecay", weightDecay);
  return stateless("addDecayedWeights", {
    begin(_state, _updates, params) {
      requireParams("addDecayedWeights", params);
    },
    apply(_state, _leaf, u, p, lo, hi) {
      const q = p!;
      for (let i = lo; i < hi; i++) u[i] += wd * q[i];
    },
  });
}
