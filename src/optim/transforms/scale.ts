import { stateless, type LeafCountState } from "../base.js";
import type { GradientTransformation } from "../types.js";
import { checkFinite } from "../validate.js";

/**
 * Multiplies every update by a constant: `u ← factor·u` (optax.scale).
 * `scale(-1)` turns a gradient into an ascent direction, which is how the
 * optimizers implement `maximize`.
 */
export function scale(factor: number): GradientTransformation<LeafCountState> {
  checkFinite("scale", "factor", factor);
  return stateless("scale", {
    begin() {},
    apply(_state, _leaf, u, _p, lo, hi) {
      for (let i = lo; i < hi; i++) u[i] *= factor;
    },
  });
}
