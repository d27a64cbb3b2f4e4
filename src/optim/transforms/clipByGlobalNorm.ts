import { stateless, type LeafCountState } from "../base.js";
import type { GradientTransformation, Updates } from "../types.js";
import { checkNonNegative } from "../validate.js";

/** The L2 norm of all update buffers taken together. */
export function globalNorm(updates: Updates): number {
  let sum = 0;
  for (const u of updates) for (let i = 0; i < u.length; i++) sum += u[i] * u[i];
  return Math.sqrt(sum);
}

/**
 * Rescales all updates together when their global L2 norm exceeds
 * `maxNorm`: `n = √(Σ u²)`, `u ← u·maxNorm/n` if `n > maxNorm`
 * (optax.clip_by_global_norm; Pascanu et al. 2013). Costs one reduction
 * pass; the scaling itself fuses with the links after it in a chain.
 * torch.nn.utils.clip_grad_norm_ differs slightly: it always multiplies by
 * `min(1, maxNorm/(n + 1e-6))`.
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<LeafCountState> {
  const max = checkNonNegative("clipByGlobalNorm", "maxNorm", maxNorm);
  let factor = 1;
  return stateless("clipByGlobalNorm", {
    readsUpdates: true,
    begin(_state, updates) {
      const n = globalNorm(updates);
      factor = n > max ? max / n : 1;
    },
    apply(_state, _leaf, u, _p, lo, hi) {
      if (factor === 1) return;
      for (let i = lo; i < hi; i++) u[i] *= factor;
    },
  });
}
