import { checkLeaves, floatData, requireParams } from "../base.js";
import { sm3CoverSizes, sm3Step } from "../kernels/sm3.js";
import type { FloatArray, GradientTransformation, Params, Updates } from "../types.js";
import { checkInRange, checkNonNegative } from "../validate.js";

/** SM3's state: per parameter, its cover accumulators (one per axis, or one per element for vectors) and the momentum. */
export type ScaleBySm3State = { mu: FloatArray[][]; nu: FloatArray[] };

/** Options of scaleBySm3 (optax's names). */
export interface ScaleBySm3Options {
  /** Decay of the momentum of the scaled updates (default 0.9). */
  b1?: number;
  /** Decay of the accumulators; 1 (default) sums squared gradients as in the paper. */
  b2?: number;
  /** Added under the root (default 1e-8). */
  eps?: number;
}

/** Reads and checks SM3's hyperparameters for `owner`. */
export function sm3Hyper(owner: string, o: ScaleBySm3Options): { b1: number; b2: number; eps: number } {
  return {
    b1: checkInRange(owner, "b1", o.b1 ?? 0.9, 0, 1),
    b2: checkInRange(owner, "b2", o.b2 ?? 1, 0, 1, true),
    eps: checkNonNegative(owner, "eps", o.eps ?? 1e-8),
  };
}

function like(data: FloatArray, length: number): FloatArray {
  return data instanceof Float64Array ? new Float64Array(length) : new Float32Array(length);
}

/** Zero cover accumulators for a parameter of `shape`, typed like `data`. */
export function sm3Accumulators(data: FloatArray, shape: readonly number[]): FloatArray[] {
  return sm3CoverSizes(shape).map((s) => like(data, s));
}

/**
 * SM3 (Anil, Gupta, Koren & Singer 2019, "Memory-efficient adaptive
 * optimization"; optax.scale_by_sm3): Adagrad whose per-element sum of
 * squared gradients is replaced by the minimum over covers, so an m×n
 * matrix keeps m + n accumulators. For each element,
 * `a = g² + min_r μ_r[i_r]` (β₂ < 1: `(1−β₂)g² + β₂·min_r μ_r[i_r]`),
 * `μ_r[k] ← max{a : i_r = k}`, `ν ← β₁ν + (1−β₁)·g/√(a + eps)`, `u ← ν`.
 * Needs the parameters for their shapes.
 */
export function scaleBySm3(options: ScaleBySm3Options = {}): GradientTransformation<ScaleBySm3State> {
  const owner = "scaleBySm3";
  const { b1, b2, eps } = sm3Hyper(owner, options);
  return {
    name: owner,
    init(params: Params): ScaleBySm3State {
      const data = params.map((p, i) => floatData(owner, p, i));
      return { mu: params.map((p, i) => sm3Accumulators(data[i], p.shape)), nu: data.map((d) => like(d, d.length)) };
    },
    update(updates: Updates, state: ScaleBySm3State, params?: Params): ScaleBySm3State {
      const ps = requireParams(owner, params);
      checkLeaves(owner, updates, state.nu.length, ps);
      ps.forEach((p, i) => {
        const sizes = sm3CoverSizes(p.shape);
        if (sizes.length !== state.mu[i].length || sizes.some((s, r) => state.mu[i][r].length !== s)) {
          throw new Error(`${owner}: parameter ${i} has shape [${p.shape.join(", ")}], which does not match the state built by init()`);
        }
      });
      updates.forEach((u, i) => sm3Step(u, ps[i].shape, state.mu[i], state.nu[i], b1, b2, eps, u));
      return state;
    },
  };
}
