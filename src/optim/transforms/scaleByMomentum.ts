import { elementwise, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { checkBoolean, checkNonNegative, checkNumber } from "../validate.js";

/** State of scaleByMomentum / trace: steps taken and the momentum buffers. */
export type TraceState = { count: number; trace: FloatArray[] };

/** Options of scaleByMomentum (torch.optim.SGD's names). */
export interface ScaleByMomentumOptions {
  /** Momentum factor μ (default 0.9). */
  momentum?: number;
  /** Dampening τ applied to the new gradient after the first step (default 0). */
  dampening?: number;
  /** Use Nesterov momentum: `u ← g + μ·buf` (default false). */
  nesterov?: boolean;
}

/**
 * Heavy-ball momentum as torch.optim.SGD computes it: on the first step
 * `buf ← g`, then `buf ← μ·buf + (1−τ)·g`; the update is `buf`, or
 * `g + μ·buf` with Nesterov. With τ = 0 it equals optax.trace (whose buffer
 * starts at zero). References: Polyak 1964; Sutskever et al. 2013 (Nesterov
 * form); matches torch.optim.SGD's momentum buffer.
 */
export function scaleByMomentum(options: ScaleByMomentumOptions = {}, name = "scaleByMomentum"): GradientTransformation<TraceState> {
  const momentum = checkNonNegative(name, "momentum", options.momentum ?? 0.9);
  const dampening = checkNumber(name, "dampening", options.dampening ?? 0);
  const nesterov = checkBoolean(name, "nesterov", options.nesterov ?? false);
  const keep = 1 - dampening;
  let first = false;
  return elementwise(name, (params) => ({ count: 0, trace: zerosForEach(name, params) }), {
    leafCount: (s) => s.trace.length,
    begin(state) {
      first = state.count === 0;
      state.count += 1;
    },
    apply(state, leaf, u, _p, lo, hi) {
      const buf = state.trace[leaf];
      for (let i = lo; i < hi; i++) {
        const g = u[i];
        const b = first ? g : momentum * buf[i] + keep * g;
        buf[i] = b;
        u[i] = nesterov ? g + momentum * b : b;
      }
    },
  });
}
