import { checkLeaves, floatData, hyperAt, requireParams, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation, Hyper, Params, Updates } from "../types.js";
import { checkBoolean, checkHyper, checkInRange, checkNonNegative, checkNumber, checkPositive } from "../validate.js";

/**
 * prodigy's state: steps taken, the distance estimate d and its running
 * maximum, the weighted numerator Σ (d/d0)·dlr·⟨g, x0 − x⟩, Adam's moments
 * (no first moment when b1 = 0), the weighted gradient sum s and the
 * initial parameters x0.
 */
export type ProdigyState = {
  count: number;
  d: number;
  dMax: number;
  dNumerator: number;
  mu: FloatArray[] | null;
  nu: FloatArray[];
  s: FloatArray[];
  p0: FloatArray[];
};

/** Options of prodigy (the prodigyopt names, camelCased; b1, b2 for its betas). */
export interface ProdigyOptions {
  /** Adam's first-moment decay (default 0.9; 0 keeps no first moment). */
  b1?: number;
  /** Adam's second-moment decay (default 0.999). */
  b2?: number;
  /** Decay of the d-estimate sums (default √b2). */
  beta3?: number;
  /** Added to √v, scaled by d (default 1e-8). */
  eps?: number;
  /** Weight decay (default 0): decoupled (AdamW style, default) or added to the gradient. */
  weightDecay?: number;
  /** Decoupled weight decay (default true). */
  decouple?: boolean;
  /** Adam's bias correction in the step size (default false). */
  useBiasCorrection?: boolean;
  /** Leave the lr out of s, for warmup schedules (default false). */
  safeguardWarmup?: boolean;
  /** Initial estimate d0 of the distance to the solution (default 1e-6). */
  d0?: number;
  /** Multiplies the estimate d̂ (default 1; the preferred knob). */
  dCoef?: number;
  /** d grows at most by this factor per step (default Infinity). */
  growthRate?: number;
}

/** The checked hyperparameters of Prodigy (shared with the class). */
export type ProdigyHyper = Required<Omit<ProdigyOptions, "beta3">> & { beta3: number };

/** Reads and checks prodigy's options, filling the prodigyopt defaults. */
export function prodigyHyper(owner: string, o: ProdigyOptions): ProdigyHyper {
  const b2 = checkInRange(owner, "b2", o.b2 ?? 0.999, 0, 1);
  return {
    b1: checkInRange(owner, "b1", o.b1 ?? 0.9, 0, 1),
    b2,
    beta3: checkInRange(owner, "beta3", o.beta3 ?? Math.sqrt(b2), 0, 1),
    eps: checkPositive(owner, "eps", o.eps ?? 1e-8),
    weightDecay: checkNonNegative(owner, "weightDecay", o.weightDecay ?? 0),
    decouple: checkBoolean(owner, "decouple", o.decouple ?? true),
    useBiasCorrection: checkBoolean(owner, "useBiasCorrection", o.useBiasCorrection ?? false),
    safeguardWarmup: checkBoolean(owner, "safeguardWarmup", o.safeguardWarmup ?? false),
    d0: checkPositive(owner, "d0", o.d0 ?? 1e-6),
    dCoef: checkPositive(owner, "dCoef", o.dCoef ?? 1),
    growthRate: checkPositive(owner, "growthRate", o.growthRate ?? Infinity),
  };
}

/**
 * The new d after a step (prodigyopt): `d̂ = dCoef·numerator/denominator`;
 * while d is still d0 it jumps to max(d, d̂); `dMax ← max(dMax, d̂)`;
 * `d ← min(dMax, d·growthRate)`.
 */
export function prodigyNextD(d: number, dMax: number, d0: number, dHat: number, growthRate: number): { d: number; dMax: number } {
  const dNext = d === d0 ? Math.max(d, dHat) : d;
  const dMaxNext = Math.max(dMax, dHat);
  return { d: Math.min(dMaxNext, dNext * growthRate), dMax: dMaxNext };
}

/**
 * Prodigy (Mishchenko & Defazio 2023, "Prodigy: An Expeditiously Adaptive
 * Parameter-Free Learner"; prodigyopt): Adam whose step size is d·lr, with
 * d an estimate of the distance to the solution that only grows. With
 * lr = learningRate(t), dlr = d·lr·(√(1−b2^{t+1})/(1−b1^{t+1}) with
 * useBiasCorrection, else 1) and g the gradient (+ wd·x when not decoupled):
 * `r ← β3·r + (d/d0)·dlr·⟨g, x0 − x⟩`, `m ← b1·m + d(1−b1)g`,
 * `v ← b2·v + d²(1−b2)g²`, `s ← β3·s + (d/d0)·(safeguardWarmup ? d : dlr)·g`,
 * `d̂ = dCoef·r/‖s‖₁`, d ← prodigyNextD, and the update
 * `u = −dlr·(wd·x if decoupled) − dlr·m/(√v + d·eps)`. Until some gradient
 * is non-zero (‖s‖₁ = 0) it returns zeros and leaves d and the count alone,
 * as prodigyopt. Needs the parameters; x0 is the parameters at init.
 */
export function prodigy(learningRate: Hyper = 1, options: ProdigyOptions = {}): GradientTransformation<ProdigyState> {
  const name = "prodigy";
  checkHyper(name, "learningRate", learningRate);
  const h = prodigyHyper(name, options);
  return {
    name,
    init(params: Params): ProdigyState {
      return {
        count: 0,
        d: h.d0,
        dMax: h.d0,
        dNumerator: 0,
        mu: h.b1 > 0 ? zerosForEach(name, params) : null,
        nu: zerosForEach(name, params),
        s: zerosForEach(name, params),
        p0: params.map((p, i) => floatData(name, p, i).slice()),
      };
    },
    update(updates: Updates, state: ProdigyState, params?: Params): ProdigyState {
      const ps = requireParams(name, params);
      checkLeaves(name, updates, state.nu.length, ps);
      const lr = checkNumber(name, "learningRate", hyperAt(learningRate, state.count));
      const t = state.count + 1;
      const bc = h.useBiasCorrection ? Math.sqrt(1 - h.b2 ** t) / (1 - h.b1 ** t) : 1;
      const d = state.d;
      const d0 = h.d0;
      const dlr = d * lr * bc;
      const coupled = h.decouple ? 0 : h.weightDecay;
      const sCoef = (d / d0) * (h.safeguardWarmup ? d : dlr);
      let numerator = 0;
      let denominator = 0;
      if (lr > 0) {
        for (let k = 0; k < updates.length; k++) {
          const g = updates[k];
          const x = ps[k].data;
          const p0 = state.p0[k];
          const s = state.s[k];
          const nu = state.nu[k];
          const mu = state.mu === null ? null : state.mu[k];
          let dot = 0;
          let l1 = 0;
          for (let i = 0; i < g.length; i++) {
            const gi = g[i] + coupled * x[i];
            dot += gi * (p0[i] - x[i]);
            if (mu !== null) mu[i] = h.b1 * mu[i] + d * (1 - h.b1) * gi;
            nu[i] = h.b2 * nu[i] + d * d * (1 - h.b2) * gi * gi;
            const si = h.beta3 * s[i] + sCoef * gi;
            s[i] = si;
            l1 += Math.abs(si);
          }
          numerator += (d / d0) * dlr * dot;
          denominator += l1;
        }
      }
      if (denominator === 0) {
        for (const u of updates) u.fill(0);
        return state;
      }
      const r = state.dNumerator * h.beta3 + numerator;
      const next = prodigyNextD(d, state.dMax, d0, (h.dCoef * r) / denominator, h.growthRate);
      state.dNumerator = r;
      state.d = next.d;
      state.dMax = next.dMax;
      const decoupled = h.decouple ? h.weightDecay : 0;
      for (let k = 0; k < updates.length; k++) {
        const u = updates[k];
        const x = ps[k].data;
        const nu = state.nu[k];
        const mu = state.mu === null ? null : state.mu[k];
        for (let i = 0; i < u.length; i++) {
          // Without a first moment prodigyopt steps along d·g (with the new d).
          const m = mu === null ? next.d * (u[i] + coupled * x[i]) : mu[i];
          u[i] = -decoupled * dlr * x[i] - (dlr * m) / (Math.sqrt(nu[i]) + next.d * h.eps);
        }
      }
      state.count = t;
      return state;
    },
  };
}
