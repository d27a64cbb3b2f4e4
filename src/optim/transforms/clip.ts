import { stateless, type LeafCountState } from "../base.js";
import type { GradientTransformation } from "../types.js";
import { checkNonNegative } from "../validate.js";

/**
 * Clips every update element to `[−maxDelta, maxDelta]` (optax.clip; the
 * functional form of torch.nn.utils.clip_grad_value_).
 */
export function clip(maxDelta: number): GradientTransformation<LeafCountState> {
  const m = checkNonNegative("clip", "maxDelta", maxDelta);
  return stateless("clip", {
    begin() {},
    apply(_state, _leaf, u, _p, lo, hi) {
      for (let i = lo; i < hi; i++) {
        const x = u[i];
        if (x > m) u[i] = m;
        else if (x < -m) u[i] = -m;
      }
    },
  });
}
