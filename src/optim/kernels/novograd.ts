import type { FloatArray } from "../types.js";

/**
 * One fused update of NovoGrad over a parameter (one layer), given its
 * second moment `v` (a number) and whether this is its first step. The
 * first pass sums ‖d‖² for `d = ±g`; then `v ← ‖d‖²` on the first step,
 * else `v ← b2·v + (1−b2)‖d‖²`; the second pass applies
 * `m ← b1·m + d/(√v + eps) + wd·p` (no b1·m on the first step) and
 * `p ← p − lr·m`. Returns the new v. Equals chain(scale(−1)?,
 * scaleByNovograd, scaleByLearningRate).
 */
export function novogradKernel(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: number,
  first: boolean,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  weightDecay: number,
  maximize: boolean,
): number {
  const n = p.length;
  const sign = maximize ? -1 : 1;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += g[i] * g[i];
  const nv = first ? sq : b2 * v + (1 - b2) * sq;
  const inv = 1 / (Math.sqrt(nv) + eps);
  const decay = first ? 0 : b1;
  for (let i = 0; i < n; i++) {
    const p0 = p[i];
    const mi = decay * m[i] + sign * g[i] * inv + weightDecay * p0;
    m[i] = mi;
    p[i] = p0 - lr * mi;
  }
  return nv;
}
