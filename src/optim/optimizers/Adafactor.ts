import type { Tensor } from "../../tensor/tensor.js";
import { relativeStepOverLr } from "../aliases/adafactor.js";
import { adafactorKernel } from "../kernels/adafactor.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { clipByBlockRms } from "../transforms/clipByBlockRms.js";
import { scale } from "../transforms/scale.js";
import { adafactorHyper } from "../transforms/scaleByAdafactor.js";
import { factoredBuffers, factoredDims, machineEps, scaleByFactoredRms, type ScaleByFactoredRmsState } from "../transforms/scaleByFactoredRms.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByParamBlockRms } from "../transforms/scaleByParamBlockRms.js";
import type { FloatArray } from "../types.js";
import { checkBoolean, checkNonNegative, checkNumber } from "../validate.js";
import { withDefaults } from "./common.js";

/** torch.optim.Adafactor's options, camelCased. */
export type AdafactorOptions = {
  lr: number;
  beta2Decay: number;
  eps: readonly [number | null, number];
  d: number;
  weightDecay: number;
  /** Accepted for torch compatibility; both torch paths compute the same update, and so does this one. */
  foreach: boolean | null;
  maximize: boolean;
};

/** Adafactor's per-parameter state (torch's names): row and column factors for matrices, the full second moment otherwise. */
export type AdafactorState = { step: number; rowVar: FloatArray; colVar: FloatArray } | { step: number; variance: FloatArray };

const EMPTY = new Float64Array(0);

/**
 * Adafactor (Shazeer & Stern 2018), matching torch.optim.Adafactor: with t
 * the step, `β̂₂ₜ = 1 − t^τ`, `ρₜ = min(lr, 1/√t)`,
 * `αₜ = max(ε₂, RMS(θ))·ρₜ`, `θ ← θ − lr·wd·θ`; for parameters of 2 or more
 * dimensions (factored over the last two) `R ← β̂₂ₜR + (1−β̂₂ₜ)·mean_j G²`,
 * `C ← β̂₂ₜC + (1−β̂₂ₜ)·mean_i G²`, `V̂ = RC/max(mean R, ε₁)`; otherwise
 * `V̂ ← β̂₂ₜV̂ + (1−β̂₂ₜ)G²`; `U = G/√max(V̂, ε₁²)`,
 * `θ ← θ − αₜ·U/max(1, RMS(U)/d)`. A matrix costs rows + cols numbers of
 * state instead of rows × cols.
 * Defaults: lr 1e-2, beta2Decay -0.8, eps [null (dtype epsilon), 1e-3],
 * d 1, weightDecay 0, foreach null, maximize false.
 * Chain: `scale(-1)?, scaleByFactoredRms, clipByBlockRms(d), scaleByParamBlockRms(ε₂),
 * scaleByLearningRate(ρₜ/lr, no flip), addDecayedWeights(wd)?, scaleByLearningRate(lr)`.
 */
export class Adafactor extends ParamwiseOptimizer<AdafactorOptions, AdafactorState> {
  constructor(params: ParamsInput<AdafactorOptions>, options: Partial<AdafactorOptions> = {}) {
    super(
      "Adafactor",
      params,
      withDefaults({ lr: 1e-2, beta2Decay: -0.8, eps: [null, 1e-3], d: 1, weightDecay: 0, foreach: null, maximize: false }, options),
    );
  }

  protected validateOptions(o: AdafactorOptions): void {
    checkNonNegative(this.name, "lr", o.lr);
    const tau = checkNumber(this.name, "beta2Decay", o.beta2Decay);
    if (!(tau <= 0)) throw new RangeError(`${this.name}: beta2Decay must be <= 0, got ${tau}`);
    adafactorHyper(this.name, o);
    checkNonNegative(this.name, "weightDecay", o.weightDecay);
    if (o.foreach !== null) checkBoolean(this.name, "foreach", o.foreach);
    checkBoolean(this.name, "maximize", o.maximize);
  }

  protected initState(param: Tensor): AdafactorState {
    const b = factoredBuffers(param.data as FloatArray, param.shape);
    return factoredDims(param.shape) === null ? { step: 0, variance: b.variance } : { step: 0, rowVar: b.rowVar, colVar: b.colVar };
  }

  private buffers(s: AdafactorState): { rowVar: FloatArray; colVar: FloatArray; variance: FloatArray } {
    return "variance" in s ? { rowVar: EMPTY, colVar: EMPTY, variance: s.variance } : { rowVar: s.rowVar, colVar: s.colVar, variance: EMPTY };
  }

  private eps1(param: Tensor, group: ParamGroup<AdafactorOptions>): number {
    return group.eps[0] ?? machineEps(param.data as FloatArray);
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: AdafactorState, group: ParamGroup<AdafactorOptions>): void {
    s.step += 1;
    const { lr, beta2Decay, d, weightDecay, maximize } = group;
    const p = param.data as FloatArray;
    const eps1 = this.eps1(param, group);
    const eps2 = group.eps[1];
    if ("variance" in s) {
      adafactorKernel(p, g, null, EMPTY, EMPTY, s.variance, s.step, lr, beta2Decay, eps1, eps2, d, weightDecay, maximize);
    } else {
      const dims = factoredDims(param.shape);
      adafactorKernel(p, g, dims, s.rowVar, s.colVar, EMPTY, s.step, lr, beta2Decay, eps1, eps2, d, weightDecay, maximize);
    }
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: AdafactorState, group: ParamGroup<AdafactorOptions>): void {
    const b = this.buffers(s);
    const rmsState: ScaleByFactoredRmsState = { count: s.step, rowVar: [b.rowVar], colVar: [b.colVar], variance: [b.variance] };
    const { lr, weightDecay } = group;
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      { tx: scaleByFactoredRms({ beta2Decay: group.beta2Decay, eps1: this.eps1(param, group) }), state: rmsState },
      { tx: clipByBlockRms(group.d) },
      { tx: scaleByParamBlockRms(group.eps[1]) },
      { tx: scaleByLearningRate(relativeStepOverLr(lr), { flipSign: false }), state: { count: s.step } },
      weightDecay !== 0 ? { tx: addDecayedWeights(weightDecay) } : null,
      { tx: scaleByLearningRate(lr) },
    ]);
    s.step = rmsState.count;
  }
}
