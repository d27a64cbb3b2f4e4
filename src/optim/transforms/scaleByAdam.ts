import { elementwise, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { checkBoolean, checkInRange, checkNonNegative } from "../validate.js";

/** Adam's state: steps taken, first and second moments, and (amsgrad) the running max of the second. */
export type ScaleByAdamState = { count: number; mu: FloatArray[]; nu: FloatArray[]; nuMax: FloatArray[] | null };

/** Options of scaleByAdam (optax's names). */
export interface ScaleByAdamOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: number;
  /** Decay of the second moment (default 0.999). */
  b2?: number;
  /** Added to the bias-corrected root of the second moment (default 1e-8). */
  eps?: number;
  /** Use the running maximum of the second moment (AMSGrad, default false). */
  amsgrad?: boolean;
}

/** Reads and checks b1, b2, eps for an Adam-family transformation. */
export function adamHyper(owner: string, o: { b1?: number; b2?: number; eps?: number }): { b1: number; b2: number; eps: number } {
  return {
    b1: checkInRange(owner, "b1", o.b1 ?? 0.9, 0, 1),
    b2: checkInRange(owner, "b2", o.b2 ?? 0.999, 0, 1),
    eps: checkNonNegative(owner, "eps", o.eps ?? 1e-8),
  };
}

/**
 * Adam's scaling (Kingma & Ba 2015). With t the step after incrementing:
 * `m ← b1·m + (1−b1)·g`, `v ← b2·v + (1−b2)·g²`,
 * `u ← (m/(1−b1^t)) / (√v/√(1−b2^t) + eps)`; with amsgrad `v̂ ← max(v̂, v)`
 * (uncorrected) replaces v in the denominator (Reddi et al. 2018). eps is
 * added outside the root, after bias correction, as in torch.optim.Adam and
 * optax.scale_by_adam (eps_root = 0).
 */
export function scaleByAdam(options: ScaleByAdamOptions = {}): GradientTransformation<ScaleByAdamState> {
  const { b1, b2, eps } = adamHyper("scaleByAdam", options);
  const amsgrad = checkBoolean("scaleByAdam", "amsgrad", options.amsgrad ?? false);
  let invBc1 = 1;
  let invSqrtBc2 = 1;
  return elementwise(
    "scaleByAdam",
    (params) => ({
      count: 0,
      mu: zerosForEach("scaleByAdam", params),
      nu: zerosForEach("scaleByAdam", params),
      nuMax: amsgrad ? zerosForEach("scaleByAdam", params) : null,
    }),
    {
      leafCount: (s) => s.mu.length,
      begin(state) {
        state.count += 1;
        invBc1 = 1 / (1 - b1 ** state.count);
        invSqrtBc2 = 1 / Math.sqrt(1 - b2 ** state.count);
      },
      apply(state, leaf, u, _p, lo, hi) {
        const m = state.mu[leaf];
        const v = state.nu[leaf];
        const vMax = state.nuMax === null ? null : state.nuMax[leaf];
        for (let i = lo; i < hi; i++) {
          const g = u[i];
          const mi = b1 * m[i] + (1 - b1) * g;
          let vi = b2 * v[i] + (1 - b2) * g * g;
          m[i] = mi;
          v[i] = vi;
          if (vMax !== null) {
            vi = Math.max(vMax[i], vi);
            vMax[i] = vi;
          }
          u[i] = (mi * invBc1) / (Math.sqrt(vi) * invSqrtBc2 + eps);
        }
      },
    },
  );
}
