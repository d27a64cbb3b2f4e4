import { elementwise, floatData, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { checkNonNegative, checkNumber } from "../validate.js";

/** Rprop's state: the previous (possibly zeroed) gradient and each element's step size. */
export type ScaleByRpropState = { prev: FloatArray[]; stepSize: FloatArray[] };

/** Options of scaleByRprop (optax's names). */
export interface ScaleByRpropOptions {
  /** Step size every element starts with (torch: lr; default 0.01). */
  initialStepSize?: number;
  /** Factor on a sign change (default 0.5). */
  etaMinus?: number;
  /** Factor when the sign holds (default 1.2). */
  etaPlus?: number;
  /** Smallest step size (default 1e-6). */
  minStepSize?: number;
  /** Largest step size (default 50). */
  maxStepSize?: number;
}

/**
 * Rprop (Riedmiller & Braun 1993, the variant without backtracking that
 * torch.optim.Rprop implements). By the sign of `g·prev`: positive
 * `s ← s·η+`; negative `s ← s·η−` and `g ← 0`; zero keeps s. Then
 * `s ← clamp(s, minStepSize, maxStepSize)`, `prev ← g`, `u ← sign(g)·s`.
 * The step size carries the learning rate, so follow it with `scale(-1)`
 * (as optax.rprop does), not with scaleByLearningRate.
 */
export function scaleByRprop(options: ScaleByRpropOptions = {}): GradientTransformation<ScaleByRpropState> {
  const owner = "scaleByRprop";
  const initial = checkNonNegative(owner, "initialStepSize", options.initialStepSize ?? 0.01);
  const etaMinus = checkNumber(owner, "etaMinus", options.etaMinus ?? 0.5);
  const etaPlus = checkNumber(owner, "etaPlus", options.etaPlus ?? 1.2);
  const minStep = checkNumber(owner, "minStepSize", options.minStepSize ?? 1e-6);
  const maxStep = checkNumber(owner, "maxStepSize", options.maxStepSize ?? 50);
  if (!(0 < etaMinus && etaMinus < 1 && 1 < etaPlus)) {
    throw new RangeError(`${owner}: etas must satisfy 0 < etaMinus < 1 < etaPlus, got ${etaMinus}, ${etaPlus}`);
  }
  return elementwise(
    owner,
    (params) => ({
      prev: zerosForEach(owner, params),
      stepSize: params.map((p, i) => {
        const d = floatData(owner, p, i);
        return (d instanceof Float64Array ? new Float64Array(d.length) : new Float32Array(d.length)).fill(initial);
      }),
    }),
    {
      leafCount: (s) => s.prev.length,
      begin() {},
      apply(state, leaf, u, _p, lo, hi) {
        const prev = state.prev[leaf];
        const size = state.stepSize[leaf];
        for (let i = lo; i < hi; i++) {
          let g = u[i];
          const trend = g * prev[i];
          let s = size[i];
          if (trend > 0) s *= etaPlus;
          else if (trend < 0) {
            s *= etaMinus;
            g = 0;
          }
          s = Math.min(Math.max(s, minStep), maxStep);
          size[i] = s;
          prev[i] = g;
          u[i] = g > 0 ? s : g < 0 ? -s : 0;
        }
      },
    },
  );
}
