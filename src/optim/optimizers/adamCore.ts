// What Adam and AdamW share: the options, the state, the kernel and the chain;
// they differ only in where weight decay goes.
import type { Tensor } from "../../tensor/tensor.js";
import { wasmEnabled } from "../../tensor/kernels/wasm/active.js";
import { colocate } from "../../tensor/kernels/wasm/runtime.js";
import { adamKernel } from "../kernels/adam.js";
import { wasmAdamKernel } from "../kernels/wasmAdam.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scale } from "../transforms/scale.js";
import { scaleByAdam, type ScaleByAdamState } from "../transforms/scaleByAdam.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import type { FloatArray } from "../types.js";
import { checkBoolean } from "../validate.js";
import { bufferLike, validateAdamFamily } from "./common.js";

/** torch.optim.Adam / AdamW's options, camelCased. */
export type AdamOptions = {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
};

/** Adam's per-parameter state (torch's names): step count, moments, and the amsgrad maximum (null without amsgrad). */
export type AdamState = { step: number; expAvg: FloatArray; expAvgSq: FloatArray; maxExpAvgSq: FloatArray | null };

/** Adam and AdamW: one implementation, with weight decay coupled (Adam) or decoupled (AdamW). */
export abstract class AdamCore extends ParamwiseOptimizer<AdamOptions, AdamState> {
  protected constructor(
    name: string,
    params: ParamsInput<AdamOptions>,
    defaults: AdamOptions,
    private readonly decoupled: boolean,
  ) {
    super(name, params, defaults);
  }

  protected validateOptions(o: AdamOptions): void {
    validateAdamFamily(this.name, o);
    checkBoolean(this.name, "amsgrad", o.amsgrad);
  }

  protected initState(param: Tensor, group: ParamGroup<AdamOptions>): AdamState {
    const p = param.data as FloatArray;
    return { step: 0, expAvg: bufferLike(p), expAvgSq: bufferLike(p), maxExpAvgSq: group.amsgrad ? bufferLike(p) : null };
  }

  /** The amsgrad buffer, created if amsgrad was switched on after the first step. */
  private maxBuffer(param: Tensor, s: AdamState, group: ParamGroup<AdamOptions>): FloatArray | null {
    if (!group.amsgrad) return null;
    if (s.maxExpAvgSq === null) s.maxExpAvgSq = bufferLike(param.data as FloatArray);
    return s.maxExpAvgSq;
  }

  /** Bias corrections of the last (step, betas) seen: every parameter of a group usually shares them. */
  private readonly corrections = { step: -1, b1: NaN, b2: NaN, invBc1: 1, invSqrtBc2: 1 };

  protected fusedUpdate(param: Tensor, g: FloatArray, s: AdamState, group: ParamGroup<AdamOptions>): void {
    const vMax = this.maxBuffer(param, s, group);
    s.step += 1;
    const b1 = group.betas[0];
    const b2 = group.betas[1];
    const c = this.corrections;
    if (c.step !== s.step || c.b1 !== b1 || c.b2 !== b2) {
      c.step = s.step;
      c.b1 = b1;
      c.b2 = b2;
      c.invBc1 = 1 / (1 - b1 ** s.step);
      c.invSqrtBc2 = 1 / Math.sqrt(1 - b2 ** s.step);
    }
    const p = param.data as FloatArray;
    const lr = group.lr;
    if (wasmEnabled() && p instanceof Float32Array && g instanceof Float32Array && s.expAvg instanceof Float32Array && s.expAvgSq instanceof Float32Array && (vMax === null || vMax instanceof Float32Array)) {
      // State follows its parameter: where p lives in WASM memory the moments move there too, and a step copies nothing.
      s.expAvg = colocate(p, s.expAvg);
      s.expAvgSq = colocate(p, s.expAvgSq);
      const vm = vMax === null ? null : (s.maxExpAvgSq = colocate(p, vMax));
      wasmAdamKernel(p, g, s.expAvg, s.expAvgSq, vm, lr * c.invBc1, c.invSqrtBc2, lr, b1, b2, group.eps, group.weightDecay, this.decoupled, group.maximize);
      return;
    }
    adamKernel(p, g, s.expAvg, s.expAvgSq, vMax, lr * c.invBc1, c.invSqrtBc2, lr, b1, b2, group.eps, group.weightDecay, this.decoupled, group.maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: AdamState, group: ParamGroup<AdamOptions>): void {
    const vMax = this.maxBuffer(param, s, group);
    const [b1, b2] = group.betas;
    const adamState: ScaleByAdamState = { count: s.step, mu: [s.expAvg], nu: [s.expAvgSq], nuMax: vMax === null ? null : [vMax] };
    const wd = group.weightDecay;
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      !this.decoupled && wd !== 0 ? { tx: addWeightDecay(wd) } : null,
      { tx: scaleByAdam({ b1, b2, eps: group.eps, amsgrad: group.amsgrad }), state: adamState },
      this.decoupled && wd !== 0 ? { tx: addDecayedWeights(wd) } : null,
      { tx: scaleByLearningRate(group.lr) },
    ]);
    s.step = adamState.count;
  }
}
