// Adam's two moments in a memory-light layout, shared by LowPrecisionAdam
// and by Adam/AdamW's `stateDtype` option: which layout a parameter gets,
// its fresh state, the fused step over it, and decoding/encoding the
// moments around the reference chain.
import { adamKernel } from "../kernels/adam.js";
import type { FloatArray } from "../types.js";
import { adam8bitKernel, adamBf16Kernel, type AdamScalars } from "./adamKernels.js";
import { decodeBf16, encodeBf16 } from "./bf16.js";
import { BLOCK_SIZE, dequantizeBlockwise, quantizeBlockwise, SIGNED_MAP, UNSIGNED_MAP } from "./blockwise8bit.js";
import { bf16View, byteView, packedWords } from "./packed.js";

/** How the moments are stored: bfloat16 (2 bytes each) or block-wise 8-bit codes (1 byte plus an absmax per 2048). */
export type StateDtype = "bf16" | "8bit";

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

/** Where a parameter's moments live: bfloat16 words, 8-bit words, or plain floats (small parameters under "8bit"). */
export type MomentLayout = "bf16" | "8bit" | "float";

/** The layout a parameter of `n` elements gets: with "8bit", those under `min8bitSize` keep float moments (bitsandbytes' min_8bit_size). */
export function momentLayoutFor(n: number, stateDtype: StateDtype, min8bitSize: number): MomentLayout {
  if (stateDtype === "bf16") return "bf16";
  return n >= min8bitSize ? "8bit" : "float";
}

/** The layout an existing state is in. */
export function momentLayoutOf(s: LowPrecisionAdamState): MomentLayout {
  if (!(s.expAvg instanceof Int32Array)) return "float";
  return s.expAvgAbsmax === null ? "bf16" : "8bit";
}

/** Zero moments for parameter data `p` in `layout` (zero codes decode to 0 in both maps). */
export function freshMoments(p: FloatArray, layout: MomentLayout): LowPrecisionAdamState {
  const n = p.length;
  if (layout === "float") {
    const like = () => (p instanceof Float64Array ? new Float64Array(n) : new Float32Array(n));
    return { step: 0, expAvg: like(), expAvgSq: like(), expAvgAbsmax: null, expAvgSqAbsmax: null };
  }
  if (layout === "bf16") return { step: 0, expAvg: packedWords(n, 2), expAvgSq: packedWords(n, 2), expAvgAbsmax: null, expAvgSqAbsmax: null };
  const blocks = Math.ceil(n / BLOCK_SIZE);
  return { step: 0, expAvg: packedWords(n, 1), expAvgSq: packedWords(n, 1), expAvgAbsmax: new Float32Array(blocks), expAvgSqAbsmax: new Float32Array(blocks) };
}

/** The options an Adam step over low-precision moments reads. */
export type LowPrecisionHyper = { lr: number; betas: readonly [number, number]; eps: number; weightDecay: number; maximize: boolean };

/** The scalars of step `step` (already counted): `stepSize = lr/(1−β1^t)`, `invSqrtBc2 = 1/√(1−β2^t)`. */
export function adamScalars(step: number, h: LowPrecisionHyper, decoupled: boolean): AdamScalars {
  const [b1, b2] = h.betas;
  const { lr, eps, weightDecay, maximize } = h;
  return { stepSize: lr / (1 - b1 ** step), invSqrtBc2: 1 / Math.sqrt(1 - b2 ** step), lr, b1, b2, eps, weightDecay, decoupled, maximize };
}

/** One fused Adam/AdamW step of `p` by gradient `g` over moments in any layout (counts the step). */
export function lowPrecisionAdamStep(p: FloatArray, g: FloatArray, s: LowPrecisionAdamState, h: LowPrecisionHyper, decoupled: boolean): void {
  s.step += 1;
  const c = adamScalars(s.step, h, decoupled);
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

/**
 * Runs `update` on the moments of `s` as float arrays: decoded to float64
 * first (float moments are passed as they are), encoded back afterwards.
 * The reference (chain) path of every low-precision Adam goes through here.
 */
export function withDecodedMoments(s: LowPrecisionAdamState, n: number, update: (m: FloatArray, v: FloatArray) => void): void {
  const layout = momentLayoutOf(s);
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
  update(mF, vF);
  if (layout === "bf16") {
    encodeBf16(mF, bf16View(mWords, n));
    encodeBf16(vF, bf16View(vWords, n));
  } else if (layout === "8bit") {
    quantizeBlockwise(SIGNED_MAP, mF, byteView(mWords, n), s.expAvgAbsmax!);
    quantizeBlockwise(UNSIGNED_MAP, vF, byteView(vWords, n), s.expAvgSqAbsmax!);
  }
}
