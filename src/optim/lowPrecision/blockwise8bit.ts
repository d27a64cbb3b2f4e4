// Block-wise 8-bit quantisation with a dynamic map (Dettmers et al. 2022,
// "8-bit Optimizers via Block-wise Quantization"; bitsandbytes'
// create_dynamic_map and quantize_blockwise): each block of values is
// divided by its absolute maximum and every value replaced by the index of
// the nearest of 256 code values, dense near zero and sparse near ±1.
import type { FloatArray } from "../types.js";

/** Values per block, each with its own absmax (the size bitsandbytes' 8-bit optimizers use). */
export const BLOCK_SIZE = 2048;

/**
 * The 256 code values of the dynamic (tree) data type, sorted, as
 * bitsandbytes' `create_dynamic_map(signed, max_exponent_bits = 7)`: for
 * e = 0..6 the midpoints of 2^e (signed; 2^{e+1} unsigned) equal steps of
 * [0.1, 1], scaled by 10^{e−6} (mirrored for signed), plus 0 and 1. So the
 * relative precision is about the same from 1e-6 to 1: what the moments of
 * Adam need. Signed maps reach 1 but not −1 (−0.99297 is the lowest).
 */
export function dynamicMap(signed: boolean): Float32Array {
  const data: number[] = [];
  for (let e = 0; e < 7; e++) {
    const items = signed ? 2 ** e + 1 : 2 ** (e + 1) + 1;
    const scale = 10 ** (e - 6);
    for (let j = 0; j + 1 < items; j++) {
      // Midpoints of linspace(0.1, 1, items), in float32 like the reference map.
      const lo = Math.fround(0.1 + (0.9 * j) / (items - 1));
      const hi = Math.fround(0.1 + (0.9 * (j + 1)) / (items - 1));
      const mean = Math.fround((lo + hi) / 2);
      data.push(Math.fround(scale * mean));
      if (signed) data.push(Math.fround(-scale * mean));
    }
  }
  data.push(0, 1);
  return Float32Array.from(data.sort((a, b) => a - b));
}

/**
 * A code map with what nearest-value search needs: the midpoints between
 * neighbouring values (padded with +Infinity to 256), and for each bucket
 * of float32 bit patterns (sign, exponent and 6 mantissa bits: 32768
 * buckets, about as narrow as the map's gaps) the number of midpoints below
 * the bucket, minus one.
 */
export type CodeMap = { readonly values: Float32Array; readonly thresholds: Float64Array; readonly buckets: Uint8Array };

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Bits of a float32 dropped from a bucket key (the key keeps sign, exponent and 6 mantissa bits). */
const KEY_SHIFT = 17;

/** Builds the search tables of a sorted 256-entry map. */
export function codeMap(values: Float32Array): CodeMap {
  const thresholds = new Float64Array(256).fill(Infinity);
  for (let i = 0; i + 1 < values.length; i++) thresholds[i] = (values[i] + values[i + 1]) / 2;
  const buckets = new Uint8Array(1 << (32 - KEY_SHIFT));
  for (let key = 0; key < buckets.length; key++) {
    // The lowest value in the bucket: its smallest magnitude if positive, its largest if negative.
    u32[0] = key & (1 << (31 - KEY_SHIFT)) ? (key << KEY_SHIFT) | ((1 << KEY_SHIFT) - 1) : key << KEY_SHIFT;
    const low = Number.isNaN(f32[0]) ? Infinity : f32[0];
    let lo = 0;
    let hi = 255;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (thresholds[mid] < low) lo = mid + 1;
      else hi = mid;
    }
    buckets[key] = Math.max(0, lo - 1);
  }
  return { values, thresholds, buckets };
}

/** The signed dynamic map (Adam's first moment) and the unsigned one (the second moment, ≥ 0). */
export const SIGNED_MAP: CodeMap = codeMap(dynamicMap(true));
export const UNSIGNED_MAP: CodeMap = codeMap(dynamicMap(false));

/**
 * The index of the code value nearest to `x` (ties to the lower one); x is
 * already divided by the absmax. The number of midpoints below x is that
 * index: the bucket of x's float32 bits gives it to within the midpoints
 * inside the bucket (at most two), starting one early in case rounding x to
 * float32 crossed a midpoint, and a scan of a few steps finishes.
 * A branchy binary search over 255 midpoints costs several times more.
 */
export function nearestCode(map: CodeMap, x: number): number {
  f32[0] = x;
  const t = map.thresholds;
  let c = map.buckets[u32[0] >>> KEY_SHIFT];
  while (t[c] < x) c++;
  return c;
}

/**
 * Quantises `src[lo..hi)` as one block into `codes[lo..hi)` and returns
 * its absmax (0 for an all-zero block, whose codes then mean 0).
 */
export function quantizeBlock(map: CodeMap, src: ArrayLike<number>, lo: number, hi: number, codes: Uint8Array, offset = 0): number {
  let absmax = 0;
  for (let i = lo; i < hi; i++) absmax = Math.max(absmax, Math.abs(src[i - offset]));
  // Stored as float32 (as bitsandbytes): quantise against the value kept.
  absmax = Math.fround(absmax);
  const inv = absmax === 0 ? 0 : 1 / absmax;
  for (let i = lo; i < hi; i++) codes[i] = nearestCode(map, src[i - offset] * inv);
  return absmax;
}

/** Quantises all of `src` block by block into `codes` (one byte per value) and `absmax` (one per block). */
export function quantizeBlockwise(map: CodeMap, src: ArrayLike<number>, codes: Uint8Array, absmax: Float32Array, blockSize = BLOCK_SIZE): void {
  const blocks = Math.ceil(src.length / blockSize);
  if (codes.length < src.length || absmax.length < blocks) {
    throw new RangeError(`quantizeBlockwise: ${src.length} values need ${src.length} codes and ${blocks} absmax entries, got ${codes.length} and ${absmax.length}`);
  }
  for (let b = 0; b < blocks; b++) {
    const lo = b * blockSize;
    absmax[b] = quantizeBlock(map, src, lo, Math.min(lo + blockSize, src.length), codes);
  }
}

/** The values `map[codes[i]]·absmax[block of i]` for i < out.length. */
export function dequantizeBlockwise(map: CodeMap, codes: Uint8Array, absmax: Float32Array, out: FloatArray, blockSize = BLOCK_SIZE): void {
  const v = map.values;
  for (let i = 0; i < out.length; i++) out[i] = v[codes[i]] * absmax[Math.floor(i / blockSize)];
}
