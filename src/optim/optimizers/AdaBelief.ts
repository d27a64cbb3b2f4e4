import type { Tensor } from "../../tensor/tensor.js";
import { adabeliefKernel } from "../kernels/adabelief.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { scale } from "../transforms/scale.js";
import { scaleByBelief, type ScaleByBeliefState } from "../transforms/scaleByBelief.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import type { FloatArray } from "../types.js";
import { bufferLike, validateAdamFamily, withDefaults } from "./common.js";

/** AdaBelief's options (adabelief-pytorch's names, camelCased). */
export type AdaBeliefOptions = { lr: number; betas: readonly [number, number]; eps: number; weightDecay: number; maximize: boolean };

/** AdaBelief's per-parameter state: step count, first moment, and the belief s (torch-style names). */
export type AdaBeliefState = { step: number; expAvg: FloatArray; expAvgVar: FloatArray };

/**
 * AdaBelief (Zhuang et al. 2020, "AdaBelief Optimizer: Adapting Stepsizes
 * by the Belief in Observed Gradients", Algorithm 2): with `d = ±g`,
 * `p ← p(1 − lr·wd)` (decoupled, as adabelief-pytorch's default),
 * `m ← β1·m + (1−β1)·d`, `s ← β2·s + (1−β2)·(d − m)² + eps`,
 * `p ← p − lr·(m/(1−β1^t)) / (√(s/(1−β2^t)) + eps)`. The step is large where
 * the gradient is close to its running prediction m, small where it is not.
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-16, weightDecay 0, maximize false.
 * Chain: `scale(-1)?, scaleByBelief({ b1, b2, eps, epsRoot: eps }), addDecayedWeights(wd), scaleByLearningRate(lr)`.
 */
export class AdaBelief extends ParamwiseOptimizer<AdaBeliefOptions, AdaBeliefState> {
  constructor(params: ParamsInput<AdaBeliefOptions>, options: Partial<AdaBeliefOptions> = {}) {
    super("AdaBelief", params, withDefaults({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-16, weightDecay: 0, maximize: false }, options));
  }

  protected validateOptions(o: AdaBeliefOptions): void {
    validateAdamFamily("AdaBelief", o);
  }

  protected initState(param: Tensor): AdaBeliefState {
    const p = param.data as FloatArray;
    return { step: 0, expAvg: bufferLike(p), expAvgVar: bufferLike(p) };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: AdaBeliefState, group: ParamGroup<AdaBeliefOptions>): void {
    s.step += 1;
    const [b1, b2] = group.betas;
    const invBc1 = 1 / (1 - b1 ** s.step);
    const invBc2 = 1 / (1 - b2 ** s.step);
    adabeliefKernel(param.data as FloatArray, g, s.expAvg, s.expAvgVar, invBc1, invBc2, group.lr, b1, b2, group.eps, group.weightDecay, group.maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: AdaBeliefState, group: ParamGroup<AdaBeliefOptions>): void {
    const [b1, b2] = group.betas;
    const st: ScaleByBeliefState = { count: s.step, mu: [s.expAvg], nu: [s.expAvgVar] };
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      { tx: scaleByBelief({ b1, b2, eps: group.eps, epsRoot: group.eps }), state: st },
      group.weightDecay !== 0 ? { tx: addDecayedWeights(group.weightDecay) } : null,
      { tx: scaleByLearningRate(group.lr) },
    ]);
    s.step = st.count;
  }
}
