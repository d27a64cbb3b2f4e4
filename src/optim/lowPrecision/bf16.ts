// bfloat16: the top 16 bits of an IEEE float32 (sign, 8 exponent bits, 7
// mantissa bits). Same range as float32 at 2-3 significant digits, half the
// memory: enough for optimizer moments (Kalamkar et al. 2019).
import type { FloatArray } from "../types.js";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The canonical quiet NaN of bfloat16. */
const BF16_NAN = 0x7fc0;

/**
 * The bfloat16 bits nearest to `x`, ties to even (IEEE round-to-nearest-even,
 * as torch's `.to(torch.bfloat16)`). Exact for float64 inputs too: rounding
 * to float32 first can only create a false tie (when x lies within half a
 * float32 ulp of a bfloat16 midpoint), which is resolved by the sign of
 * the float32 rounding error. Overflow gives ±Infinity; NaN gives a quiet NaN.
 */
export function toBf16(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  if (Number.isNaN(x)) return BF16_NAN | ((bits >>> 16) & 0x8000);
  if ((bits & 0xffff) === 0x8000 && f32[0] !== x) {
    // A false tie: x itself is strictly above or below the midpoint.
    const awayFromZero = Math.abs(x) > Math.abs(f32[0]);
    return ((bits >>> 16) + (awayFromZero ? 1 : 0)) & 0xffff;
  }
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

/** The value of bfloat16 bits `h` (exact: every bfloat16 is a float32). */
export function fromBf16(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0];
}

/** Writes `toBf16(src[i])` into `out[i]` for i < src.length (out may be longer: padding is left alone). */
export function encodeBf16(src: ArrayLike<number>, out: Uint16Array): void {
  if (out.length < src.length) throw new RangeError(`encodeBf16: output has ${out.length} elements for ${src.length} values`);
  for (let i = 0; i < src.length; i++) out[i] = toBf16(src[i]);
}

/** Writes the values of the first `out.length` bfloat16s of `src` into `out`. */
export function decodeBf16(src: Uint16Array, out: FloatArray): void {
  if (src.length < out.length) throw new RangeError(`decodeBf16: input has ${src.length} elements for ${out.length} outputs`);
  for (let i = 0; i < out.length; i++) out[i] = fromBf16(src[i]);
}
