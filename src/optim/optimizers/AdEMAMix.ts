import type { Tensor } from "../../tensor/tensor.js";
import { ademamixKernel } from "../kernels/ademamix.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { scale } from "../transforms/scale.js";
import { ademamixAlphaAt, ademamixAlphaScheduler, ademamixBeta3At, ademamixBeta3Scheduler, scaleByAdemamix, type ScaleByAdemamixState } from "../transforms/scaleByAdemamix.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import type { FloatArray, Hyper } from "../types.js";
import { checkBoolean, checkInRange, checkInteger, checkNonNegative } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";

/** The reference AdEMAMix implementation's options (apple/ml-ademamix), camelCased, plus maximize. */
export type AdEMAMixOptions = {
  lr: number;
  /** [β₁, β₂, β₃]: fast EMA, second moment, slow EMA. */
  betas: readonly [number, number, number];
  alpha: number;
  /** Steps over which β₃ warms up from β₁ (null: none). */
  beta3Warmup: number | null;
  /** Steps over which α warms up from 0 (null: none). */
  alphaWarmup: number | null;
  eps: number;
  weightDecay: number;
  maximize: boolean;
};

/** AdEMAMix's per-parameter state (the reference implementation's names, camelCased). */
export type AdEMAMixState = { step: number; expAvgFast: FloatArray; expAvgSlow: FloatArray; expAvgSq: FloatArray };

/**
 * AdEMAMix (Pagliardini, Ablin & Grangier 2024), matching the reference
 * PyTorch implementation: with t the step, β₃(t) and α(t) the warmed-up
 * values (ademamixBeta3Scheduler / ademamixAlphaScheduler, or constants),
 * `m₁ ← β₁m₁ + (1−β₁)g`, `m₂ ← β₃(t)m₂ + (1−β₃(t))g`, `v ← β₂v + (1−β₂)g²`,
 * `p ← p − lr·((m₁/(1−β₁ᵗ) + α(t)·m₂)/(√v/√(1−β₂ᵗ) + eps) + wd·p)`.
 * The slow EMA keeps gradients from thousands of steps back.
 * Defaults: lr 1e-3, betas [0.9, 0.999, 0.9999], alpha 2, beta3Warmup null,
 * alphaWarmup null, eps 1e-8, weightDecay 0, maximize false.
 * Chain: `scale(-1)?, scaleByAdemamix(...), addDecayedWeights(wd)?, scaleByLearningRate(lr)`.
 */
export class AdEMAMix extends ParamwiseOptimizer<AdEMAMixOptions, AdEMAMixState> {
  constructor(params: ParamsInput<AdEMAMixOptions>, options: Partial<AdEMAMixOptions> = {}) {
    super(
      "AdEMAMix",
      params,
      withDefaults<AdEMAMixOptions>(
        { lr: 1e-3, betas: [0.9, 0.999, 0.9999], alpha: 2, beta3Warmup: null, alphaWarmup: null, eps: 1e-8, weightDecay: 0, maximize: false },
        options,
      ),
    );
  }

  protected validateOptions(o: AdEMAMixOptions): void {
    const owner = this.name;
    checkNonNegative(owner, "lr", o.lr);
    const b = o.betas;
    if (!Array.isArray(b) || b.length !== 3 || b.some((x) => typeof x !== "number")) {
      throw new TypeError(`${owner}: betas must be three numbers [beta1, beta2, beta3], got ${String(b)}`);
    }
    b.forEach((x, i) => checkInRange(owner, `betas[${i}]`, x, 0, 1));
    checkNonNegative(owner, "alpha", o.alpha);
    if (o.beta3Warmup !== null) checkInteger(owner, "beta3Warmup", o.beta3Warmup, 1);
    if (o.alphaWarmup !== null) checkInteger(owner, "alphaWarmup", o.alphaWarmup, 1);
    checkNonNegative(owner, "eps", o.eps);
    checkNonNegative(owner, "weightDecay", o.weightDecay);
    checkBoolean(owner, "maximize", o.maximize);
  }

  protected initState(param: Tensor): AdEMAMixState {
    const p = param.data as FloatArray;
    return { step: 0, expAvgFast: bufferLike(p), expAvgSlow: bufferLike(p), expAvgSq: bufferLike(p) };
  }

  /** β₃ and α as the transformation takes them: constants, or the paper's warmup schedules. */
  private schedules(group: ParamGroup<AdEMAMixOptions>): { b3: Hyper; alpha: Hyper } {
    const [b1, , b3] = group.betas;
    return {
      b3: group.beta3Warmup === null ? b3 : ademamixBeta3Scheduler(b3, b1, group.beta3Warmup),
      alpha: group.alphaWarmup === null ? group.alpha : ademamixAlphaScheduler(group.alpha, group.alphaWarmup),
    };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: AdEMAMixState, group: ParamGroup<AdEMAMixOptions>): void {
    const count = s.step;
    s.step += 1;
    const [b1, b2, b3] = group.betas;
    const beta3 = group.beta3Warmup === null ? b3 : ademamixBeta3At(b3, b1, group.beta3Warmup, count);
    const a = group.alphaWarmup === null ? group.alpha : ademamixAlphaAt(group.alpha, group.alphaWarmup, count);
    const invBc1 = 1 / (1 - b1 ** s.step);
    const invSqrtBc2 = 1 / Math.sqrt(1 - b2 ** s.step);
    const p = param.data as FloatArray;
    const { lr, eps, weightDecay, maximize } = group;
    ademamixKernel(p, g, s.expAvgFast, s.expAvgSlow, s.expAvgSq, invBc1, invSqrtBc2, lr, b1, b2, beta3, a, eps, weightDecay, maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: AdEMAMixState, group: ParamGroup<AdEMAMixOptions>): void {
    const [b1, b2] = group.betas;
    const { b3, alpha } = this.schedules(group);
    const emaState: ScaleByAdemamixState = { count: s.step, m1: [s.expAvgFast], m2: [s.expAvgSlow], nu: [s.expAvgSq] };
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      { tx: scaleByAdemamix({ b1, b2, b3, alpha, eps: group.eps }), state: emaState },
      group.weightDecay !== 0 ? { tx: addDecayedWeights(group.weightDecay) } : null,
      { tx: scaleByLearningRate(group.lr) },
    ]);
    s.step = emaState.count;
  }
}
