import { requireParams, stateless, type LeafCountState } from "../base.js";
import type { GradientTransformation } from "../types.js";
import { checkNonNegative } from "../validate.js";

/** Options of scaleByTrustRatio (optax's names). */
export interface ScaleByTrustRatioOptions {
  /** Floor for both norms (default 0: no floor). */
  minNorm?: number;
  /** Multiplies the ratio (default 1; LARS uses 1e-3). */
  trustCoefficient?: number;
  /** Added to the update norm in the denominator (default 0). */
  eps?: number;
}

/** The Euclidean norm of `x`, accumulated in double. */
function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/**
 * The layer-wise trust ratio of LARS (You et al. 2017) and LAMB (You et al.
 * 2019): each parameter's update is rescaled so that its norm is a fixed
 * fraction of the parameter's norm,
 * `u ← u · c·‖p‖ / (‖u‖ + eps)`, with `‖p‖ ← max(‖p‖, minNorm)` and
 * `‖u‖ ← max(‖u‖, minNorm)`; when either norm is 0 the ratio is 1 (a zero
 * parameter, e.g. a bias at init, still moves; a zero update stays zero).
 * Each parameter tensor is one "layer". Stateless; needs the parameters.
 * Matches optax.scale_by_trust_ratio.
 */
export function scaleByTrustRatio(options: ScaleByTrustRatioOptions = {}): GradientTransformation<LeafCountState> {
  const owner = "scaleByTrustRatio";
  const minNorm = checkNonNegative(owner, "minNorm", options.minNorm ?? 0);
  const coefficient = checkNonNegative(owner, "trustCoefficient", options.trustCoefficient ?? 1);
  const eps = checkNonNegative(owner, "eps", options.eps ?? 0);
  // Per-leaf factors of the current step, computed in begin() and applied tile by tile.
  const ratios: number[] = [];
  return stateless(owner, {
    // begin() reduces over the updates, so chain must finish the links before this one first.
    readsUpdates: true,
    begin(_state, updates, params) {
      const ps = requireParams(owner, params);
      ratios.length = updates.length;
      for (let k = 0; k < updates.length; k++) ratios[k] = trustRatio(norm(ps[k].data), norm(updates[k]), coefficient, eps, minNorm);
    },
    apply(_state, leaf, u, _p, lo, hi) {
      const r = ratios[leaf];
      if (r === 1) return;
      for (let i = lo; i < hi; i++) u[i] *= r;
    },
  });
}

/**
 * `c·max(‖p‖, minNorm) / (max(‖u‖, minNorm) + eps)`, or 1 when either
 * (floored) norm is 0, as optax.scale_by_trust_ratio. Shared with the
 * LAMB and LARS kernels so that both paths decide the zero cases alike.
 */
export function trustRatio(paramNorm: number, updateNorm: number, coefficient: number, eps: number, minNorm = 0): number {
  const pn = Math.max(paramNorm, minNorm);
  const un = Math.max(updateNorm, minNorm);
  if (pn === 0 || un === 0) return 1;
  return (coefficient * pn) / (un + eps);
}
