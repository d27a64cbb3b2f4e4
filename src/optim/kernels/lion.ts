import type { FloatArray } from "../types.js";

/**
 * One fused pass of Lion over a parameter: `d = ±g`,
 * `p ← p(1 − lr·wd) − lr·sign(b1·m + (1−b1)·d)`, `m ← b2·m + (1−b2)·d`.
 * Equals chain(scale(−1)?, scaleByLion, addDecayedWeights, scaleByLearningRate).
 */
export function lionKernel(p: FloatArray, g: FloatArray, m: FloatArray, lr: number, b1: number, b2: number, weightDecay: number, maximize: boolean): void {
  const n = p.length;
  const sign = maximize ? -1 : 1;
  const shrink = 1 - lr * weightDecay;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < n; i++) {
    const d = sign * g[i];
    const mi = m[i];
    p[i] = p[i] * shrink - lr * Math.sign(b1 * mi + c1 * d);
    m[i] = b2 * mi + c2 * d;
  }
}
