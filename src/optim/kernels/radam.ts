import type { FloatArray } from "../types.js";

/**
 * One fused pass of torch.optim.RAdam at step t: `g ← ±g + wd·p`, m and v as
 * in Adam, then `p ← p − lr·m/(1−b1^t) · r√(1−b2^t)/(√v + eps)` when rectified
 * (`adaptive = r√(1−b2^t)`), else `p ← p − lr·m/(1−b1^t)` (`adaptive` null).
 */
export function radamKernel(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  step: number,
  adaptive: number | null,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  weightDecay: number,
  maximize: boolean,
): void {
  const stepSize = lr / (1 - b1 ** step);
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < p.length; i++) {
    const p0 = p[i];
    const gi = sign * g[i] + weightDecay * p0;
    const mi = b1 * m[i] + (1 - b1) * gi;
    const vi = b2 * v[i] + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = adaptive === null ? p0 - stepSize * mi : p0 - (stepSize * mi * adaptive) / (Math.sqrt(vi) + eps);
  }
}
