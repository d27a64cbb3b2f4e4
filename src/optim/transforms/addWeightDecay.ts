import { requireParams, stateless, type LeafCountState } from "../base.js";
import type { GradientTransformation } from "../types.js";
import { checkNonNegative } from "../validate.js";

/**
 * Coupled weight decay, the gradient of the L2 penalty `½·wd·‖p‖²`:
 * `u ← u + wd·p`, placed *before* the adaptive scaling (the `weight_decay`
 * of torch.optim.SGD, Adam, Adagrad, RMSprop, ...). For maximize put it
 * after `scale(-1)`, so that it still pulls toward 0.
 */
export function addWeightDecay(weightDecay: number): GradientTransformation<LeafCountState> {
  const wd = checkNonNegative("addWeightDecay", "weightDecay", weightDecay);
  return stateless("addWeightDecay", {
    begin(_state, _updates, params) {
      requireParams("addWeightDecay", params);
    },
    apply(_state, _leaf, u, p, lo, hi) {
      const q = p!;
      for (let i = lo; i < hi; i++) u[i] += wd * q[i];
    },
  });
}
