import { checkLeaves, hyperAt, requireParams, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation, Hyper, Params, Updates } from "../types.js";
import { checkBoolean, checkHyper, checkInRange, checkNonNegative, checkNumber, checkPositive } from "../validate.js";

/** dadaptAdam's state: steps taken, the step-size estimate d, the weighted numerator, Adam's moments and the gradient sum s. */
export type DAdaptAdamState = { count: number; d: number; numeratorWeighted: number; mu: FloatArray[]; nu: FloatArray[]; s: FloatArray[] };

/** Options of dadaptAdam (facebookresearch/dadaptation's names, camelCased; b1, b2 for its betas). */
export interface DAdaptAdamOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: number;
  /** Decay of the second moment (default 0.999); the d sums decay by √b2. */
  b2?: number;
  /** Added to √v (default 1e-8). */
  eps?: number;
  /** Weight decay (default 0): L2 added to the gradient, or decoupled with `decouple`. */
  weightDecay?: number;
  /** AdamW-style decoupled weight decay (default false). */
  decouple?: boolean;
  /** Adam's bias correction in the step size (default false). */
  useBiasCorrection?: boolean;
  /** Initial estimate of d (default 1e-6). */
  d0?: number;
  /** d grows at most by this factor per step (default Infinity). */
  growthRate?: number;
}

/** The checked hyperparameters of D-Adapt Adam (shared with the class). */
export type DAdaptAdamHyper = Required<DAdaptAdamOptions>;

/** Reads and checks dadaptAdam's options, filling the reference defaults. */
export function dadaptAdamHyper(owner: string, o: DAdaptAdamOptions): DAdaptAdamHyper {
  return {
    b1: checkInRange(owner, "b1", o.b1 ?? 0.9, 0, 1),
    b2: checkInRange(owner, "b2", o.b2 ?? 0.999, 0, 1),
    eps: checkPositive(owner, "eps", o.eps ?? 1e-8),
    weightDecay: checkNonNegative(owner, "weightDecay", o.weightDecay ?? 0),
    decouple: checkBoolean(owner, "decouple", o.decouple ?? false),
    useBiasCorrection: checkBoolean(owner, "useBiasCorrection", o.useBiasCorrection ?? false),
    d0: checkPositive(owner, "d0", o.d0 ?? 1e-6),
    growthRate: checkPositive(owner, "growthRate", o.growthRate ?? Infinity),
  };
}

/**
 * D-Adapt Adam (Defazio & Mishchenko 2023, "Learning-Rate-Free Learning by
 * D-Adaptation", Algorithm 4; the current facebookresearch/dadaptation
 * DAdaptAdam): Adam whose step size d·lr estimates the distance to the
 * solution. With dlr = d·lr·(√(1−b2^{t+1})/(1−b1^{t+1}) with
 * useBiasCorrection, else 1), g the gradient (+ wd·x unless decoupled) and
 * A = diag(√v + eps) before this step's v:
 * `r ← √b2·r + (1−√b2)·dlr·⟨g, s⟩_{A⁻¹}`, `m ← b1·m + dlr(1−b1)g`,
 * `v ← b2·v + (1−b2)g²`, `s ← √b2·s + dlr(1−√b2)g`,
 * `d ← max(d, min(r/((1−√b2)‖s‖₁), d·growthRate))`, and the update
 * `u = −dlr·wd·x (decoupled) − m/(√v + eps)`. Until some gradient is
 * non-zero it returns zeros and leaves d and the count alone.
 */
export function dadaptAdam(learningRate: Hyper = 1, options: DAdaptAdamOptions = {}): GradientTransformation<DAdaptAdamState> {
  const name = "dadaptAdam";
  checkHyper(name, "learningRate", learningRate);
  const h = dadaptAdamHyper(name, options);
  const sb2 = Math.sqrt(h.b2);
  return {
    name,
    init(params: Params): DAdaptAdamState {
      const z = () => zerosForEach(name, params);
      return { count: 0, d: h.d0, numeratorWeighted: 0, mu: z(), nu: z(), s: z() };
    },
    update(updates: Updates, state: DAdaptAdamState, params?: Params): DAdaptAdamState {
      const ps = requireParams(name, params);
      checkLeaves(name, updates, state.nu.length, ps);
      const lr = checkNumber(name, "learningRate", hyperAt(learningRate, state.count));
      const t = state.count + 1;
      const bc = h.useBiasCorrection ? Math.sqrt(1 - h.b2 ** t) / (1 - h.b1 ** t) : 1;
      const d = state.d;
      const dlr = d * lr * bc;
      const coupled = h.decouple ? 0 : h.weightDecay;
      let numerator = 0;
      let l1 = 0;
      if (lr > 0) {
        for (let k = 0; k < updates.length; k++) {
          const g = updates[k];
          const x = ps[k].data;
          const mu = state.mu[k];
          const nu = state.nu[k];
          const s = state.s[k];
          let dot = 0;
          let sum = 0;
          for (let i = 0; i < g.length; i++) {
            const gi = g[i] + coupled * x[i];
            dot += (gi * s[i]) / (Math.sqrt(nu[i]) + h.eps);
            mu[i] = h.b1 * mu[i] + dlr * (1 - h.b1) * gi;
            nu[i] = h.b2 * nu[i] + (1 - h.b2) * gi * gi;
            const si = sb2 * s[i] + dlr * (1 - sb2) * gi;
            s[i] = si;
            sum += Math.abs(si);
          }
          numerator += dlr * dot;
          l1 += sum;
        }
      }
      if (l1 === 0) {
        for (const u of updates) u.fill(0);
        return state;
      }
      const r = sb2 * state.numeratorWeighted + (1 - sb2) * numerator;
      state.numeratorWeighted = r;
      state.d = Math.max(d, Math.min(r / ((1 - sb2) * l1), d * h.growthRate));
      const decoupled = h.decouple ? h.weightDecay : 0;
      for (let k = 0; k < updates.length; k++) {
        const u = updates[k];
        const x = ps[k].data;
        const mu = state.mu[k];
        const nu = state.nu[k];
        for (let i = 0; i < u.length; i++) u[i] = -decoupled * dlr * x[i] - mu[i] / (Math.sqrt(nu[i]) + h.eps);
      }
      state.count = t;
      return state;
    },
  };
}
