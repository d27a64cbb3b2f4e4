import type { Tensor } from "../../tensor/tensor.js";
import { adagradKernel } from "../kernels/adagrad.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scale } from "../transforms/scale.js";
import { scaleByAdagrad } from "../transforms/scaleByAdagrad.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import type { FloatArray } from "../types.js";
import { checkBoolean, checkNonNegative } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";

/** torch.optim.Adagrad's options, camelCased. */
export type AdagradOptions = {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
};

/** Adagrad's per-parameter state (torch's names). */
export type AdagradState = { step: number; sum: FloatArray };

/**
 * Adagrad (Duchi et al. 2011), matching torch.optim.Adagrad: `g ← ±g + wd·p`,
 * `s ← s + g²` (s starts at initialAccumulatorValue),
 * `p ← p − lr/(1 + (t−1)·lrDecay) · g/(√s + eps)`. Defaults: lr 1e-2,
 * lrDecay 0, weightDecay 0, initialAccumulatorValue 0, eps 1e-10, maximize false.
 * Chain: `scale(-1)?, addWeightDecay(wd), scaleByAdagrad(...), scaleByLearningRate(count => lr/(1 + count·lrDecay))`.
 */
export class Adagrad extends ParamwiseOptimizer<AdagradOptions, AdagradState> {
  constructor(params: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(
      "Adagrad",
      params,
      withDefaults({ lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, options),
    );
  }

  protected validateOptions(o: AdagradOptions): void {
    checkNonNegative("Adagrad", "lr", o.lr);
    checkNonNegative("Adagrad", "lrDecay", o.lrDecay);
    checkNonNegative("Adagrad", "weightDecay", o.weightDecay);
    checkNonNegative("Adagrad", "initialAccumulatorValue", o.initialAccumulatorValue);
    checkNonNegative("Adagrad", "eps", o.eps);
    checkBoolean("Adagrad", "maximize", o.maximize);
  }

  protected initState(param: Tensor, group: ParamGroup<AdagradOptions>): AdagradState {
    return { step: 0, sum: bufferLike(param.data as FloatArray, group.initialAccumulatorValue) };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: AdagradState, group: ParamGroup<AdagradOptions>): void {
    s.step += 1;
    const clr = group.lr / (1 + (s.step - 1) * group.lrDecay);
    adagradKernel(param.data as FloatArray, g, s.sum, clr, group.eps, group.weightDecay, group.maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: AdagradState, group: ParamGroup<AdagradOptions>): void {
    const { lr, lrDecay } = group;
    const lrState = { count: s.step };
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      group.weightDecay !== 0 ? { tx: addWeightDecay(group.weightDecay) } : null,
      { tx: scaleByAdagrad({ eps: group.eps }), state: { sum: [s.sum] } },
      { tx: scaleByLearningRate((count) => lr / (1 + count * lrDecay)), state: lrState },
    ]);
    s.step = lrState.count;
  }
}
