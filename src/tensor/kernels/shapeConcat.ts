import { type TypedArray } from "../dtype.js";

/** Below this many elements a plain loop beats creating a subarray view for `set`. */
const SET_THRESHOLD = 256;

/**
 * Joins blocks along one axis: the output is `outer` repetitions of each
 * part's block of `lengths[i] * inner` contiguous elements, in part order.
 * Values convert to dst's element type (int32 parts into a float result).
 */
export function concatData(parts: readonly TypedArray[], lengths: readonly number[], outer: number, inner: number, dst: TypedArray): void {
  let o = 0;
  for (let b = 0; b < outer; b++) {
    for (let p = 0; p < parts.length; p++) {
      const src = parts[p]!;
      const block = lengths[p]! * inner;
      const start = b * block;
      if (block >= SET_THRESHOLD) {
        dst.set(src.subarray(start, start + block), o);
        o += block;
      } else {
        for (let k = 0; k < block; k++) dst[o++] = src[start + k]!;
      }
    }
  }
}
