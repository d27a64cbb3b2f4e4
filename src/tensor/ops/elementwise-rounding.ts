import type { Tensor } from "../tensor.js";

/**
 * Scalar kernels of the rounded divisions and remainders, shared by `div`
 * (rounding modes), `floorDivide`, `remainder` and `fmod`. Each is exact for
 * int32 operands (|x / y| < 2^31, so the double quotient never rounds
 * across an integer).
 */

/**
 * x / y rounded toward -inf, consistent with `remainderScalar` (Python's
 * float floor division, as torch's div_floor computes it): the quotient is
 * formed from x - fmod(x, y), which y divides exactly, so 1 // 0.1 is 9
 * where floor(1 / 0.1) would give 10. A zero quotient keeps the sign of
 * x / y; y = 0 gives x / y (inf or NaN).
 */
export function floorDivideScalar(x: number, y: number): number {
  if (y === 0) return x / y;
  const mod = x % y;
  let q = (x - mod) / y;
  if (mod !== 0 && (y < 0) !== (mod < 0)) q -= 1;
  if (q === 0) {
    const r = x / y;
    return r < 0 || Object.is(r, -0) ? -0 : 0;
  }
  const f = Math.floor(q);
  return q - f > 0.5 ? f + 1 : f;
}

/** x - floor(x / y) y, with the sign of the divisor (Python's %). */
export function remainderScalar(x: number, y: number): number {
  let mod = x % y;
  if (mod !== 0 && (y < 0) !== (mod < 0)) mod += y;
  return mod;
}

/** x - trunc(x / y) y, with the sign of the dividend (C's fmod, JavaScript's %). */
export function fmodScalar(x: number, y: number): number {
  return x % y;
}

/** Integer division by zero has no value (torch raises too); checked before any work. */
export function checkIntegerDivisor(x: Tensor, y: Tensor, op: string): void {
  if (x.dtype !== "int32" || y.dtype !== "int32") return;
  if (y.data.includes(0)) throw new RangeError(`${op}: integer division by zero`);
}
