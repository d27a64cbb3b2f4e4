import { elementwise, requireParams } from "../base.js";
import type { GradientTransformation } from "../types.js";
import { checkNonNegative } from "../validate.js";

/** State of scaleByParamBlockRms: the number of leaves (to check calls against). */
export type ScaleByParamBlockRmsState = { leaves: number };

/** Root mean square of `p` (0 for an empty buffer). */
export function rms(p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i] * p[i];
  return p.length === 0 ? 0 : Math.sqrt(s / p.length);
}

/**
 * Scales each update by the root mean square of its parameter, floored:
 * `u ← u·max(minScale, RMS(p))` (optax.scale_by_param_block_rms; the
 * relative step size of Adafactor, Shazeer & Stern 2018, where it is
 * `max(ε₂, RMS(θ))`). Uses the parameters as they are before the update.
 */
export function scaleByParamBlockRms(minScale = 1e-3): GradientTransformation<ScaleByParamBlockRmsState> {
  const floor = checkNonNegative("scaleByParamBlockRms", "minScale", minScale);
  let factors = new Float64Array(0);
  return elementwise("scaleByParamBlockRms", (params) => ({ leaves: params.length }), {
    leafCount: (s) => s.leaves,
    begin(_state, updates, params) {
      const ps = requireParams("scaleByParamBlockRms", params);
      if (factors.length !== updates.length) factors = new Float64Array(updates.length);
      for (let k = 0; k < ps.length; k++) factors[k] = Math.max(floor, rms(ps[k].data));
    },
    apply(_state, leaf, u, _p, lo, hi) {
      const f = factors[leaf];
      for (let i = lo; i < hi; i++) u[i] *= f;
    },
  });
}
