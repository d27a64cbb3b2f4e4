import { requireParams, stateless, type LeafCountState } from "../base.js";
import type { GradientTransformation } from "../types.js";
import { checkNonNegative } from "../validate.js";

/**
 * The subgradient of the L1 penalty `l1·‖p‖₁` added to the gradient:
 * `u ← u + l1·sign(p)` (sign(0) = 0). Like addWeightDecay, place it before
 * the scaling it should go through (Tibshirani 1996; the L1 term of
 * tf.keras regularizers).
 */
export function addL1Penalty(l1: number): GradientTransformation<LeafCountState> {
  const c = checkNonNegative("addL1Penalty", "l1", l1);
  return stateless("addL1Penalty", {
    begin(_state, _updates, params) {
      requireParams("addL1Penalty", params);
    },
    apply(_state, _leaf, u, p, lo, hi) {
      const q = p!;
      for (let i = lo; i < hi; i++) {
        const x = q[i];
        u[i] += x > 0 ? c : x < 0 ? -c : 0;
      }
    },
  });
}
