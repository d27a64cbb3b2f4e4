import type { FloatArray } from "../types.js";

/**
 * One fused pass of torch.optim.Adamax at step t: `g ← ±g + wd·p`,
 * `m ← b1·m + (1−b1)g`, `n ← max(b2·n, |g| + eps)`,
 * `p ← p − lr/(1−b1^t) · m/n`.
 */
export function adamaxKernel(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  u: FloatArray,
  step: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  weightDecay: number,
  maximize: boolean,
): void {
  const clr = lr / (1 - b1 ** step);
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < p.length; i++) {
    const p0 = p[i];
    const gi = sign * g[i] + weightDecay * p0;
    const mi = b1 * m[i] + (1 - b1) * gi;
    const ni = Math.max(b2 * u[i], Math.abs(gi) + eps);
    m[i] = mi;
    u[i] = ni;
    p[i] = p0 - clr * (mi / ni);
  }
}
