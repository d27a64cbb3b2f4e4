import type { Tensor } from "../../tensor/tensor.js";
import { radamKernel } from "../kernels/radam.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scale } from "../transforms/scale.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByRadam, type ScaleByRadamState } from "../transforms/scaleByRadam.js";
import type { FloatArray } from "../types.js";
import { bufferLike, validateAdamFamily, withDefaults } from "./common.js";

/** torch.optim.RAdam's options, camelCased. */
export type RAdamOptions = { lr: number; betas: readonly [number, number]; eps: number; weightDecay: number; maximize: boolean };

/** RAdam's per-parameter state (torch's names). */
export type RAdamState = { step: number; expAvg: FloatArray; expAvgSq: FloatArray };

/**
 * RAdam (Liu et al. 2020), matching torch.optim.RAdam: `g ← ±g + wd·p`, m and
 * v as in Adam, `ρ∞ = 2/(1−b2) − 1`, `ρ_t = ρ∞ − 2t·b2^t/(1−b2^t)`; if
 * `ρ_t > 5`, `p ← p − lr·m/(1−b1^t) · r·√(1−b2^t)/(√v + eps)` with the
 * rectification r, else `p ← p − lr·m/(1−b1^t)`. Defaults: lr 1e-3, betas
 * [0.9, 0.999], eps 1e-8, weightDecay 0, maximize false.
 * Chain: `scale(-1)?, addWeightDecay(wd), scaleByRadam(...), scaleByLearningRate(lr)`.
 */
export class RAdam extends ParamwiseOptimizer<RAdamOptions, RAdamState> {
  constructor(params: ParamsInput<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super("RAdam", params, withDefaults({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }, options));
  }

  protected validateOptions(o: RAdamOptions): void {
    validateAdamFamily("RAdam", o);
  }

  protected initState(param: Tensor): RAdamState {
    const p = param.data as FloatArray;
    return { step: 0, expAvg: bufferLike(p), expAvgSq: bufferLike(p) };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: RAdamState, group: ParamGroup<RAdamOptions>): void {
    const b1 = group.betas[0];
    const b2 = group.betas[1];
    s.step += 1;
    const t = s.step;
    const bc2 = 1 - b2 ** t;
    const rhoInf = 2 / (1 - b2) - 1;
    const rhoT = rhoInf - (2 * t * b2 ** t) / bc2;
    const adaptive = rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) * Math.sqrt(bc2) : null;
    radamKernel(param.data as FloatArray, g, s.expAvg, s.expAvgSq, t, adaptive, group.lr, b1, b2, group.eps, group.weightDecay, group.maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: RAdamState, group: ParamGroup<RAdamOptions>): void {
    const [b1, b2] = group.betas;
    const st: ScaleByRadamState = { count: s.step, mu: [s.expAvg], nu: [s.expAvgSq] };
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      group.weightDecay !== 0 ? { tx: addWeightDecay(group.weightDecay) } : null,
      { tx: scaleByRadam({ b1, b2, eps: group.eps }), state: st },
      { tx: scaleByLearningRate(group.lr) },
    ]);
    s.step = st.count;
  }
}
