import type { Tensor } from "../../tensor/tensor.js";
import { yogiKernel } from "../kernels/yogi.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scale } from "../transforms/scale.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByYogi, type ScaleByYogiState } from "../transforms/scaleByYogi.js";
import type { FloatArray } from "../types.js";
import { checkNonNegative } from "../validate.js";
import { bufferLike, validateAdamFamily, withDefaults } from "./common.js";

/** Yogi's options (torch-style names). */
export type YogiOptions = {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  initialAccumulatorValue: number;
  weightDecay: number;
  maximize: boolean;
};

/** Yogi's per-parameter state: step count and the two moments (torch-style names). */
export type YogiState = { step: number; expAvg: FloatArray; expAvgSq: FloatArray };

/**
 * Yogi (Zaheer et al. 2018, "Adaptive Methods for Nonconvex Optimization",
 * Algorithm 2): with `d = ±g + wd·p` (coupled L2), `m ← β1·m + (1−β1)·d`,
 * `v ← v − (1−β2)·sign(v − d²)·d²` (v moves toward d² by at most
 * (1−β2)·d², so the effective step cannot jump up when gradients shrink),
 * `p ← p − lr·(m/(1−β1^t)) / (√(v/(1−β2^t)) + eps)`; both moments start at
 * initialAccumulatorValue. The bias correction and the starting value follow
 * optax.yogi. Defaults: lr 1e-2 (the paper's), betas [0.9, 0.999], eps 1e-3,
 * initialAccumulatorValue 1e-6, weightDecay 0, maximize false.
 * Chain: `scale(-1)?, addWeightDecay(wd), scaleByYogi(...), scaleByLearningRate(lr)`.
 */
export class Yogi extends ParamwiseOptimizer<YogiOptions, YogiState> {
  constructor(params: ParamsInput<YogiOptions>, options: Partial<YogiOptions> = {}) {
    super(
      "Yogi",
      params,
      withDefaults({ lr: 1e-2, betas: [0.9, 0.999], eps: 1e-3, initialAccumulatorValue: 1e-6, weightDecay: 0, maximize: false }, options),
    );
  }

  protected validateOptions(o: YogiOptions): void {
    validateAdamFamily("Yogi", o);
    checkNonNegative("Yogi", "initialAccumulatorValue", o.initialAccumulatorValue);
  }

  protected initState(param: Tensor, group: ParamGroup<YogiOptions>): YogiState {
    const p = param.data as FloatArray;
    const v0 = group.initialAccumulatorValue;
    return { step: 0, expAvg: bufferLike(p, v0), expAvgSq: bufferLike(p, v0) };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: YogiState, group: ParamGroup<YogiOptions>): void {
    s.step += 1;
    const [b1, b2] = group.betas;
    const invBc1 = 1 / (1 - b1 ** s.step);
    const invBc2 = 1 / (1 - b2 ** s.step);
    yogiKernel(param.data as FloatArray, g, s.expAvg, s.expAvgSq, invBc1, invBc2, group.lr, b1, b2, group.eps, group.weightDecay, group.maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: YogiState, group: ParamGroup<YogiOptions>): void {
    const [b1, b2] = group.betas;
    const st: ScaleByYogiState = { count: s.step, mu: [s.expAvg], nu: [s.expAvgSq] };
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      group.weightDecay !== 0 ? { tx: addWeightDecay(group.weightDecay) } : null,
      { tx: scaleByYogi({ b1, b2, eps: group.eps }), state: st },
      { tx: scaleByLearningRate(group.lr) },
    ]);
    s.step = st.count;
  }
}
