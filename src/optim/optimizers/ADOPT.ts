import type { Tensor } from "../../tensor/tensor.js";
import { adoptKernel } from "../kernels/adopt.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scale } from "../transforms/scale.js";
import { adoptClipAt, adoptHyper, scaleByAdopt, type AdoptClip, type ScaleByAdoptState } from "../transforms/scaleByAdopt.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import type { FloatArray } from "../types.js";
import { checkBoolean } from "../validate.js";
import { bufferLike, validateAdamFamily, withDefaults } from "./common.js";

/** The official ADOPT implementation's options, camelCased (clipLambda is a constructor option, not a group option). */
export type ADOPTOptions = {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  /** Decoupled (AdamW-style) weight decay instead of adding wd·p to the gradient (default false). */
  decouple: boolean;
  maximize: boolean;
};

/** ADOPT's per-parameter state (torch-style names). */
export type ADOPTState = { step: number; expAvg: FloatArray; expAvgSq: FloatArray };

/**
 * ADOPT (Taniguchi et al. 2024), matching the official PyTorch
 * implementation (clipped version): `g ← ±g (+ wd·p unless decoupled)`; at
 * the first step only `v ← g²`; afterwards, at step k (from 0),
 * `p ← p(1 − lr·wd)` when decoupled, `n = clip(g/max(√v, eps), ±clipLambda(k))`,
 * `m ← β₁m + (1−β₁)n`, `p ← p − lr·m`, `v ← β₂v + (1−β₂)g²`. Normalising by the
 * previous v (independent of g) is what makes it converge for any β₂.
 * Defaults: lr 1e-3, betas [0.9, 0.9999], eps 1e-6, weightDecay 0,
 * decouple false, maximize false; `clipLambda` (constructor only, default
 * `k => k^0.25`, null for none) is kept on the optimizer, not in the state dict.
 * Chain: `scale(-1)?, addWeightDecay(wd)?, scaleByAdopt(...), addDecayedWeights(wd)? (after step 0), scaleByLearningRate(lr)`.
 */
export class ADOPT extends ParamwiseOptimizer<ADOPTOptions, ADOPTState> {
  /** The clipping bound of the normalised gradient as a function of the step (null: no clipping). */
  readonly clipLambda: AdoptClip;

  constructor(params: ParamsInput<ADOPTOptions>, options: Partial<ADOPTOptions> & { clipLambda?: AdoptClip } = {}) {
    const { clipLambda, ...groupOptions } = options;
    const defaults: ADOPTOptions = { lr: 1e-3, betas: [0.9, 0.9999], eps: 1e-6, weightDecay: 0, decouple: false, maximize: false };
    super("ADOPT", params, withDefaults(defaults, groupOptions));
    this.clipLambda = adoptHyper(this.name, { clipLambda }).clip;
  }

  protected validateOptions(o: ADOPTOptions): void {
    validateAdamFamily(this.name, o);
    checkBoolean(this.name, "decouple", o.decouple);
  }

  protected initState(param: Tensor): ADOPTState {
    const p = param.data as FloatArray;
    return { step: 0, expAvg: bufferLike(p), expAvgSq: bufferLike(p) };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: ADOPTState, group: ParamGroup<ADOPTOptions>): void {
    const first = s.step === 0;
    const bound = first ? Infinity : adoptClipAt(this.name, this.clipLambda, s.step);
    const [b1, b2] = group.betas;
    const { lr, eps, weightDecay, decouple, maximize } = group;
    adoptKernel(param.data as FloatArray, g, s.expAvg, s.expAvgSq, first, bound, lr, b1, b2, eps, weightDecay, decouple, maximize);
    s.step += 1;
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: ADOPTState, group: ParamGroup<ADOPTOptions>): void {
    const [b1, b2] = group.betas;
    const { weightDecay: wd, decouple } = group;
    const adoptState: ScaleByAdoptState = { count: s.step, mu: [s.expAvg], nu: [s.expAvgSq] };
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      !decouple && wd !== 0 ? { tx: addWeightDecay(wd) } : null,
      { tx: scaleByAdopt({ b1, b2, eps: group.eps, clipLambda: this.clipLambda }), state: adoptState },
      decouple && wd !== 0 && s.step > 0 ? { tx: addDecayedWeights(wd) } : null,
      { tx: scaleByLearningRate(group.lr) },
    ]);
    s.step = adoptState.count;
  }
}
