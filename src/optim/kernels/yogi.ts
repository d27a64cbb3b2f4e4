import type { FloatArray } from "../types.js";

/**
 * One fused pass of Yogi over a parameter, given `invBc1 = 1/(1−b1^t)` and
 * `invBc2 = 1/(1−b2^t)`: `d = ±g + wd·p` (coupled L2),
 * `m ← b1·m + (1−b1)d`, `v ← v − (1−b2)·sign(v − d²)·d²`,
 * `p ← p − lr·m·invBc1 / (√(v·invBc2) + eps)`. Equals
 * chain(scale(−1)?, addWeightDecay, scaleByYogi, scaleByLearningRate).
 */
export function yogiKernel(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  invBc1: number,
  invBc2: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  weightDecay: number,
  maximize: boolean,
): void {
  const n = p.length;
  const sign = maximize ? -1 : 1;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < n; i++) {
    const p0 = p[i];
    const d = sign * g[i] + weightDecay * p0;
    const d2 = d * d;
    const mi = b1 * m[i] + c1 * d;
    const v0 = v[i];
    const vi = v0 - c2 * Math.sign(v0 - d2) * d2;
    m[i] = mi;
    v[i] = vi;
    p[i] = p0 - lr * ((mi * invBc1) / (Math.sqrt(vi * invBc2) + eps));
  }
}
