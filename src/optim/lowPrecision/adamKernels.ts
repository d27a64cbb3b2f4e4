// Fused Adam/AdamW steps whose moments are stored in bfloat16 or in
// block-wise 8-bit form: decode, update in double, step the parameter with
// the full-precision new moments, encode.
import type { FloatArray } from "../types.js";
import { fromBf16, toBf16 } from "./bf16.js";
import { BLOCK_SIZE, quantizeBlock, SIGNED_MAP, UNSIGNED_MAP } from "./blockwise8bit.js";

/** The per-step scalars of an Adam update (as torch computes them). */
export type AdamScalars = {
  /** lr/(1−β1^t). */
  stepSize: number;
  /** 1/√(1−β2^t). */
  invSqrtBc2: number;
  lr: number;
  b1: number;
  b2: number;
  eps: number;
  weightDecay: number;
  /** AdamW's decay p ← p(1 − lr·wd) instead of g ← g + wd·p. */
  decoupled: boolean;
  maximize: boolean;
};

/**
 * One Adam/AdamW step with both moments in bfloat16 (`m`, `v` hold the
 * bits): `m ← β1·m + (1−β1)g`, `v ← β2·v + (1−β2)g²` in double from the
 * stored values, `p ← p·shrink − stepSize·m/(√v·invSqrtBc2 + eps)` with the
 * unrounded new moments, then both rounded to nearest-even bfloat16.
 */
export function adamBf16Kernel(p: FloatArray, g: FloatArray, m: Uint16Array, v: Uint16Array, s: AdamScalars): void {
  const sign = s.maximize ? -1 : 1;
  const coupled = s.decoupled ? 0 : s.weightDecay;
  const shrink = s.decoupled ? 1 - s.lr * s.weightDecay : 1;
  const { b1, b2, eps, stepSize, invSqrtBc2 } = s;
  for (let i = 0; i < p.length; i++) {
    const p0 = p[i];
    const gi = sign * g[i] + coupled * p0;
    const mi = b1 * fromBf16(m[i]) + (1 - b1) * gi;
    const vi = b2 * fromBf16(v[i]) + (1 - b2) * gi * gi;
    p[i] = p0 * shrink - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    m[i] = toBf16(mi);
    v[i] = toBf16(vi);
  }
}

/** Scratch for one block of new moments, reused from call to call. */
const newM = new Float64Array(BLOCK_SIZE);
const newV = new Float64Array(BLOCK_SIZE);

/**
 * One Adam/AdamW step with both moments in block-wise 8-bit form (Dettmers
 * et al. 2022): per block of 2048, the moments are dequantised
 * (`code value · absmax`, signed map for m, unsigned for v), updated in
 * double, the parameter stepped with the unquantised new moments, and the
 * block re-quantised against its new absmax (written to mAbsmax/vAbsmax).
 */
export function adam8bitKernel(
  p: FloatArray,
  g: FloatArray,
  mCodes: Uint8Array,
  vCodes: Uint8Array,
  mAbsmax: Float32Array,
  vAbsmax: Float32Array,
  s: AdamScalars,
): void {
  const sign = s.maximize ? -1 : 1;
  const coupled = s.decoupled ? 0 : s.weightDecay;
  const shrink = s.decoupled ? 1 - s.lr * s.weightDecay : 1;
  const { b1, b2, eps, stepSize, invSqrtBc2 } = s;
  const mMap = SIGNED_MAP.values;
  const vMap = UNSIGNED_MAP.values;
  for (let b = 0, lo = 0; lo < p.length; b++, lo += BLOCK_SIZE) {
    const hi = Math.min(lo + BLOCK_SIZE, p.length);
    const am = mAbsmax[b];
    const av = vAbsmax[b];
    for (let i = lo; i < hi; i++) {
      const p0 = p[i];
      const gi = sign * g[i] + coupled * p0;
      const mi = b1 * (mMap[mCodes[i]] * am) + (1 - b1) * gi;
      const vi = b2 * (vMap[vCodes[i]] * av) + (1 - b2) * gi * gi;
      newM[i - lo] = mi;
      newV[i - lo] = vi;
      p[i] = p0 * shrink - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
    mAbsmax[b] = quantizeBlock(SIGNED_MAP, newM, lo, hi, mCodes, lo);
    vAbsmax[b] = quantizeBlock(UNSIGNED_MAP, newV, lo, hi, vCodes, lo);
  }
}
