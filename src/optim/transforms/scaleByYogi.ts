import { elementwise, floatData, zerosLike } from "../base.js";
import type { FloatArray, GradientTransformation, Params } from "../types.js";
import { adamHyper } from "./scaleByAdam.js";
import { checkNonNegative } from "../validate.js";

/** Yogi's state: steps taken and the first and second moments (both start at initialAccumulatorValue). */
export type ScaleByYogiState = { count: number; mu: FloatArray[]; nu: FloatArray[] };

/** Options of scaleByYogi (optax's names). */
export interface ScaleByYogiOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: number;
  /** Rate of the additive second-moment update (default 0.999). */
  b2?: number;
  /** Added to the bias-corrected root of v (default 1e-3, as optax and the paper). */
  eps?: number;
  /** Added to v inside the root (default 0). */
  epsRoot?: number;
  /** Starting value of both moments (default 1e-6). */
  initialAccumulatorValue?: number;
}

/** One buffer per parameter, typed like it, filled with `value`. */
function filledForEach(owner: string, params: Params, value: number): FloatArray[] {
  return params.map((p, i) => zerosLike(floatData(owner, p, i)).fill(value));
}

/**
 * Yogi's scaling (Zaheer et al. 2018, "Adaptive Methods for Nonconvex
 * Optimization", Algorithm 2): Adam with an additive second-moment update
 * that moves v towards g² by at most (1−b2)·g² per step, so the effective
 * learning rate cannot grow abruptly:
 * `m ← b1·m + (1−b1)·g`, `v ← v − (1−b2)·sign(v − g²)·g²`,
 * `u ← (m/(1−b1^t)) / (√(v/(1−b2^t) + epsRoot) + eps)`.
 * The bias correction and the start of both moments at
 * initialAccumulatorValue follow optax.scale_by_yogi (the paper's
 * pseudo-code has neither).
 */
export function scaleByYogi(options: ScaleByYogiOptions = {}): GradientTransformation<ScaleByYogiState> {
  const { b1, b2, eps } = adamHyper("scaleByYogi", { b1: options.b1, b2: options.b2, eps: options.eps ?? 1e-3 });
  const epsRoot = checkNonNegative("scaleByYogi", "epsRoot", options.epsRoot ?? 0);
  const initial = checkNonNegative("scaleByYogi", "initialAccumulatorValue", options.initialAccumulatorValue ?? 1e-6);
  let invBc1 = 1;
  let invBc2 = 1;
  return elementwise(
    "scaleByYogi",
    (params) => ({ count: 0, mu: filledForEach("scaleByYogi", params, initial), nu: filledForEach("scaleByYogi", params, initial) }),
    {
      leafCount: (s) => s.mu.length,
      begin(state) {
        state.count += 1;
        invBc1 = 1 / (1 - b1 ** state.count);
        invBc2 = 1 / (1 - b2 ** state.count);
      },
      apply(state, leaf, u, _p, lo, hi) {
        const m = state.mu[leaf];
        const v = state.nu[leaf];
        for (let i = lo; i < hi; i++) {
          const g = u[i];
          const g2 = g * g;
          const mi = b1 * m[i] + (1 - b1) * g;
          const v0 = v[i];
          const vi = v0 - (1 - b2) * Math.sign(v0 - g2) * g2;
          m[i] = mi;
          v[i] = vi;
          u[i] = (mi * invBc1) / (Math.sqrt(vi * invBc2 + epsRoot) + eps);
        }
      },
    },
  );
}
