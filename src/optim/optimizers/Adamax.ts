import type { Tensor } from "../../tensor/tensor.js";
import { adamaxKernel } from "../kernels/adamax.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scale } from "../transforms/scale.js";
import { scaleByAdamax, type ScaleByAdamaxState } from "../transforms/scaleByAdamax.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import type { FloatArray } from "../types.js";
import { bufferLike, validateAdamFamily, withDefaults } from "./common.js";

/** torch.optim.Adamax's options, camelCased. */
export type AdamaxOptions = { lr: number; betas: readonly [number, number]; eps: number; weightDecay: number; maximize: boolean };

/** Adamax's per-parameter state (torch's names). */
export type AdamaxState = { step: number; expAvg: FloatArray; expInf: FloatArray };

/**
 * Adamax (Kingma & Ba 2015, section 7.1), matching torch.optim.Adamax:
 * `g ← ±g + wd·p`, `m ← b1·m + (1−b1)g`, `n ← max(b2·n, |g| + eps)`,
 * `p ← p − lr/(1−b1^t) · m/n`. Defaults: lr 2e-3, betas [0.9, 0.999],
 * eps 1e-8, weightDecay 0, maximize false.
 * Chain: `scale(-1)?, addWeightDecay(wd), scaleByAdamax(...), scaleByLearningRate(lr)`.
 */
export class Adamax extends ParamwiseOptimizer<AdamaxOptions, AdamaxState> {
  constructor(params: ParamsInput<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super("Adamax", params, withDefaults({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }, options));
  }

  protected validateOptions(o: AdamaxOptions): void {
    validateAdamFamily("Adamax", o);
  }

  protected initState(param: Tensor): AdamaxState {
    const p = param.data as FloatArray;
    return { step: 0, expAvg: bufferLike(p), expInf: bufferLike(p) };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: AdamaxState, group: ParamGroup<AdamaxOptions>): void {
    s.step += 1;
    const b1 = group.betas[0];
    const b2 = group.betas[1];
    adamaxKernel(param.data as FloatArray, g, s.expAvg, s.expInf, s.step, group.lr, b1, b2, group.eps, group.weightDecay, group.maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: AdamaxState, group: ParamGroup<AdamaxOptions>): void {
    const [b1, b2] = group.betas;
    const st: ScaleByAdamaxState = { count: s.step, mu: [s.expAvg], nu: [s.expInf] };
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      group.weightDecay !== 0 ? { tx: addWeightDecay(group.weightDecay) } : null,
      { tx: scaleByAdamax({ b1, b2, eps: group.eps }), state: st },
      { tx: scaleByLearningRate(group.lr) },
    ]);
    s.step = st.count;
  }
}
