import type { Tensor } from "../../tensor/tensor.js";
import { nadamKernel } from "../kernels/nadam.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scale } from "../transforms/scale.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByNadam, type ScaleByNadamState } from "../transforms/scaleByNadam.js";
import type { FloatArray } from "../types.js";
import { checkNonNegative } from "../validate.js";
import { bufferLike, validateAdamFamily, withDefaults } from "./common.js";

/** torch.optim.NAdam's options, camelCased (plus maximize, as torch >= 2.0). */
export type NAdamOptions = {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  momentumDecay: number;
  maximize: boolean;
};

/** NAdam's per-parameter state (torch's names); muProduct is the product of the momentum schedule, in double. */
export type NAdamState = { step: number; muProduct: number; expAvg: FloatArray; expAvgSq: FloatArray };

/**
 * NAdam (Dozat 2016), matching torch.optim.NAdam (torch ≥ 2.0, and 1.13's
 * foreach path; 1.13's default path multiplies the momentum term by μ_t once
 * too often): `g ← ±g + wd·p`, `μ_t = b1(1 − ½·0.96^(tψ))`, `Π ← Π·μ_t`,
 * m and v as in Adam, `d = √v/√(1−b2^t) + eps`,
 * `p ← p − lr(1−μ_t)/(1−Π)·g/d − lr·μ_{t+1}/(1−Π·μ_{t+1})·m/d`.
 * Defaults: lr 2e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0,
 * momentumDecay 4e-3, maximize false.
 * Chain: `scale(-1)?, addWeightDecay(wd), scaleByNadam(...), scaleByLearningRate(lr)`.
 */
export class NAdam extends ParamwiseOptimizer<NAdamOptions, NAdamState> {
  constructor(params: ParamsInput<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super(
      "NAdam",
      params,
      withDefaults({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, maximize: false }, options),
    );
  }

  protected validateOptions(o: NAdamOptions): void {
    validateAdamFamily("NAdam", o);
    checkNonNegative("NAdam", "momentumDecay", o.momentumDecay);
  }

  protected initState(param: Tensor): NAdamState {
    const p = param.data as FloatArray;
    return { step: 0, muProduct: 1, expAvg: bufferLike(p), expAvgSq: bufferLike(p) };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: NAdamState, group: ParamGroup<NAdamOptions>): void {
    const b1 = group.betas[0];
    const b2 = group.betas[1];
    const psi = group.momentumDecay;
    s.step += 1;
    const t = s.step;
    const muT = b1 * (1 - 0.5 * 0.96 ** (t * psi));
    const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
    s.muProduct *= muT;
    const cg = (group.lr * (1 - muT)) / (1 - s.muProduct);
    const cm = (group.lr * muNext) / (1 - s.muProduct * muNext);
    const invSqrtBc2 = 1 / Math.sqrt(1 - b2 ** t);
    nadamKernel(param.data as FloatArray, g, s.expAvg, s.expAvgSq, cg, cm, invSqrtBc2, b1, b2, group.eps, group.weightDecay, group.maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: NAdamState, group: ParamGroup<NAdamOptions>): void {
    const [b1, b2] = group.betas;
    const st: ScaleByNadamState = { count: s.step, muProduct: s.muProduct, mu: [s.expAvg], nu: [s.expAvgSq] };
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      group.weightDecay !== 0 ? { tx: addWeightDecay(group.weightDecay) } : null,
      { tx: scaleByNadam({ b1, b2, eps: group.eps, momentumDecay: group.momentumDecay }), state: st },
      { tx: scaleByLearningRate(group.lr) },
    ]);
    s.step = st.count;
    s.muProduct = st.muProduct;
  }
}
