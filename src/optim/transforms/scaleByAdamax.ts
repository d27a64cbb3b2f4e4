import { elementwise, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { adamHyper } from "./scaleByAdam.js";

/** Adamax's state: steps taken, first moment, exponentially weighted infinity norm. */
export type ScaleByAdamaxState = { count: number; mu: FloatArray[]; nu: FloatArray[] };

/** Options of scaleByAdamax. */
export interface ScaleByAdamaxOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: number;
  /** Decay of the infinity norm (default 0.999). */
  b2?: number;
  /** Added to |g| inside the max (default 1e-8). */
  eps?: number;
}

/**
 * Adamax's scaling (Kingma & Ba 2015, section 7.1): `m ← b1·m + (1−b1)·g`,
 * `n ← max(b2·n, |g| + eps)`, `u ← m / n / (1−b1^t)`. eps sits inside the
 * max, as in torch.optim.Adamax (optax adds it to the denominator instead).
 */
export function scaleByAdamax(options: ScaleByAdamaxOptions = {}): GradientTransformation<ScaleByAdamaxState> {
  const { b1, b2, eps } = adamHyper("scaleByAdamax", options);
  let invBc1 = 1;
  return elementwise(
    "scaleByAdamax",
    (params) => ({ count: 0, mu: zerosForEach("scaleByAdamax", params), nu: zerosForEach("scaleByAdamax", params) }),
    {
      leafCount: (s) => s.mu.length,
      begin(state) {
        state.count += 1;
        invBc1 = 1 / (1 - b1 ** state.count);
      },
      apply(state, leaf, u, _p, lo, hi) {
        const m = state.mu[leaf];
        const n = state.nu[leaf];
        for (let i = lo; i < hi; i++) {
          const g = u[i];
          const mi = b1 * m[i] + (1 - b1) * g;
          const ni = Math.max(b2 * n[i], Math.abs(g) + eps);
          m[i] = mi;
          n[i] = ni;
          u[i] = (mi / ni) * invBc1;
        }
      },
    },
  );
}
