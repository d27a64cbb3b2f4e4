import type { Tensor } from "../../tensor/tensor.js";
import { rpropKernel } from "../kernels/rprop.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { scale } from "../transforms/scale.js";
import { scaleByRprop } from "../transforms/scaleByRprop.js";
import type { FloatArray } from "../types.js";
import { checkBoolean, checkNonNegative, checkPair } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";

/** torch.optim.Rprop's options, camelCased. */
export type RpropOptions = {
  lr: number;
  etas: readonly [number, number];
  stepSizes: readonly [number, number];
  maximize: boolean;
};

/** Rprop's per-parameter state (torch's names). */
export type RpropState = { step: number; prev: FloatArray; stepSize: FloatArray };

/**
 * Rprop (Riedmiller & Braun 1993), matching torch.optim.Rprop: every
 * element's step size starts at lr; by the sign of `g·prev` it is
 * multiplied by η+ (positive) or η− (negative, and that g is set to 0), then
 * clamped to stepSizes; `p ← p − sign(g)·s`, `prev ← g`. Defaults: lr 1e-2,
 * etas [0.5, 1.2], stepSizes [1e-6, 50], maximize false.
 * Chain: `scale(-1)?, scaleByRprop(...), scale(-1)`.
 */
export class Rprop extends ParamwiseOptimizer<RpropOptions, RpropState> {
  constructor(params: ParamsInput<RpropOptions>, options: Partial<RpropOptions> = {}) {
    super("Rprop", params, withDefaults({ lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false }, options));
  }

  protected validateOptions(o: RpropOptions): void {
    checkNonNegative("Rprop", "lr", o.lr);
    const [etaMinus, etaPlus] = checkPair("Rprop", "etas", o.etas);
    if (!(0 < etaMinus && etaMinus < 1 && 1 < etaPlus)) {
      throw new RangeError(`Rprop: etas must satisfy 0 < etas[0] < 1 < etas[1], got [${etaMinus}, ${etaPlus}]`);
    }
    checkPair("Rprop", "stepSizes", o.stepSizes);
    checkBoolean("Rprop", "maximize", o.maximize);
  }

  protected initState(param: Tensor, group: ParamGroup<RpropOptions>): RpropState {
    const p = param.data as FloatArray;
    return { step: 0, prev: bufferLike(p), stepSize: bufferLike(p, group.lr) };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: RpropState, group: ParamGroup<RpropOptions>): void {
    s.step += 1;
    const { etas, stepSizes } = group;
    rpropKernel(param.data as FloatArray, g, s.prev, s.stepSize, etas[0], etas[1], stepSizes[0], stepSizes[1], group.maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: RpropState, group: ParamGroup<RpropOptions>): void {
    const [etaMinus, etaPlus] = group.etas;
    const [minStepSize, maxStepSize] = group.stepSizes;
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      { tx: scaleByRprop({ etaMinus, etaPlus, minStepSize, maxStepSize }), state: { prev: [s.prev], stepSize: [s.stepSize] } },
      { tx: scale(-1) },
    ]);
    s.step += 1;
  }
}
