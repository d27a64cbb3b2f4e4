import type { Tensor } from "../../tensor/tensor.js";
import { adadeltaKernel } from "../kernels/adadelta.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scale } from "../transforms/scale.js";
import { scaleByAdadelta } from "../transforms/scaleByAdadelta.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import type { FloatArray } from "../types.js";
import { checkBoolean, checkInRange, checkNonNegative } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";

/** torch.optim.Adadelta's options, camelCased. */
export type AdadeltaOptions = { lr: number; rho: number; eps: number; weightDecay: number; maximize: boolean };

/** Adadelta's per-parameter state (torch's names). */
export type AdadeltaState = { step: number; squareAvg: FloatArray; accDelta: FloatArray };

/**
 * Adadelta (Zeiler 2012), matching torch.optim.Adadelta: `g ← ±g + wd·p`,
 * `e ← ρe + (1−ρ)g²`, `d = √(δ + eps)/√(e + eps)·g`, `δ ← ρδ + (1−ρ)d²`,
 * `p ← p − lr·d`. Defaults: lr 1, rho 0.9, eps 1e-6, weightDecay 0, maximize false.
 * Chain: `scale(-1)?, addWeightDecay(wd), scaleByAdadelta(...), scaleByLearningRate(lr)`.
 */
export class Adadelta extends ParamwiseOptimizer<AdadeltaOptions, AdadeltaState> {
  constructor(params: ParamsInput<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super("Adadelta", params, withDefaults({ lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false }, options));
  }

  protected validateOptions(o: AdadeltaOptions): void {
    checkNonNegative("Adadelta", "lr", o.lr);
    checkInRange("Adadelta", "rho", o.rho, 0, 1, true);
    checkNonNegative("Adadelta", "eps", o.eps);
    checkNonNegative("Adadelta", "weightDecay", o.weightDecay);
    checkBoolean("Adadelta", "maximize", o.maximize);
  }

  protected initState(param: Tensor): AdadeltaState {
    const p = param.data as FloatArray;
    return { step: 0, squareAvg: bufferLike(p), accDelta: bufferLike(p) };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: AdadeltaState, group: ParamGroup<AdadeltaOptions>): void {
    s.step += 1;
    adadeltaKernel(param.data as FloatArray, g, s.squareAvg, s.accDelta, group.lr, group.rho, group.eps, group.weightDecay, group.maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: AdadeltaState, group: ParamGroup<AdadeltaOptions>): void {
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      group.weightDecay !== 0 ? { tx: addWeightDecay(group.weightDecay) } : null,
      { tx: scaleByAdadelta({ rho: group.rho, eps: group.eps }), state: { e: [s.squareAvg], delta: [s.accDelta] } },
      { tx: scaleByLearningRate(group.lr) },
    ]);
    s.step += 1;
  }
}
