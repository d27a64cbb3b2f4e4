import { elementwise, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { checkInRange } from "../validate.js";

/** Lion's state: steps taken and the momentum (one buffer per parameter). */
export type ScaleByLionState = { count: number; mu: FloatArray[] };

/** Options of scaleByLion (optax's names). */
export interface ScaleByLionOptions {
  /** Weight of the momentum in the interpolation whose sign is the update (default 0.9). */
  b1?: number;
  /** Decay of the stored momentum (default 0.99). */
  b2?: number;
}

/**
 * Lion's scaling (Chen et al. 2023, "Symbolic Discovery of Optimization
 * Algorithms", Algorithm 2): the update is the sign of an interpolation
 * between the momentum and the gradient, and the momentum is then updated
 * with a different (slower) rate:
 * `u ← sign(b1·m + (1−b1)·g)`, `m ← b2·m + (1−b2)·g` (sign(0) = 0).
 * Every coordinate moves by exactly ±lr, so Lion wants a learning rate
 * 3–10× smaller than AdamW's. Matches optax.scale_by_lion.
 */
export function scaleByLion(options: ScaleByLionOptions = {}): GradientTransformation<ScaleByLionState> {
  const b1 = checkInRange("scaleByLion", "b1", options.b1 ?? 0.9, 0, 1);
  const b2 = checkInRange("scaleByLion", "b2", options.b2 ?? 0.99, 0, 1);
  return elementwise("scaleByLion", (params) => ({ count: 0, mu: zerosForEach("scaleByLion", params) }), {
    leafCount: (s) => s.mu.length,
    begin(state) {
      state.count += 1;
    },
    apply(state, leaf, u, _p, lo, hi) {
      const m = state.mu[leaf];
      for (let i = lo; i < hi; i++) {
        const g = u[i];
        const mi = m[i];
        u[i] = Math.sign(b1 * mi + (1 - b1) * g);
        m[i] = b2 * mi + (1 - b2) * g;
      }
    },
  });
}
