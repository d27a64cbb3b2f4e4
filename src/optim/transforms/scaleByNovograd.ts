import { elementwise, requireParams, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { checkInRange, checkNonNegative } from "../validate.js";

/**
 * NovoGrad's state: steps taken, the first moment (one buffer per
 * parameter) and the second moment, one number per parameter tensor.
 */
export type ScaleByNovogradState = { count: number; mu: FloatArray[]; nu: Float64Array };

/** Options of scaleByNovograd (optax's names). */
export interface ScaleByNovogradOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: number;
  /** Decay of the per-layer second moment (default 0.25). */
  b2?: number;
  /** Added to the root of the second moment (default 1e-8). */
  eps?: number;
  /** Added to the second moment inside the root (default 0). */
  epsRoot?: number;
  /** Weight decay added to the normalised gradient inside the moment (default 0). */
  weightDecay?: number;
}

/** Σ x², accumulated in double. */
function sumOfSquares(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

/**
 * NovoGrad's scaling (Ginsburg et al. 2019, "Stochastic Gradient Methods
 * with Layer-wise Adaptive Moments", Algorithm 1): the second moment is
 * kept per layer (parameter tensor) from the gradient's norm, and the
 * gradient is normalised by it *before* entering the first moment, with
 * weight decay added there. For each layer, at step t:
 * `v ← ‖g‖²` at t = 1, then `v ← b2·v + (1−b2)·‖g‖²`;
 * `m ← g/(√(v + epsRoot) + eps) + wd·p` at t = 1, then
 * `m ← b1·m + g/(√(v + epsRoot) + eps) + wd·p`; `u ← m`.
 * Matches optax.scale_by_novograd (no bias correction, no (1−b1) factor).
 * Needs the parameters only when weightDecay ≠ 0.
 */
export function scaleByNovograd(options: ScaleByNovogradOptions = {}): GradientTransformation<ScaleByNovogradState> {
  const owner = "scaleByNovograd";
  const b1 = checkInRange(owner, "b1", options.b1 ?? 0.9, 0, 1);
  const b2 = checkInRange(owner, "b2", options.b2 ?? 0.25, 0, 1);
  const eps = checkNonNegative(owner, "eps", options.eps ?? 1e-8);
  const epsRoot = checkNonNegative(owner, "epsRoot", options.epsRoot ?? 0);
  const wd = checkNonNegative(owner, "weightDecay", options.weightDecay ?? 0);
  // Per-step values set in begin(): whether this is the first step, and each leaf's 1/(√v + eps).
  let decay = 0;
  const inv: number[] = [];
  return elementwise(owner, (params) => ({ count: 0, mu: zerosForEach(owner, params), nu: new Float64Array(params.length) }), {
    // begin() reduces each leaf's updates to its norm.
    readsUpdates: true,
    leafCount: (s) => s.mu.length,
    begin(state, updates, params) {
      if (wd !== 0) requireParams(owner, params);
      state.count += 1;
      const first = state.count === 1;
      decay = first ? 0 : b1;
      inv.length = updates.length;
      for (let k = 0; k < updates.length; k++) {
        const sq = sumOfSquares(updates[k]);
        const v = first ? sq : b2 * state.nu[k] + (1 - b2) * sq;
        state.nu[k] = v;
        inv[k] = 1 / (Math.sqrt(v + epsRoot) + eps);
      }
    },
    apply(state, leaf, u, p, lo, hi) {
      const m = state.mu[leaf];
      const scale = inv[leaf];
      for (let i = lo; i < hi; i++) {
        const mi = decay * m[i] + u[i] * scale + (wd === 0 ? 0 : wd * p![i]);
        m[i] = mi;
        u[i] = mi;
      }
    },
  });
}
