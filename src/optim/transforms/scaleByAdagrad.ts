import { elementwise, floatData } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { checkNonNegative } from "../validate.js";

/** Adagrad's state: the running sum of squared gradients. */
export type ScaleByAdagradState = { sum: FloatArray[] };

/** Options of scaleByAdagrad. */
export interface ScaleByAdagradOptions {
  /** Starting value of the sum (default 0). */
  initialAccumulatorValue?: number;
  /** Added to the root (default 1e-10). */
  eps?: number;
}

/**
 * Adagrad's scaling (Duchi et al. 2011) as torch.optim.Adagrad computes it:
 * `s ← s + g²`, `u ← g / (√s + eps)`, with s starting at
 * `initialAccumulatorValue`. torch's `lrDecay` is a learning-rate schedule,
 * `lr/(1 + count·lrDecay)`, given to scaleByLearningRate. (optax.scale_by_rss
 * puts eps inside the root.)
 */
export function scaleByAdagrad(options: ScaleByAdagradOptions = {}): GradientTransformation<ScaleByAdagradState> {
  const initial = checkNonNegative("scaleByAdagrad", "initialAccumulatorValue", options.initialAccumulatorValue ?? 0);
  const eps = checkNonNegative("scaleByAdagrad", "eps", options.eps ?? 1e-10);
  return elementwise(
    "scaleByAdagrad",
    (params) => ({
      sum: params.map((p, i) => {
        const d = floatData("scaleByAdagrad", p, i);
        return (d instanceof Float64Array ? new Float64Array(d.length) : new Float32Array(d.length)).fill(initial);
      }),
    }),
    {
      leafCount: (s) => s.sum.length,
      begin() {},
      apply(state, leaf, u, _p, lo, hi) {
        const s = state.sum[leaf];
        for (let i = lo; i < hi; i++) {
          const g = u[i];
          const si = s[i] + g * g;
          s[i] = si;
          u[i] = g / (Math.sqrt(si) + eps);
        }
      },
    },
  );
}
