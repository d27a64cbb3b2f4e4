import { requireParams, stateless, type LeafCountState } from "../base.js";
import type { GradientTransformation, ParamView } from "../types.js";
import { checkNonNegative, checkPositive } from "../validate.js";

/** Options of adaptiveGradClip. */
export interface AdaptiveGradClipOptions {
  /** Floor on a unit's parameter norm, so that zero-initialized units can move (default 1e-3). */
  eps?: number;
}

/** Units of a parameter: slices along its first axis, or the whole tensor when it has at most one axis. */
function unitsOf(param: ParamView): number {
  return param.shape.length <= 1 ? 1 : param.shape[0];
}

/**
 * Adaptive gradient clipping (Brock et al. 2021, NFNets): for each unit (a
 * slice along the first axis: an output unit in nabla's `[out, in, ...]`
 * weight layout; the whole tensor for biases and scalars),
 * `limit = clipping·max(‖p_unit‖, eps)` and, when `‖u_unit‖ > limit`,
 * `u_unit ← u_unit·limit/‖u_unit‖`. Matches timm's adaptive_clip_grad and
 * optax.adaptive_grad_clip (which takes the norm over JAX's `[in, out]`
 * layout). One reduction pass over updates and parameters, then a fused
 * scaling.
 */
export function adaptiveGradClip(clipping: number, options: AdaptiveGradClipOptions = {}): GradientTransformation<LeafCountState> {
  const c = checkPositive("adaptiveGradClip", "clipping", clipping);
  const eps = checkNonNegative("adaptiveGradClip", "eps", options.eps ?? 1e-3);
  let factors: Float64Array[] = [];
  return stateless("adaptiveGradClip", {
    readsUpdates: true,
    begin(_state, updates, params) {
      const ps = requireParams("adaptiveGradClip", params);
      if (factors.length !== updates.length) factors = new Array<Float64Array>(updates.length);
      for (let k = 0; k < updates.length; k++) {
        const units = unitsOf(ps[k]);
        if (factors[k] === undefined || factors[k].length !== units) factors[k] = new Float64Array(units);
        const u = updates[k];
        const p = ps[k].data;
        const len = units === 0 ? 0 : u.length / units;
        for (let r = 0; r < units; r++) {
          let gs = 0;
          let ps2 = 0;
          for (let i = r * len; i < (r + 1) * len; i++) {
            gs += u[i] * u[i];
            ps2 += p[i] * p[i];
          }
          const g = Math.sqrt(gs);
          const limit = c * Math.max(Math.sqrt(ps2), eps);
          factors[k][r] = g > limit ? limit / g : 1;
        }
      }
    },
    apply(_state, leaf, u, _p, lo, hi) {
      const f = factors[leaf];
      const len = u.length / f.length;
      for (let r = Math.floor(lo / len); r < f.length && r * len < hi; r++) {
        const s = f[r];
        if (s === 1) continue;
        const end = Math.min(hi, (r + 1) * len);
        for (let i = Math.max(lo, r * len); i < end; i++) u[i] *= s;
      }
    },
  });
}
