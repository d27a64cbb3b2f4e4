// What Adam and AdamW share: the options, the state, the kernel and the chain;
// they differ only in where weight decay goes.
import type { Tensor } from "../../tensor/tensor.js";
import { wasmEnabled } from "../../tensor/kernels/wasm/active.js";
import { colocate } from "../../tensor/kernels/wasm/runtime.js";
import { adamKernel } from "../kernels/adam.js";
import { wasmAdamKernel } from "../kernels/wasmAdam.js";
import {
  freshMoments,
  lowPrecisionAdamStep,
  momentLayoutFor,
  momentLayoutOf,
  withDecodedMoments,
  type LowPrecisionAdamState,
  type MomentLayout,
} from "../lowPrecision/moments.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scale } from "../transforms/scale.js";
import { scaleByAdam, type ScaleByAdamState } from "../transforms/scaleByAdam.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import type { FloatArray } from "../types.js";
import { checkBoolean, checkInteger } from "../validate.js";
import { bufferLike, validateAdamFamily } from "./common.js";

/** How Adam/AdamW store their moments: like the parameter (torch's), bfloat16, or block-wise 8-bit (see LowPrecisionAdam). */
export type AdamStateDtype = "float32" | "bf16" | "8bit";

/** The default of `min8bitSize` (bitsandbytes' min_8bit_size). */
const DEFAULT_MIN_8BIT_SIZE = 4096;

/**
 * torch.optim.Adam / AdamW's options, camelCased, plus how the moments are
 * stored. `stateDtype` and `min8bitSize` are only in a group (and so in its
 * state dict) when given, so that a float32 optimizer's state dict is
 * torch's; absent, they read as "float32" and 4096.
 */
export type AdamOptions = {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  /**
   * Storage of both moments: "float32" (default; like the parameter, float64
   * for float64 parameters), "bf16" (bfloat16, 4 bytes of state per element)
   * or "8bit" (block-wise quantised, Dettmers et al. 2022, ≈ 2 bytes per
   * element). The low-precision layouts step exactly as LowPrecisionAdam
   * (Adam8bit, AdamW8bit, AdamWBf16) and cannot be combined with amsgrad.
   * Fixed once a parameter has state.
   */
  stateDtype?: AdamStateDtype;
  /**
   * With stateDtype "8bit", parameters with fewer elements keep float
   * moments (bitsandbytes' min_8bit_size; default 4096, 0 quantises all).
   * Ignored otherwise; fixed once a parameter has state.
   */
  min8bitSize?: number;
};

/** Adam's float per-parameter state (torch's names): step count, moments, and the amsgrad maximum (null without amsgrad). */
export type AdamFloatState = { step: number; expAvg: FloatArray; expAvgSq: FloatArray; maxExpAvgSq: FloatArray | null };

/** Adam's per-parameter state: torch's with stateDtype "float32", LowPrecisionAdam's otherwise. */
export type AdamState = AdamFloatState | LowPrecisionAdamState;

/** Where a parameter's moments live: torch's float state, or one of LowPrecisionAdam's layouts. */
type Layout = "float32" | MomentLayout;

function isFloatState(s: AdamState): s is AdamFloatState {
  return "maxExpAvgSq" in s;
}

function layoutOf(s: AdamState): Layout {
  return isFloatState(s) ? "float32" : momentLayoutOf(s);
}

function layoutFor(n: number, group: AdamOptions): Layout {
  const dtype = group.stateDtype ?? "float32";
  return dtype === "float32" ? "float32" : momentLayoutFor(n, dtype, group.min8bitSize ?? DEFAULT_MIN_8BIT_SIZE);
}

/** The defaults of an Adam-family constructor with `min8bitSize` filled in when a low-precision stateDtype asks for it. */
export function adamDefaults(defaults: AdamOptions): AdamOptions {
  const lowPrecision = defaults.stateDtype !== undefined && defaults.stateDtype !== "float32";
  return lowPrecision && defaults.min8bitSize === undefined ? { ...defaults, min8bitSize: DEFAULT_MIN_8BIT_SIZE } : defaults;
}

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

  /** Set once any low-precision state was made (stepped or loaded): until then float32 groups skip the layout check. */
  private madeLowPrecisionState = false;

  protected validateOptions(o: AdamOptions): void {
    const n = this.name;
    validateAdamFamily(n, o);
    checkBoolean(n, "amsgrad", o.amsgrad);
    const dtype = o.stateDtype;
    if (dtype !== undefined && dtype !== "float32" && dtype !== "bf16" && dtype !== "8bit") {
      throw new RangeError(`${n}: stateDtype must be "float32", "bf16" or "8bit", got ${JSON.stringify(dtype)}`);
    }
    if (o.min8bitSize !== undefined) checkInteger(n, "min8bitSize", o.min8bitSize, 0);
    if (o.amsgrad && dtype !== undefined && dtype !== "float32") {
      throw new RangeError(`${n}: amsgrad needs stateDtype "float32" (the low-precision moments keep no maximum), got stateDtype ${JSON.stringify(dtype)}`);
    }
  }

  protected initState(param: Tensor, group: ParamGroup<AdamOptions>): AdamState {
    const p = param.data as FloatArray;
    const layout = layoutFor(p.length, group);
    if (layout !== "float32") {
      this.madeLowPrecisionState = true;
      return freshMoments(p, layout);
    }
    return { step: 0, expAvg: bufferLike(p), expAvgSq: bufferLike(p), maxExpAvgSq: group.amsgrad ? bufferLike(p) : null };
  }

  /**
   * Throws before any parameter moves when a group's storage options no
   * longer match its parameters' state (the moments would be misread), or
   * amsgrad was switched on for low-precision moments.
   */
  protected override checkGradients(): void {
    super.checkGradients();
    for (const group of this.paramGroups) {
      const dtype = group.stateDtype ?? "float32";
      if (dtype === "float32" && !this.madeLowPrecisionState) continue;
      if (group.amsgrad && dtype !== "float32") {
        throw new RangeError(`${this.name}.step: amsgrad needs stateDtype "float32", got stateDtype ${JSON.stringify(dtype)}`);
      }
      for (const p of group.params) {
        const s = this.state.get(p);
        if (s === undefined || p.grad === null) continue;
        const want = layoutFor(p.data.length, group);
        const have = layoutOf(s);
        if (want !== have) {
          throw new Error(`${this.name}.step: a parameter's moments are stored as ${have} but its group now asks for ${want}; stateDtype and min8bitSize cannot change after the first step`);
        }
      }
    }
  }


  /** The amsgrad buffer, created if amsgrad was switched on after the first step. */
  private maxBuffer(param: Tensor, s: AdamFloatState, group: ParamGroup<AdamOptions>): FloatArray | null {
    if (!group.amsgrad) return null;
    if (s.maxExpAvgSq === null) s.maxExpAvgSq = bufferLike(param.data as FloatArray);
    return s.maxExpAvgSq;
  }

  /** Bias corrections of the last (step, betas) seen: every parameter of a group usually shares them. */
  private readonly corrections = { step: -1, b1: NaN, b2: NaN, invBc1: 1, invSqrtBc2: 1 };

  protected fusedUpdate(param: Tensor, g: FloatArray, s: AdamState, group: ParamGroup<AdamOptions>): void {
    if (!isFloatState(s)) {
      lowPrecisionAdamStep(param.data as FloatArray, g, s, group, this.decoupled);
      return;
    }
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
    if (!isFloatState(s)) {
      // The same chain on the decoded moments (amsgrad is never on here).
      withDecodedMoments(s, param.data.length, (m, v) => {
        s.step = this.referenceChain(param, g, s.step, m, v, null, group);
      });
      return;
    }
    const vMax = this.maxBuffer(param, s, group);
    s.step = this.referenceChain(param, g, s.step, s.expAvg, s.expAvgSq, vMax, group);
  }

  /** Adam's chain of transformations over moments `m`, `v` (and the amsgrad maximum), from step `count`; returns the new count. */
  private referenceChain(param: Tensor, g: FloatArray, count: number, m: FloatArray, v: FloatArray, vMax: FloatArray | null, group: ParamGroup<AdamOptions>): number {
    const [b1, b2] = group.betas;
    const adamState: ScaleByAdamState = { count, mu: [m], nu: [v], nuMax: vMax === null ? null : [vMax] };
    const wd = group.weightDecay;
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      !this.decoupled && wd !== 0 ? { tx: addWeightDecay(wd) } : null,
      { tx: scaleByAdam({ b1, b2, eps: group.eps, amsgrad: group.amsgrad }), state: adamState },
      this.decoupled && wd !== 0 ? { tx: addDecayedWeights(wd) } : null,
      { tx: scaleByLearningRate(group.lr) },
    ]);
    return adamState.count;
  }
}
