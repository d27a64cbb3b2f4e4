import type { FloatArray } from "../types.js";

/**
 * One fused pass of torch.optim.Adadelta: `g ← ±g + wd·p`,
 * `e ← ρe + (1−ρ)g²`, `d = √(δ + eps)/√(e + eps)·g`, `δ ← ρδ + (1−ρ)d²`,
 * `p ← p − lr·d`.
 */
export function adadeltaKernel(
  p: FloatArray,
  g: FloatArray,
  squareAvg: FloatArray,
  accDelta: FloatArray,
  lr: number,
  rho: number,
  eps: number,
  weightDecay: number,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < p.length; i++) {
    const p0 = p[i];
    const gi = sign * g[i] + weightDecay * p0;
    const ei = rho * squareAvg[i] + (1 - rho) * gi * gi;
    squareAvg[i] = ei;
    const d = (Math.sqrt(accDelta[i] + eps) / Math.sqrt(ei + eps)) * gi;
    accDelta[i] = rho * accDelta[i] + (1 - rho) * d * d;
    p[i] = p0 - lr * d;
  }
}
