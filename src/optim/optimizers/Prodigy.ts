import type { Tensor } from "../../tensor/tensor.js";
import { Optimizer, type Closure, type ParamGroup, type ParamsInput } from "../optimizer.js";
import { copyMatching } from "../stateTree.js";
import { prodigyNextD } from "../transforms/prodigy.js";
import type { FloatArray } from "../types.js";
import { checkBetas, checkBoolean, checkInRange, checkInteger, checkNonNegative, checkNumber, checkPositive } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";
import { checkSharedLr, maxLr } from "./Prodigy-shared.js";

/** Prodigy's options (prodigyopt's names, camelCased). */
export type ProdigyOptions = {
  /** Multiplies the estimated step size d (default 1; leave it unless training is unstable). */
  lr: number;
  betas: readonly [number, number];
  /** Decay of the d-estimate sums; null: √betas[1]. */
  beta3: number | null;
  /** Added to √v, scaled by d. */
  eps: number;
  weightDecay: number;
  /** AdamW-style decoupled weight decay (true) or L2 added to the gradient (false). */
  decouple: boolean;
  /** Adam's bias correction in the step size. */
  useBiasCorrection: boolean;
  /** Leave the lr out of the gradient sum s, for warmup schedules. */
  safeguardWarmup: boolean;
  /** Initial estimate of the distance to the solution. */
  d0: number;
  /** Multiplies the estimate d̂ (the preferred knob: 0.5 or 2 also work). */
  dCoef: number;
  /** d grows by at most this factor per step (Infinity: unrestricted; 1.02 acts as a warmup). */
  growthRate: number;
  /** Estimate d from every sliceP-th element only (memory; 1 = exact, ~11 is reasonable). */
  sliceP: number;
};

/**
 * Prodigy's global estimates, kept in every group as prodigyopt keeps them
 * (so that stateDict carries them): d, its running maximum, the weighted
 * numerator and the step count k.
 */
export type ProdigyGroupState = { d: number; dMax: number; dNumerator: number; k: number };

/**
 * Per-parameter state: steps, the weighted gradient sum s and the initial
 * values x0 (every sliceP-th element; null when the parameter started at
 * all zeros, as prodigyopt), Adam's moments (no first moment when betas[0] = 0).
 */
export type ProdigyState = { step: number; s: FloatArray; p0: FloatArray | null; expAvg: FloatArray | null; expAvgSq: FloatArray };

type Group = ProdigyOptions & ProdigyGroupState;

/** A zero buffer like `a` (same float type) of ceil(a.length / sliceP) elements. */
function slicedZeros(a: FloatArray, sliceP: number): FloatArray {
  const n = Math.ceil(a.length / sliceP);
  return a instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}

/** Every sliceP-th element of `a`, from 0. */
function sliced(a: FloatArray, sliceP: number): FloatArray {
  const out = slicedZeros(a, sliceP);
  for (let j = 0, i = 0; i < a.length; i += sliceP, j++) out[j] = a[i];
  return out;
}

/**
 * Prodigy (Mishchenko & Defazio 2023; matches prodigyopt.Prodigy): Adam
 * with step size d·lr, where d estimates the distance to the solution and
 * only grows. Each step, with dlr = d·lr·(bias correction if
 * useBiasCorrection) and g the gradient (+ wd·x unless decouple):
 * `r ← β3·r + (d/d0)·dlr·⟨g, x0 − x⟩`, `m ← β1·m + d(1−β1)g`,
 * `v ← β2·v + d²(1−β2)g²`, `s ← β3·s + (d/d0)·(safeguardWarmup ? d : dlr)·g`,
 * `d̂ = dCoef·r/‖s‖₁`, `d ← min(dMax, d·growthRate)` with `dMax ← max(dMax, d̂)`
 * (and d ← max(d, d̂) while d = d0), then
 * `x ← x − dlr·wd·x (decouple) − dlr·m/(√v + d·eps)`. The sums run over every
 * group: groups must share one lr (or have lr 0, which freezes them).
 * Until a gradient is non-zero nothing but the moments' decay happens.
 * Defaults: lr 1, betas [0.9, 0.999], beta3 null (√β2), eps 1e-8,
 * weightDecay 0, decouple true, useBiasCorrection false, safeguardWarmup
 * false, d0 1e-6, dCoef 1, growthRate Infinity, sliceP 1. Equals `prodigy`
 * (sliceP 1, one group) through fromTransform.
 */
export class Prodigy extends Optimizer<Group, ProdigyState> {
  constructor(params: ParamsInput<ProdigyOptions>, options: Partial<ProdigyOptions> = {}) {
    const d0 = options.d0 ?? 1e-6;
    const defaults: Group = {
      lr: 1,
      betas: [0.9, 0.999],
      beta3: null,
      eps: 1e-8,
      weightDecay: 0,
      decouple: true,
      useBiasCorrection: false,
      safeguardWarmup: false,
      d0,
      dCoef: 1,
      growthRate: Infinity,
      sliceP: 1,
      d: d0,
      dMax: d0,
      dNumerator: 0,
      k: 0,
    };
    super("Prodigy", params as ParamsInput<Group>, withDefaults<Group>(defaults, options));
  }

  protected validateOptions(o: Group): void {
    const n = this.name;
    checkNonNegative(n, "lr", o.lr);
    checkBetas(n, o.betas);
    if (o.beta3 !== null) checkInRange(n, "beta3", o.beta3, 0, 1);
    checkPositive(n, "eps", o.eps);
    checkNonNegative(n, "weightDecay", o.weightDecay);
    checkBoolean(n, "decouple", o.decouple);
    checkBoolean(n, "useBiasCorrection", o.useBiasCorrection);
    checkBoolean(n, "safeguardWarmup", o.safeguardWarmup);
    checkPositive(n, "d0", o.d0);
    checkPositive(n, "dCoef", o.dCoef);
    checkPositive(n, "growthRate", o.growthRate);
    checkInteger(n, "sliceP", o.sliceP, 1);
    checkPositive(n, "d", o.d);
    checkPositive(n, "dMax", o.dMax);
    checkNumber(n, "dNumerator", o.dNumerator);
    checkInteger(n, "k", o.k, 0);
  }

  private initState(param: Tensor, group: ParamGroup<Group>): ProdigyState {
    const p = param.data as FloatArray;
    const p0 = p.some((v) => v !== 0) ? sliced(p, group.sliceP) : null;
    return {
      step: 0,
      s: slicedZeros(p, group.sliceP),
      p0,
      expAvg: group.betas[0] > 0 ? bufferLike(p) : null,
      expAvgSq: bufferLike(p),
    };
  }

  protected stateTemplate(param: Tensor, group: ParamGroup<Group>): ProdigyState {
    return { ...this.initState(param, group), p0: null, expAvg: null };
  }

  /** x0 is sliced (not parameter-sized), so it is checked here; the rest against the template. */
  protected override loadState(template: ProdigyState, saved: unknown, param: Tensor, where: string): ProdigyState {
    const like = param.data as FloatArray;
    if (typeof saved !== "object" || saved === null || Array.isArray(saved) || !("p0" in saved)) {
      return copyMatching(template, saved, where, like) as ProdigyState; // throws, naming what is wrong
    }
    const { p0, ...rest } = saved as Record<string, unknown>;
    const out = copyMatching(template, { ...rest, p0: null }, where, like) as ProdigyState;
    out.p0 = p0 === null ? null : (copyMatching(template.s, p0, `${where}.p0`, template.s) as FloatArray);
    return out;
  }

  step(closure?: Closure): number | undefined {
    const loss = closure === undefined ? undefined : this.evaluateClosure(closure);
    this.checkGradients();
    const groups = this.paramGroups;
    const lr = maxLr(groups);
    checkSharedLr(this.name, groups, lr);
    const g0 = groups[0];
    const [b1, b2] = g0.betas;
    const beta3 = g0.beta3 ?? Math.sqrt(b2);
    const d = g0.d;
    const k = g0.k;
    const bc = g0.useBiasCorrection ? Math.sqrt(1 - b2 ** (k + 1)) / (1 - b1 ** (k + 1)) : 1;
    const dlr = d * lr * bc;
    const decouple = g0.decouple;
    let numerator = 0;
    let denominator = 0;
    for (const group of groups) {
      const coupled = decouple ? 0 : group.weightDecay;
      const scale = d / group.d0;
      const sCoef = scale * (group.safeguardWarmup ? d : dlr);
      const sliceP = group.sliceP;
      for (const param of group.params) {
        if (param.grad === null) continue;
        let st = this.state.get(param);
        if (st === undefined) {
          st = this.initState(param, group);
          this.state.set(param, st);
        }
        if (group.lr === 0) continue;
        if (b1 > 0 && st.expAvg === null) st.expAvg = bufferLike(param.data as FloatArray);
        const g = param.grad.data as FloatArray;
        const x = param.data as FloatArray;
        const { s, p0, expAvgSq: v } = st;
        const m = b1 > 0 ? st.expAvg : null;
        let dot = 0;
        let l1 = 0;
        for (let i = 0; i < x.length; i++) {
          const gi = g[i] + coupled * x[i];
          if (m !== null) m[i] = b1 * m[i] + d * (1 - b1) * gi;
          v[i] = b2 * v[i] + d * d * (1 - b2) * gi * gi;
        }
        for (let j = 0, i = 0; i < x.length; i += sliceP, j++) {
          const gi = g[i] + coupled * x[i];
          dot += gi * ((p0 === null ? 0 : p0[j]) - x[i]);
          const sj = beta3 * s[j] + sCoef * gi;
          s[j] = sj;
          l1 += Math.abs(sj);
        }
        numerator += scale * dlr * dot;
        denominator += l1;
      }
    }
    this.stepCount += 1;
    // prodigyopt returns here until some gradient is non-zero.
    if (denominator === 0) return loss;
    const r = g0.dNumerator * beta3 + numerator;
    const next = prodigyNextD(d, g0.dMax, g0.d0, (g0.dCoef * r) / denominator, g0.growthRate);
    for (const group of groups) {
      group.dNumerator = r;
      group.d = next.d;
      group.dMax = next.dMax;
      const coupled = decouple ? 0 : group.weightDecay;
      const shrink = decouple ? 1 - group.weightDecay * dlr : 1;
      const epsD = next.d * group.eps;
      if (group.lr !== 0) {
        for (const param of group.params) {
          if (param.grad === null) continue;
          const st = this.state.get(param)!;
          st.step += 1;
          const g = param.grad.data as FloatArray;
          const x = param.data as FloatArray;
          const m = b1 > 0 ? st.expAvg : null;
          const v = st.expAvgSq;
          for (let i = 0; i < x.length; i++) {
            // Without a first moment prodigyopt steps along d·g (the new d).
            const mi = m === null ? next.d * (g[i] + coupled * x[i]) : m[i];
            x[i] = x[i] * shrink - (dlr * mi) / (Math.sqrt(v[i]) + epsD);
          }
        }
      }
      group.k += 1;
    }
    return loss;
  }
}
