import { elementwise, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { checkInRange, checkNonNegative } from "../validate.js";

/** Adadelta's state: running means of g² (`e`) and of the squared deltas (`delta`). */
export type ScaleByAdadeltaState = { e: FloatArray[]; delta: FloatArray[] };

/** Options of scaleByAdadelta. */
export interface ScaleByAdadeltaOptions {
  /** Decay ρ of both running means (default 0.9). */
  rho?: number;
  /** Added inside both roots (default 1e-6). */
  eps?: number;
}

/**
 * Adadelta's scaling (Zeiler 2012) as torch.optim.Adadelta computes it:
 * `e ← ρ·e + (1−ρ)g²`, `d = √(δ + eps)/√(e + eps) · g`,
 * `δ ← ρ·δ + (1−ρ)d²`, `u ← d` (eps inside both roots; torch then multiplies
 * by lr, 1 by default).
 */
export function scaleByAdadelta(options: ScaleByAdadeltaOptions = {}): GradientTransformation<ScaleByAdadeltaState> {
  const rho = checkInRange("scaleByAdadelta", "rho", options.rho ?? 0.9, 0, 1, true);
  const eps = checkNonNegative("scaleByAdadelta", "eps", options.eps ?? 1e-6);
  return elementwise(
    "scaleByAdadelta",
    (params) => ({ e: zerosForEach("scaleByAdadelta", params), delta: zerosForEach("scaleByAdadelta", params) }),
    {
      leafCount: (s) => s.e.length,
      begin() {},
      apply(state, leaf, u, _p, lo, hi) {
        const e = state.e[leaf];
        const acc = state.delta[leaf];
        for (let i = lo; i < hi; i++) {
          const g = u[i];
          const ei = rho * e[i] + (1 - rho) * g * g;
          e[i] = ei;
          const d = (Math.sqrt(acc[i] + eps) / Math.sqrt(ei + eps)) * g;
          acc[i] = rho * acc[i] + (1 - rho) * d * d;
          u[i] = d;
        }
      },
    },
  );
}
