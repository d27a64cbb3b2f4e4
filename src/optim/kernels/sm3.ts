import type { FloatArray } from "../types.js";

let scratch = new Float64Array(0);
let index = new Int32Array(0);

/**
 * SM3's covers for a parameter of `shape` (Anil et al. 2019, as optax):
 * one accumulator per index of every axis for 2 or more dimensions (rows
 * and columns of a matrix), the full per-element accumulator otherwise.
 */
export function sm3CoverSizes(shape: readonly number[]): number[] {
  if (shape.length >= 2) return [...shape];
  return [shape.length === 0 ? 1 : shape[0]];
}

/**
 * One SM3 step on a parameter (optax.scale_by_sm3): each element's
 * accumulator is the tightest of its covers,
 * `a = c·g² + β₂·min_r μ_r[i_r]` (c = 1 − β₂, or 1 when β₂ = 1: plain sums),
 * then `μ_r[k] ← max{a : i_r = k}`, `ν ← β₁ν + (1−β₁)·g/√(a + eps)` (0 where
 * a = 0), and `out ← ν` (`out` may be `g`). Vectors and scalars keep one
 * accumulator per element (Adagrad).
 */
export function sm3Step(
  g: ArrayLike<number>,
  shape: readonly number[],
  mu: readonly FloatArray[],
  nu: FloatArray,
  b1: number,
  b2: number,
  eps: number,
  out: FloatArray,
): void {
  const n = nu.length;
  const c = b2 === 1 ? 1 : 1 - b2;
  if (shape.length < 2) {
    const acc = mu[0];
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const a = c * gi * gi + b2 * acc[i];
      acc[i] = a;
      const up = a > 0 ? gi / Math.sqrt(a + eps) : 0;
      const v = b1 * nu[i] + (1 - b1) * up;
      nu[i] = v;
      out[i] = v;
    }
    return;
  }
  const nd = shape.length;
  let total = 0;
  for (const s of shape) total += s;
  if (scratch.length < total) scratch = new Float64Array(total);
  if (index.length < 2 * nd) index = new Int32Array(2 * nd);
  scratch.fill(0, 0, total);
  // index[r]: position along axis r; index[nd + r]: offset of axis r's accumulators in scratch.
  let off = 0;
  for (let r = 0; r < nd; r++) {
    index[r] = 0;
    index[nd + r] = off;
    off += shape[r];
  }
  for (let i = 0; i < n; i++) {
    let least = Infinity;
    for (let r = 0; r < nd; r++) least = Math.min(least, mu[r][index[r]]);
    const gi = g[i];
    const a = c * gi * gi + b2 * least;
    for (let r = 0; r < nd; r++) {
      const k = index[nd + r] + index[r];
      if (a > scratch[k]) scratch[k] = a;
    }
    const up = a > 0 ? gi / Math.sqrt(a + eps) : 0;
    const v = b1 * nu[i] + (1 - b1) * up;
    nu[i] = v;
    out[i] = v;
    for (let r = nd - 1; r >= 0; r--) {
      if (++index[r] < shape[r]) break;
      index[r] = 0;
    }
  }
  if (n === 0) return;
  for (let r = 0; r < nd; r++) mu[r].set(scratch.subarray(index[nd + r], index[nd + r] + shape[r]));
}
