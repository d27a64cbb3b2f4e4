import type { Tensor } from "../../tensor/tensor.js";
import { rmspropKernel } from "../kernels/rmsprop.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scale } from "../transforms/scale.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByMomentum } from "../transforms/scaleByMomentum.js";
import { scaleByRms } from "../transforms/scaleByRms.js";
import type { FloatArray } from "../types.js";
import { checkBoolean, checkNonNegative } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";

/** torch.optim.RMSprop's options, camelCased. */
export type RMSpropOptions = {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
};

/** RMSprop's per-parameter state (torch's names); the buffers are null when momentum / centered are off. */
export type RMSpropState = { step: number; squareAvg: FloatArray; momentumBuffer: FloatArray | null; gradAvg: FloatArray | null };

/**
 * RMSprop (Hinton, Lecture 6e; centered: Graves 2013), matching
 * torch.optim.RMSprop: `g ← ±g + wd·p`, `v ← αv + (1−α)g²`; centered keeps
 * `ḡ ← αḡ + (1−α)g` and uses `a = √(v − ḡ²) + eps`, else `a = √v + eps`;
 * with momentum `buf ← μ·buf + g/a`, `p ← p − lr·buf`, else `p ← p − lr·g/a`.
 * Defaults: lr 1e-2, alpha 0.99, eps 1e-8, weightDecay 0, momentum 0,
 * centered false, maximize false.
 * Chain: `scale(-1)?, addWeightDecay(wd), scaleByRms(...), scaleByMomentum(μ)?, scaleByLearningRate(lr)`.
 */
export class RMSprop extends ParamwiseOptimizer<RMSpropOptions, RMSpropState> {
  constructor(params: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(
      "RMSprop",
      params,
      withDefaults({ lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, options),
    );
  }

  protected validateOptions(o: RMSpropOptions): void {
    checkNonNegative("RMSprop", "lr", o.lr);
    checkNonNegative("RMSprop", "eps", o.eps);
    checkNonNegative("RMSprop", "momentum", o.momentum);
    checkNonNegative("RMSprop", "weightDecay", o.weightDecay);
    checkNonNegative("RMSprop", "alpha", o.alpha);
    checkBoolean("RMSprop", "centered", o.centered);
    checkBoolean("RMSprop", "maximize", o.maximize);
  }

  protected initState(param: Tensor, group: ParamGroup<RMSpropOptions>): RMSpropState {
    const p = param.data as FloatArray;
    return {
      step: 0,
      squareAvg: bufferLike(p),
      momentumBuffer: group.momentum > 0 ? bufferLike(p) : null,
      gradAvg: group.centered ? bufferLike(p) : null,
    };
  }

  /** Creates the buffers an option switched on after the first step needs. */
  private ensureBuffers(param: Tensor, s: RMSpropState, group: ParamGroup<RMSpropOptions>): void {
    const p = param.data as FloatArray;
    if (group.centered && s.gradAvg === null) s.gradAvg = bufferLike(p);
    if (group.momentum > 0 && s.momentumBuffer === null) s.momentumBuffer = bufferLike(p);
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: RMSpropState, group: ParamGroup<RMSpropOptions>): void {
    this.ensureBuffers(param, s, group);
    const avg = group.centered ? s.gradAvg : null;
    const buf = group.momentum > 0 ? s.momentumBuffer : null;
    s.step += 1;
    rmspropKernel(param.data as FloatArray, g, s.squareAvg, avg, buf, group.lr, group.alpha, group.eps, group.momentum, group.weightDecay, group.maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: RMSpropState, group: ParamGroup<RMSpropOptions>): void {
    this.ensureBuffers(param, s, group);
    const avg = group.centered ? s.gradAvg : null;
    const buf = group.momentum > 0 ? s.momentumBuffer : null;
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      group.weightDecay !== 0 ? { tx: addWeightDecay(group.weightDecay) } : null,
      { tx: scaleByRms({ decay: group.alpha, eps: group.eps, centered: group.centered }), state: { nu: [s.squareAvg], mu: avg === null ? null : [avg] } },
      // The buffer starts at zero, so "copy g on the first step" changes nothing: count 1 throughout.
      buf === null ? null : { tx: scaleByMomentum({ momentum: group.momentum }), state: { count: 1, trace: [buf] } },
      { tx: scaleByLearningRate(group.lr) },
    ]);
    s.step += 1;
  }
}
