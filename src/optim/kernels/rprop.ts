import type { FloatArray } from "../types.js";

/**
 * One fused pass of torch.optim.Rprop: `g ← ±g`; by the sign of `g·prev`,
 * `s ← s·η+` (positive) or `s ← s·η−` and `g ← 0` (negative);
 * `s ← clamp(s, min, max)`, `p ← p − sign(g)·s`, `prev ← g`.
 */
export function rpropKernel(
  p: FloatArray,
  g: FloatArray,
  prev: FloatArray,
  stepSize: FloatArray,
  etaMinus: number,
  etaPlus: number,
  minStep: number,
  maxStep: number,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < p.length; i++) {
    let gi = sign * g[i];
    const trend = gi * prev[i];
    let s = stepSize[i];
    if (trend > 0) s *= etaPlus;
    else if (trend < 0) {
      s *= etaMinus;
      gi = 0;
    }
    s = Math.min(Math.max(s, minStep), maxStep);
    stepSize[i] = s;
    prev[i] = gi;
    if (gi > 0) p[i] -= s;
    else if (gi < 0) p[i] += s;
  }
}
