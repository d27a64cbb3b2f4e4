import type { Tensor } from "../../tensor/tensor.js";
import { adamKernel } from "../kernels/adam.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { withDefaults } from "../optimizers/common.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scale } from "../transforms/scale.js";
import { scaleByAdam, type ScaleByAdamState } from "../transforms/scaleByAdam.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import type { FloatArray } from "../types.js";
import { checkBetas, checkBoolean, checkInteger, checkNonNegative } from "../validate.js";
import { adam8bitKernel, adamBf16Kernel, type AdamScalars } from "./adamKernels.js";
import { decodeBf16, encodeBf16 } from "./bf16.js";
import { BLOCK_SIZE, dequantizeBlockwise, quantizeBlockwise, SIGNED_MAP, UNSIGNED_MAP } from "./blockwise8bit.js";
import { bf16View, byteView, packedWords } from "./packed.js";

/** How the moments are stored: bfloat16 (2 bytes each) or block-wise 8-bit codes (1 byte plus an absmax per 2048). */
export type StateDtype = "bf16" | "8bit";

/** LowPrecisionAdam's options: torch.optim.Adam's (without amsgrad) plus the storage. */
export type LowPrecisionAdamOptions = {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
  /** AdamW's decoupled decay `p ← p(1 − lr·wd)` (true) or Adam's `g ← g + wd·p` (false). */
  decoupled: boolean;
  stateDtype: StateDtype;
  /** With "8bit", parameters with fewer elements keep float moments (bitsandbytes' min_8bit_size); 0 quantises all. */
  min8bitSize: number;
};

/**
 * Per-parameter state. Quantised moments are Int32Array words holding the
 * 8-bit codes (four per word) or bfloat16 bits (two per word), with one
 * float32 absmax per block of 2048 for 8-bit (null for bf16); float moments
 * (small parameters under "8bit") are like the parameter, absmax null.
 */
export type LowPrecisionAdamState = {
  step: number;
  expAvg: Int32Array | FloatArray;
  expAvgSq: Int32Array | FloatArray;
  expAvgAbsmax: Float32Array | null;
  expAvgSqAbsmax: Float32Array | null;
};

type Layout = "bf16" | "8bit" | "float";

function layoutFor(n: number, group: LowPrecisionAdamOptions): Layout {
  if (group.stateDtype === "bf16") return "bf16";
  return n >= group.min8bitSize ? "8bit" : "float";
}

function layoutOf(s: LowPrecisionAdamState): Layout {
  if (!(s.expAvg instanceof Int32Array)) return "float";
  return s.expAvgAbsmax === null ? "bf16" : "8bit";
}

function freshState(p: FloatArray, layout: Layout): LowPrecisionAdamState {
  const n = p.length;
  if (layout === "float") {
    const like = () => (p instanceof Float64Array ? new Float64Array(n) : new Float32Array(n));
    return { step: 0, expAvg: like(), expAvgSq: like(), expAvgAbsmax: null, expAvgSqAbsmax: null };
  }
  if (layout === "bf16") return { step: 0, expAvg: packedWords(n, 2), expAvgSq: packedWords(n, 2), expAvgAbsmax: null, expAvgSqAbsmax: null };
  const blocks = Math.ceil(n / BLOCK_SIZE);
  return { step: 0, expAvg: packedWords(n, 1), expAvgSq: packedWords(n, 1), expAvgAbsmax: new Float32Array(blocks), expAvgSqAbsmax: new Float32Array(blocks) };
}

/**
 * Adam/AdamW with memory-light moments, for small devices: "bf16" keeps
 * both moments as bfloat16 (round-to-nearest-even; 4 bytes of state per
 * parameter instead of 8), "8bit" in block-wise quantised form (Dettmers et
 * al. 2022, "8-bit Optimizers via Block-wise Quantization": blocks of 2048,
 * the dynamic map, signed for m and unsigned for v, one absmax per block;
 * ≈ 2 bytes per parameter). Each step decodes the moments, updates them in
 * double (`m ← β1·m + (1−β1)g`, `v ← β2·v + (1−β2)g²`), steps
 * `p ← p − lr/(1−β1^t) · m/(√v/√(1−β2^t) + eps)` with the unrounded new
 * moments (as bitsandbytes), and encodes them again. Weight decay is
 * Adam's (`g ← g + wd·p`) or, with `decoupled`, AdamW's. Defaults: lr 1e-3,
 * betas [0.9, 0.999], eps 1e-8, weightDecay 0, maximize false, decoupled
 * false, stateDtype "8bit", min8bitSize 4096. With `fused = false` it runs
 * Adam's chain of transformations on the decoded moments instead.
 */
export class LowPrecisionAdam extends ParamwiseOptimizer<LowPrecisionAdamOptions, LowPrecisionAdamState> {
  constructor(params: ParamsInput<LowPrecisionAdamOptions>, options: Partial<LowPrecisionAdamOptions> = {}, name = "LowPrecisionAdam") {
    const defaults: LowPrecisionAdamOptions = {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      maximize: false,
      decoupled: false,
      stateDtype: "8bit",
      min8bitSize: 4096,
    };
    super(name, params, withDefaults(defaults, options));
  }

  protected validateOptions(o: LowPrecisionAdamOptions): void {
    const n = this.name;
    checkNonNegative(n, "lr", o.lr);
    checkBetas(n, o.betas);
    checkNonNegative(n, "eps", o.eps);
    checkNonNegative(n, "weightDecay", o.weightDecay);
    checkBoolean(n, "maximize", o.maximize);
    checkBoolean(n, "decoupled", o.decoupled);
    if (o.stateDtype !== "bf16" && o.stateDtype !== "8bit") {
      throw new RangeError(`${n}: stateDtype must be "bf16" or "8bit", got ${JSON.stringify(o.stateDtype)}`);
    }
    checkInteger(n, "min8bitSize", o.min8bitSize, 0);
  }

  protected initState(param: Tensor, group: ParamGroup<LowPrecisionAdamOptions>): LowPrecisionAdamState {
    const p = param.data as FloatArray;
    return freshState(p, layoutFor(p.length, group));
  }

  /** Throws when the group's storage options changed after the state was made (the moments would be misread). */
  private checkLayout(param: Tensor, s: LowPrecisionAdamState, group: ParamGroup<LowPrecisionAdamOptions>): void {
    const want = layoutFor(param.data.length, group);
    const have = layoutOf(s);
    if (want !== have) {
      throw new Error(`${this.name}.step: a parameter's moments are stored as ${have} but its group now asks for ${want}; stateDtype and min8bitSize cannot change after the first step`);
    }
  }

  private scalars(s: LowPrecisionAdamState, group: ParamGroup<LowPrecisionAdamOptions>): AdamScalars {
    const [b1, b2] = group.betas;
    const { lr, eps, weightDecay, decoupled, maximize } = group;
    return { stepSize: lr / (1 - b1 ** s.step), invSqrtBc2: 1 / Math.sqrt(1 - b2 ** s.step), lr, b1, b2, eps, weightDecay, decoupled, maximize };
  }

  protected override checkGradients(): void {
    super.checkGradients();
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const s = this.state.get(p);
        if (s !== undefined && p.grad !== null) this.checkLayout(p, s, group);
      }
    }
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: LowPrecisionAdamState, group: ParamGroup<LowPrecisionAdamOptions>): void {
    s.step += 1;
    const c = this.scalars(s, group);
    const p = param.data as FloatArray;
    const n = p.length;
    const m = s.expAvg;
    const v = s.expAvgSq;
    if (!(m instanceof Int32Array) || !(v instanceof Int32Array)) {
      adamKernel(p, g, m as FloatArray, v as FloatArray, null, c.stepSize, c.invSqrtBc2, c.lr, c.b1, c.b2, c.eps, c.weightDecay, c.decoupled, c.maximize);
    } else if (s.expAvgAbsmax === null) {
      adamBf16Kernel(p, g, bf16View(m, n), bf16View(v, n), c);
    } else {
      adam8bitKernel(p, g, byteView(m, n), byteView(v, n), s.expAvgAbsmax, s.expAvgSqAbsmax!, c);
    }
  }

  /** Decodes the moments, runs Adam's chain on them (sharing nothing else), and encodes them again. */
  protected referenceUpdate(param: Tensor, g: FloatArray, s: LowPrecisionAdamState, group: ParamGroup<LowPrecisionAdamOptions>): void {
    const n = param.data.length;
    const layout = layoutOf(s);
    const mF = layout === "float" ? (s.expAvg as FloatArray) : new Float64Array(n);
    const vF = layout === "float" ? (s.expAvgSq as FloatArray) : new Float64Array(n);
    const mWords = s.expAvg as Int32Array;
    const vWords = s.expAvgSq as Int32Array;
    if (layout === "bf16") {
      decodeBf16(bf16View(mWords, n), mF);
      decodeBf16(bf16View(vWords, n), vF);
    } else if (layout === "8bit") {
      dequantizeBlockwise(SIGNED_MAP, byteView(mWords, n), s.expAvgAbsmax!, mF);
      dequantizeBlockwise(UNSIGNED_MAP, byteView(vWords, n), s.expAvgSqAbsmax!, vF);
    }
    const [b1, b2] = group.betas;
    const adamState: ScaleByAdamState = { count: s.step, mu: [mF], nu: [vF], nuMax: null };
    const wd = group.weightDecay;
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      !group.decoupled && wd !== 0 ? { tx: addWeightDecay(wd) } : null,
      { tx: scaleByAdam({ b1, b2, eps: group.eps }), state: adamState },
      group.decoupled && wd !== 0 ? { tx: addDecayedWeights(wd) } : null,
      { tx: scaleByLearningRate(group.lr) },
    ]);
    s.step = adamState.count;
    if (layout === "bf16") {
      encodeBf16(mF, bf16View(mWords, n));
      encodeBf16(vF, bf16View(vWords, n));
    } else if (layout === "8bit") {
      quantizeBlockwise(SIGNED_MAP, mF, byteView(mWords, n), s.expAvgAbsmax!);
      quantizeBlockwise(UNSIGNED_MAP, vF, byteView(vWords, n), s.expAvgSqAbsmax!);
    }
  }
}

/** Adam with block-wise 8-bit moments (bitsandbytes' Adam8bit): `new LowPrecisionAdam(params, { stateDtype: "8bit" })`. */
export class Adam8bit extends LowPrecisionAdam {
  constructor(params: ParamsInput<LowPrecisionAdamOptions>, options: Partial<Omit<LowPrecisionAdamOptions, "stateDtype" | "decoupled">> = {}) {
    super(params, { ...options, stateDtype: "8bit", decoupled: false }, "Adam8bit");
  }
}

/** AdamW with block-wise 8-bit moments (bitsandbytes' AdamW8bit); weightDecay defaults to 1e-2 as torch's AdamW. */
export class AdamW8bit extends LowPrecisionAdam {
  constructor(params: ParamsInput<LowPrecisionAdamOptions>, options: Partial<Omit<LowPrecisionAdamOptions, "stateDtype" | "decoupled">> = {}) {
    super(params, { ...options, weightDecay: options.weightDecay ?? 1e-2, stateDtype: "8bit", decoupled: true }, "AdamW8bit");
  }
}

/** AdamW with bfloat16 moments; weightDecay defaults to 1e-2 as torch's AdamW. */
export class AdamWBf16 extends LowPrecisionAdam {
  constructor(params: ParamsInput<LowPrecisionAdamOptions>, options: Partial<Omit<LowPrecisionAdamOptions, "stateDtype" | "decoupled">> = {}) {
    super(params, { ...options, weightDecay: options.weightDecay ?? 1e-2, stateDtype: "bf16", decoupled: true }, "AdamWBf16");
  }
}
