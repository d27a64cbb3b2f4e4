import { elementwise, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { checkNonNegative } from "../validate.js";
import { adamHyper } from "./scaleByAdam.js";

/** NAdam's state: steps taken, the product of the momentum schedule, first and second moments. */
export type ScaleByNadamState = { count: number; muProduct: number; mu: FloatArray[]; nu: FloatArray[] };

/** Options of scaleByNadam. */
export interface ScaleByNadamOptions {
  /** Base momentum (default 0.9). */
  b1?: number;
  /** Decay of the second moment (default 0.999). */
  b2?: number;
  /** Added to the bias-corrected root of the second moment (default 1e-8). */
  eps?: number;
  /** ψ of the momentum schedule (default 0.004). */
  momentumDecay?: number;
}

/**
 * NAdam's scaling (Dozat 2016) as torch.optim.NAdam computes it (torch ≥ 2.0
 * and 1.13's foreach path): `μ_t = b1(1 − ½·0.96^(tψ))`, `Π ← Π·μ_t`,
 * `m ← b1·m + (1−b1)g`, `v ← b2·v + (1−b2)g²`, `d = √v/√(1−b2^t) + eps`,
 * `u ← (1−μ_t)/(1−Π) · g/d + μ_{t+1}/(1−Π·μ_{t+1}) · m/d`.
 */
export function scaleByNadam(options: ScaleByNadamOptions = {}): GradientTransformation<ScaleByNadamState> {
  const { b1, b2, eps } = adamHyper("scaleByNadam", options);
  const psi = checkNonNegative("scaleByNadam", "momentumDecay", options.momentumDecay ?? 0.004);
  let cg = 0;
  let cm = 0;
  let invSqrtBc2 = 1;
  return elementwise(
    "scaleByNadam",
    (params) => ({ count: 0, muProduct: 1, mu: zerosForEach("scaleByNadam", params), nu: zerosForEach("scaleByNadam", params) }),
    {
      leafCount: (s) => s.mu.length,
      begin(state) {
        state.count += 1;
        const t = state.count;
        const muT = b1 * (1 - 0.5 * 0.96 ** (t * psi));
        const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
        state.muProduct *= muT;
        cg = (1 - muT) / (1 - state.muProduct);
        cm = muNext / (1 - state.muProduct * muNext);
        invSqrtBc2 = 1 / Math.sqrt(1 - b2 ** t);
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
          u[i] = (cg * g + cm * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
        }
      },
    },
  );
}
