import type { Tensor } from "../../tensor/tensor.js";
import { Optimizer, type Closure, type ParamsInput } from "../optimizer.js";
import type { FloatArray } from "../types.js";
import { checkBetas, checkBoolean, checkInteger, checkNonNegative, checkNumber, checkPositive } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";
import { checkSharedLr, maxLr } from "./Prodigy-shared.js";

/** DAdaptAdam's options (facebookresearch/dadaptation's names, camelCased). */
export type DAdaptAdamOptions = {
  /** Multiplies the estimated step size d (default 1). */
  lr: number;
  betas: readonly [number, number];
  /** Added to √v. */
  eps: number;
  weightDecay: number;
  /** AdamW-style decoupled weight decay (true) or L2 added to the gradient (false, default). */
  decouple: boolean;
  /** Adam's bias correction in the step size. */
  useBiasCorrection: boolean;
  /** Initial estimate of d. */
  d0: number;
  /** d grows by at most this factor per step (Infinity: unrestricted). */
  growthRate: number;
  /** Scales this group's step and its share of the d estimate (the reference's layer_scale). */
  layerScale: number;
};

/** The global estimates, kept in every group as the reference keeps them: d, the weighted numerator and the step count. */
export type DAdaptAdamGroupState = { d: number; numeratorWeighted: number; k: number };

/** Per-parameter state: steps, the gradient sum s and Adam's moments (the first already scaled by dlr). */
export type DAdaptAdamState = { step: number; s: FloatArray; expAvg: FloatArray; expAvgSq: FloatArray };

type Group = DAdaptAdamOptions & DAdaptAdamGroupState;

/**
 * D-Adapt Adam (Defazio & Mishchenko 2023, "Learning-Rate-Free Learning by
 * D-Adaptation"; matches the current facebookresearch/dadaptation
 * DAdaptAdam). With dlr = d·lr·(bias correction if useBiasCorrection), ρ the
 * group's layerScale, g the gradient (+ wd·x unless decouple) and
 * A = diag(√v + eps) before this step:
 * `r ← √β2·r + (1−√β2)·Σ ρ·dlr·⟨g, s⟩_{A⁻¹}`, `m ← β1·m + ρ·dlr(1−β1)g`,
 * `v ← β2·v + (1−β2)g²`, `s ← √β2·s + dlr(1−√β2)g`,
 * `d ← max(d, min(r/((1−√β2)·Σρ‖s‖₁), d·growthRate))`, then
 * `x ← x − dlr·wd·x (decouple) − m/(√v + eps)`. The sums run over every
 * group: groups must share one lr (or have lr 0, which freezes them).
 * Defaults: lr 1, betas [0.9, 0.999], eps 1e-8, weightDecay 0, decouple
 * false, useBiasCorrection false, d0 1e-6, growthRate Infinity, layerScale 1.
 * Equals `dadaptAdam` (one group) through fromTransform.
 */
export class DAdaptAdam extends Optimizer<Group, DAdaptAdamState> {
  constructor(params: ParamsInput<DAdaptAdamOptions>, options: Partial<DAdaptAdamOptions> = {}) {
    const d0 = options.d0 ?? 1e-6;
    const defaults: Group = {
      lr: 1,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      decouple: false,
      useBiasCorrection: false,
      d0,
      growthRate: Infinity,
      layerScale: 1,
      d: d0,
      numeratorWeighted: 0,
      k: 0,
    };
    super("DAdaptAdam", params as ParamsInput<Group>, withDefaults<Group>(defaults, options));
  }

  protected validateOptions(o: Group): void {
    const n = this.name;
    checkNonNegative(n, "lr", o.lr);
    checkBetas(n, o.betas);
    checkPositive(n, "eps", o.eps);
    checkNonNegative(n, "weightDecay", o.weightDecay);
    checkBoolean(n, "decouple", o.decouple);
    checkBoolean(n, "useBiasCorrection", o.useBiasCorrection);
    checkPositive(n, "d0", o.d0);
    checkPositive(n, "growthRate", o.growthRate);
    checkNonNegative(n, "layerScale", o.layerScale);
    checkPositive(n, "d", o.d);
    checkNumber(n, "numeratorWeighted", o.numeratorWeighted);
    checkInteger(n, "k", o.k, 0);
  }

  private initState(param: Tensor): DAdaptAdamState {
    const p = param.data as FloatArray;
    return { step: 0, s: bufferLike(p), expAvg: bufferLike(p), expAvgSq: bufferLike(p) };
  }

  protected stateTemplate(param: Tensor): DAdaptAdamState {
    return this.initState(param);
  }

  step(closure?: Closure): number | undefined {
    const loss = closure === undefined ? undefined : this.evaluateClosure(closure);
    this.checkGradients();
    const groups = this.paramGroups;
    const lr = maxLr(groups);
    checkSharedLr(this.name, groups, lr);
    const g0 = groups[0];
    const [b1, b2] = g0.betas;
    const d = g0.d;
    const k = g0.k;
    const bc = g0.useBiasCorrection ? Math.sqrt(1 - b2 ** (k + 1)) / (1 - b1 ** (k + 1)) : 1;
    const dlr = d * lr * bc;
    const decouple = g0.decouple;
    const sb2 = Math.sqrt(b2);
    let numerator = 0;
    let l1 = 0;
    for (const group of groups) {
      const coupled = decouple ? 0 : group.weightDecay;
      const rho = group.layerScale;
      const eps = group.eps;
      for (const param of group.params) {
        if (param.grad === null) continue;
        let st = this.state.get(param);
        if (st === undefined) {
          st = this.initState(param);
          this.state.set(param, st);
        }
        if (group.lr === 0) continue;
        const g = param.grad.data as FloatArray;
        const x = param.data as FloatArray;
        const { s, expAvg: m, expAvgSq: v } = st;
        let dot = 0;
        let sum = 0;
        for (let i = 0; i < x.length; i++) {
          const gi = g[i] + coupled * x[i];
          dot += (gi * s[i]) / (Math.sqrt(v[i]) + eps);
          m[i] = b1 * m[i] + rho * dlr * (1 - b1) * gi;
          v[i] = b2 * v[i] + (1 - b2) * gi * gi;
          const si = sb2 * s[i] + dlr * (1 - sb2) * gi;
          s[i] = si;
          sum += Math.abs(si);
        }
        numerator += rho * dlr * dot;
        l1 += rho * sum;
      }
    }
    this.stepCount += 1;
    // The reference returns here until some gradient is non-zero.
    if (l1 === 0) return loss;
    const r = sb2 * g0.numeratorWeighted + (1 - sb2) * numerator;
    const dNext = Math.max(d, Math.min(r / ((1 - sb2) * l1), d * g0.growthRate));
    for (const group of groups) {
      group.numeratorWeighted = r;
      group.d = dNext;
      const shrink = decouple ? 1 - group.weightDecay * dlr : 1;
      const eps = group.eps;
      if (group.lr !== 0) {
        for (const param of group.params) {
          if (param.grad === null) continue;
          const st = this.state.get(param)!;
          st.step += 1;
          const x = param.data as FloatArray;
          const { expAvg: m, expAvgSq: v } = st;
          for (let i = 0; i < x.length; i++) x[i] = x[i] * shrink - m[i] / (Math.sqrt(v[i]) + eps);
        }
      }
      group.k += 1;
    }
    return loss;
  }
}
