import { elementwise, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { adamHyper } from "./scaleByAdam.js";
import { checkNonNegative } from "../validate.js";

/** AdaBelief's state: steps taken, the first moment and the "belief" (variance of g around m). */
export type ScaleByBeliefState = { count: number; mu: FloatArray[]; nu: FloatArray[] };

/** Options of scaleByBelief (optax's names). */
export interface ScaleByBeliefOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: number;
  /** Decay of the belief s (default 0.999). */
  b2?: number;
  /** Added to the bias-corrected root of s (default 1e-16). */
  eps?: number;
  /** Added to s at every step, inside the root (default 1e-16). */
  epsRoot?: number;
}

/**
 * AdaBelief's scaling (Zhuang et al. 2020, Algorithm 2): Adam with the
 * second moment of the gradient replaced by that of its deviation from the
 * first moment, the "belief" in the observed gradient. With t the step:
 * `m ← b1·m + (1−b1)·g`, `s ← b2·s + (1−b2)·(g − m)² + epsRoot` (m already
 * updated), `u ← (m/(1−b1^t)) / (√(s/(1−b2^t)) + eps)`. Large steps where
 * the gradient agrees with its prediction m, small ones where it does not.
 * Matches optax.scale_by_belief (since optax PR #1130, which moved the
 * prediction error to the updated m as in the paper).
 */
export function scaleByBelief(options: ScaleByBeliefOptions = {}): GradientTransformation<ScaleByBeliefState> {
  const { b1, b2, eps } = adamHyper("scaleByBelief", { b1: options.b1, b2: options.b2, eps: options.eps ?? 1e-16 });
  const epsRoot = checkNonNegative("scaleByBelief", "epsRoot", options.epsRoot ?? 1e-16);
  let invBc1 = 1;
  let invBc2 = 1;
  return elementwise(
    "scaleByBelief",
    (params) => ({ count: 0, mu: zerosForEach("scaleByBelief", params), nu: zerosForEach("scaleByBelief", params) }),
    {
      leafCount: (s) => s.mu.length,
      begin(state) {
        state.count += 1;
        invBc1 = 1 / (1 - b1 ** state.count);
        invBc2 = 1 / (1 - b2 ** state.count);
      },
      apply(state, leaf, u, _p, lo, hi) {
        const m = state.mu[leaf];
        const s = state.nu[leaf];
        for (let i = lo; i < hi; i++) {
          const g = u[i];
          const mi = b1 * m[i] + (1 - b1) * g;
          const d = g - mi;
          const si = b2 * s[i] + (1 - b2) * d * d + epsRoot;
          m[i] = mi;
          s[i] = si;
          u[i] = (mi * invBc1) / (Math.sqrt(si * invBc2) + eps);
        }
      },
    },
  );
}
