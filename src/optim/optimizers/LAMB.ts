import type { Tensor } from "../../tensor/tensor.js";
import { lambKernel } from "../kernels/lamb.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { scale } from "../transforms/scale.js";
import { scaleByAdam, type ScaleByAdamState } from "../transforms/scaleByAdam.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByTrustRatio } from "../transforms/scaleByTrustRatio.js";
import type { FloatArray } from "../types.js";
import { checkBoolean } from "../validate.js";
import { bufferLike, validateAdamFamily, withDefaults } from "./common.js";

/** LAMB's options (torch-style names). */
export type LAMBOptions = {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  /** Apply the layer-wise trust ratio (default true); a group with false takes plain AdamW steps. */
  trustRatio: boolean;
  maximize: boolean;
};

/** LAMB's per-parameter state: Adam's (step count and the two moments). */
export type LAMBState = { step: number; expAvg: FloatArray; expAvgSq: FloatArray };

/**
 * LAMB, Layer-wise Adaptive Moments for Batch training (You et al. 2019,
 * "Large Batch Optimization for Deep Learning: Training BERT in 76
 * minutes", Algorithm 2). Per parameter tensor, with `d = ±g`:
 * `m ← β1·m + (1−β1)d`, `v ← β2·v + (1−β2)d²`,
 * `r ← (m/(1−β1^t)) / (√(v/(1−β2^t)) + eps) + wd·p`,
 * `p ← p − lr·(‖p‖/‖r‖)·r`, the ratio being 1 when either norm is 0 (as
 * optax.lamb). The trust ratio makes the step a fixed fraction of each
 * layer's weight norm, which keeps very large batches stable.
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-6, weightDecay 0,
 * trustRatio true, maximize false.
 * Chain: `scale(-1)?, scaleByAdam({ b1, b2, eps }), addDecayedWeights(wd), scaleByTrustRatio()?, scaleByLearningRate(lr)`.
 */
export class LAMB extends ParamwiseOptimizer<LAMBOptions, LAMBState> {
  constructor(params: ParamsInput<LAMBOptions>, options: Partial<LAMBOptions> = {}) {
    super("LAMB", params, withDefaults({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-6, weightDecay: 0, trustRatio: true, maximize: false }, options));
  }

  protected validateOptions(o: LAMBOptions): void {
    validateAdamFamily("LAMB", o);
    checkBoolean("LAMB", "trustRatio", o.trustRatio);
  }

  protected initState(param: Tensor): LAMBState {
    const p = param.data as FloatArray;
    return { step: 0, expAvg: bufferLike(p), expAvgSq: bufferLike(p) };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: LAMBState, group: ParamGroup<LAMBOptions>): void {
    s.step += 1;
    const [b1, b2] = group.betas;
    const invBc1 = 1 / (1 - b1 ** s.step);
    const invSqrtBc2 = 1 / Math.sqrt(1 - b2 ** s.step);
    lambKernel(
      param.data as FloatArray,
      g,
      s.expAvg,
      s.expAvgSq,
      invBc1,
      invSqrtBc2,
      group.lr,
      b1,
      b2,
      group.eps,
      group.weightDecay,
      group.trustRatio,
      group.maximize,
    );
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: LAMBState, group: ParamGroup<LAMBOptions>): void {
    const [b1, b2] = group.betas;
    const st: ScaleByAdamState = { count: s.step, mu: [s.expAvg], nu: [s.expAvgSq], nuMax: null };
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      { tx: scaleByAdam({ b1, b2, eps: group.eps }), state: st },
      group.weightDecay !== 0 ? { tx: addDecayedWeights(group.weightDecay) } : null,
      group.trustRatio ? { tx: scaleByTrustRatio() } : null,
      { tx: scaleByLearningRate(group.lr) },
    ]);
    s.step = st.count;
  }
}
