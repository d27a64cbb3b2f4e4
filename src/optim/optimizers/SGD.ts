import type { Tensor } from "../../tensor/tensor.js";
import { wasmEnabled } from "../../tensor/kernels/wasm/active.js";
import { colocate } from "../../tensor/kernels/wasm/runtime.js";
import { sgdKernel } from "../kernels/sgd.js";
import { wasmSgdKernel } from "../kernels/wasmSgd.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scale } from "../transforms/scale.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByMomentum } from "../transforms/scaleByMomentum.js";
import type { FloatArray } from "../types.js";
import { checkBoolean, checkNonNegative, checkNumber } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";

/** torch.optim.SGD's options, camelCased. */
export type SGDOptions = {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
};

/** SGD's per-parameter state: the momentum buffer (null until momentum is used). */
export type SGDState = { momentumBuffer: FloatArray | null };

/**
 * Stochastic gradient descent with momentum, matching torch.optim.SGD:
 * `g ← ±g + wd·p`; with momentum μ, `buf ← g` on the first step, then
 * `buf ← μ·buf + (1−τ)·g`, and `g ← buf` (Nesterov: `g + μ·buf`,
 * Sutskever et al. 2013); `p ← p − lr·g`. Defaults: lr 1e-3, momentum 0,
 * dampening 0, weightDecay 0, nesterov false, maximize false.
 * Chain: `scale(-1)?, addWeightDecay(wd), scaleByMomentum(...), scaleByLearningRate(lr)`.
 */
export class SGD extends ParamwiseOptimizer<SGDOptions, SGDState> {
  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(
      "SGD",
      params,
      withDefaults({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }, options),
    );
  }

  protected validateOptions(o: SGDOptions): void {
    checkNonNegative("SGD", "lr", o.lr);
    checkNonNegative("SGD", "momentum", o.momentum);
    checkNumber("SGD", "dampening", o.dampening);
    checkNonNegative("SGD", "weightDecay", o.weightDecay);
    checkBoolean("SGD", "maximize", o.maximize);
    if (checkBoolean("SGD", "nesterov", o.nesterov) && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError(`SGD: nesterov requires momentum > 0 and dampening = 0, got momentum ${o.momentum}, dampening ${o.dampening}`);
    }
  }

  protected initState(): SGDState {
    return { momentumBuffer: null };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: SGDState, group: ParamGroup<SGDOptions>): void {
    const p = param.data as FloatArray;
    let first = false;
    if (group.momentum !== 0 && s.momentumBuffer === null) {
      s.momentumBuffer = bufferLike(p);
      first = true;
    }
    let buf = group.momentum !== 0 ? s.momentumBuffer : null;
    if (wasmEnabled() && p instanceof Float32Array && g instanceof Float32Array && (buf === null || buf instanceof Float32Array)) {
      // State follows its parameter: where p lives in WASM memory the buffer moves there too, and a step copies nothing.
      if (buf !== null) buf = s.momentumBuffer = colocate(p, buf);
      wasmSgdKernel(p, g, buf, first, group.lr, group.momentum, group.dampening, group.weightDecay, group.nesterov, group.maximize);
      return;
    }
    sgdKernel(p, g, buf, first, group.lr, group.momentum, group.dampening, group.weightDecay, group.nesterov, group.maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: SGDState, group: ParamGroup<SGDOptions>): void {
    const useMomentum = group.momentum !== 0;
    const first = s.momentumBuffer === null;
    if (useMomentum && s.momentumBuffer === null) s.momentumBuffer = bufferLike(param.data as FloatArray);
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      group.weightDecay !== 0 ? { tx: addWeightDecay(group.weightDecay) } : null,
      useMomentum
        ? {
            tx: scaleByMomentum({ momentum: group.momentum, dampening: group.dampening, nesterov: group.nesterov }),
            state: { count: first ? 0 : 1, trace: [s.momentumBuffer!] },
          }
        : null,
      { tx: scaleByLearningRate(group.lr) },
    ]);
  }
}
