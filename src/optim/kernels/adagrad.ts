import type { FloatArray } from "../types.js";

/**
 * One fused pass of torch.optim.Adagrad with the step's learning rate
 * `clr = lr/(1 + (t−1)·lrDecay)`: `g ← ±g + wd·p`, `s ← s + g²`,
 * `p ← p − clr·g/(√s + eps)`.
 */
export function adagradKernel(p: FloatArray, g: FloatArray, sum: FloatArray, clr: number, eps: number, weightDecay: number, maximize: boolean): void {
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < p.length; i++) {
    const p0 = p[i];
    const gi = sign * g[i] + weightDecay * p0;
    const si = sum[i] + gi * gi;
    sum[i] = si;
    p[i] = p0 - (clr * gi) / (Math.sqrt(si) + eps);
  }
}
