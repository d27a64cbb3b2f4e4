import { stateless, type LeafCountState } from "../base.js";
import type { GradientTransformation } from "../types.js";
import { checkPositive } from "../validate.js";

/**
 * Clips each update buffer (block) separately to a root-mean-square of at
 * most `threshold`: `r = √(mean(u²))`, `u ← u·threshold/max(threshold, r)`
 * (optax.clip_by_block_rms). One reduction pass, then a fused scaling.
 */
export function clipByBlockRms(threshold: number): GradientTransformation<LeafCountState> {
  const t = checkPositive("clipByBlockRms", "threshold", threshold);
  let factors = new Float64Array(0);
  return stateless("clipByBlockRms", {
    readsUpdates: true,
    begin(_state, updates) {
      if (factors.length !== updates.length) factors = new Float64Array(updates.length);
      for (let k = 0; k < updates.length; k++) {
        const u = updates[k];
        let sum = 0;
        for (let i = 0; i < u.length; i++) sum += u[i] * u[i];
        const rms = u.length === 0 ? 0 : Math.sqrt(sum / u.length);
        factors[k] = rms > t ? t / rms : 1;
      }
    },
    apply(_state, leaf, u, _p, lo, hi) {
      const f = factors[leaf];
      if (f === 1) return;
      for (let i = lo; i < hi; i++) u[i] *= f;
    },
  });
}
