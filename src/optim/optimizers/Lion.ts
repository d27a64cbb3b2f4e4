import type { Tensor } from "../../tensor/tensor.js";
import { lionKernel } from "../kernels/lion.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { scale } from "../transforms/scale.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByLion } from "../transforms/scaleByLion.js";
import type { FloatArray } from "../types.js";
import { checkBetas, checkBoolean, checkNonNegative } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";

/** Lion's options (the names of lion-pytorch, camelCased). */
export type LionOptions = { lr: number; betas: readonly [number, number]; weightDecay: number; maximize: boolean };

/** Lion's per-parameter state: the momentum only (half of Adam's). */
export type LionState = { expAvg: FloatArray };

/**
 * Lion, EvoLved Sign Momentum (Chen et al. 2023, "Symbolic Discovery of
 * Optimization Algorithms", Algorithm 2): with `d = ±g`,
 * `p ← p(1 − lr·wd) − lr·sign(β1·m + (1−β1)·d)`, then
 * `m ← β2·m + (1−β2)·d`. Every coordinate moves by ±lr, so use an lr
 * 3–10× smaller than AdamW's and a weight decay 3–10× larger.
 * Defaults (as lion-pytorch): lr 1e-4, betas [0.9, 0.99], weightDecay 0
 * (decoupled), maximize false.
 * Chain: `scale(-1)?, scaleByLion({ b1, b2 }), addDecayedWeights(wd), scaleByLearningRate(lr)`.
 */
export class Lion extends ParamwiseOptimizer<LionOptions, LionState> {
  constructor(params: ParamsInput<LionOptions>, options: Partial<LionOptions> = {}) {
    super("Lion", params, withDefaults({ lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0, maximize: false }, options));
  }

  protected validateOptions(o: LionOptions): void {
    checkNonNegative("Lion", "lr", o.lr);
    checkBetas("Lion", o.betas);
    checkNonNegative("Lion", "weightDecay", o.weightDecay);
    checkBoolean("Lion", "maximize", o.maximize);
  }

  protected initState(param: Tensor): LionState {
    return { expAvg: bufferLike(param.data as FloatArray) };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: LionState, group: ParamGroup<LionOptions>): void {
    lionKernel(param.data as FloatArray, g, s.expAvg, group.lr, group.betas[0], group.betas[1], group.weightDecay, group.maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: LionState, group: ParamGroup<LionOptions>): void {
    const [b1, b2] = group.betas;
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      { tx: scaleByLion({ b1, b2 }), state: { count: 0, mu: [s.expAvg] } },
      group.weightDecay !== 0 ? { tx: addDecayedWeights(group.weightDecay) } : null,
      { tx: scaleByLearningRate(group.lr) },
    ]);
  }
}
