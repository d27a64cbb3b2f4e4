import type { FloatArray } from "../types.js";

/**
 * One fused pass of torch.optim.NAdam given the step's scalars
 * (`cg = lr(1−μ_t)/(1−Π)`, `cm = lr·μ_{t+1}/(1−Π·μ_{t+1})`): `g ← ±g + wd·p`,
 * `m ← b1·m + (1−b1)g`, `v ← b2·v + (1−b2)g²`, `d = √v/√(1−b2^t) + eps`,
 * `p ← p − (cg·g + cm·m)/d`.
 */
export function nadamKernel(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  cg: number,
  cm: number,
  invSqrtBc2: number,
  b1: number,
  b2: number,
  eps: number,
  weightDecay: number,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < p.length; i++) {
    const p0 = p[i];
    const gi = sign * g[i] + weightDecay * p0;
    const mi = b1 * m[i] + (1 - b1) * gi;
    const vi = b2 * v[i] + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = p0 - (cg * gi + cm * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
  }
}
