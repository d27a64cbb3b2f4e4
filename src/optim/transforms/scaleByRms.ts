import { elementwise, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { checkBoolean, checkNonNegative } from "../validate.js";

/** RMSprop's state: the running mean of g² and, when centered, of g. */
export type ScaleByRmsState = { nu: FloatArray[]; mu: FloatArray[] | null };

/** Options of scaleByRms. */
export interface ScaleByRmsOptions {
  /** Decay α of the running means (default 0.99). */
  decay?: number;
  /** Added to the root (default 1e-8). */
  eps?: number;
  /** Divide by the centered second moment (an estimate of the variance), default false. */
  centered?: boolean;
}

/**
 * RMSprop's scaling (Hinton, Lecture 6e; centered form from Graves 2013) as
 * torch.optim.RMSprop computes it: `v ← α·v + (1−α)g²`; centered also keeps
 * `ḡ ← α·ḡ + (1−α)g` and uses `v − ḡ²`; `u ← g / (√v + eps)`. eps is added
 * outside the root and the mean starts at 0 (optax.scale_by_rms puts eps
 * inside and can start at another value).
 */
export function scaleByRms(options: ScaleByRmsOptions = {}): GradientTransformation<ScaleByRmsState> {
  const decay = checkNonNegative("scaleByRms", "decay", options.decay ?? 0.99);
  const eps = checkNonNegative("scaleByRms", "eps", options.eps ?? 1e-8);
  const centered = checkBoolean("scaleByRms", "centered", options.centered ?? false);
  return elementwise(
    "scaleByRms",
    (params) => ({ nu: zerosForEach("scaleByRms", params), mu: centered ? zerosForEach("scaleByRms", params) : null }),
    {
      leafCount: (s) => s.nu.length,
      begin() {},
      apply(state, leaf, u, _p, lo, hi) {
        const v = state.nu[leaf];
        const mean = state.mu === null ? null : state.mu[leaf];
        for (let i = lo; i < hi; i++) {
          const g = u[i];
          const vi = decay * v[i] + (1 - decay) * g * g;
          v[i] = vi;
          let s = vi;
          if (mean !== null) {
            const gi = decay * mean[i] + (1 - decay) * g;
            mean[i] = gi;
            s = vi - gi * gi;
          }
          u[i] = g / (Math.sqrt(s) + eps);
        }
      },
    },
  );
}
