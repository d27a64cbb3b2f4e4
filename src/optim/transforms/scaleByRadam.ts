import { elementwise, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { adamHyper } from "./scaleByAdam.js";

/** RAdam's state: steps taken, first and second moments. */
export type ScaleByRadamState = { count: number; mu: FloatArray[]; nu: FloatArray[] };

/** Options of scaleByRadam. */
export interface ScaleByRadamOptions {
  b1?: number;
  b2?: number;
  /** Added to the uncorrected √v (default 1e-8). */
  eps?: number;
  /** Rectify only when ρ_t exceeds this (default 5, as torch). */
  threshold?: number;
}

/**
 * Rectified Adam (Liu et al. 2020) as torch.optim.RAdam computes it:
 * `ρ∞ = 2/(1−b2) − 1`, `ρ_t = ρ∞ − 2t·b2^t/(1−b2^t)`; with m, v as in Adam,
 * if `ρ_t > 5`: `r = √((ρ_t−4)(ρ_t−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρ_t))` and
 * `u ← m/(1−b1^t) · r·√(1−b2^t)/(√v + eps)`; otherwise `u ← m/(1−b1^t)`.
 */
export function scaleByRadam(options: ScaleByRadamOptions = {}): GradientTransformation<ScaleByRadamState> {
  const { b1, b2, eps } = adamHyper("scaleByRadam", options);
  const threshold = options.threshold ?? 5;
  const rhoInf = 2 / (1 - b2) - 1;
  let invBc1 = 1;
  let rectified = false;
  let adaptive = 0; // r·√(1−b2^t)
  return elementwise(
    "scaleByRadam",
    (params) => ({ count: 0, mu: zerosForEach("scaleByRadam", params), nu: zerosForEach("scaleByRadam", params) }),
    {
      leafCount: (s) => s.mu.length,
      begin(state) {
        state.count += 1;
        const t = state.count;
        const bc2 = 1 - b2 ** t;
        invBc1 = 1 / (1 - b1 ** t);
        const rhoT = rhoInf - (2 * t * b2 ** t) / bc2;
        rectified = rhoT > threshold;
        if (rectified) adaptive = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) * Math.sqrt(bc2);
      },
      apply(state, leaf, u, _p, lo, hi) {
        const m = state.mu[leaf];
        const v = state.nu[leaf];
        for (let i = lo; i < hi; i++) {
          const g = u[i];
          const mi = b1 * m[i] + (1 - b1) * g;
          const vi = b2 * v[i] + (1 - b2) * g * g;
          m[i] = mi;
          v[i] = vi;
          const mHat = mi * invBc1;
          u[i] = !rectified ? mHat : (mHat * adaptive) / (Math.sqrt(vi) + eps);
        }
      },
    },
  );
}
