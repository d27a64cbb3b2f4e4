import type { FloatArray } from "../types.js";

/**
 * One fused pass of AdaBelief over a parameter, given `invBc1 = 1/(1−b1^t)`
 * and `invBc2 = 1/(1−b2^t)`: `d = ±g`, `p ← p(1 − lr·wd)` (decoupled decay),
 * `m ← b1·m + (1−b1)d`, `s ← b2·s + (1−b2)(d − m)² + eps`,
 * `p ← p − lr·m·invBc1 / (√(s·invBc2) + eps)`. Equals
 * chain(scale(−1)?, scaleByBelief({ eps, epsRoot: eps }), addDecayedWeights, scaleByLearningRate).
 */
export function adabeliefKernel(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  s: FloatArray,
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
    const d = sign * g[i];
    const mi = b1 * m[i] + c1 * d;
    const e = d - mi;
    const si = b2 * s[i] + c2 * e * e + eps;
    m[i] = mi;
    s[i] = si;
    const p0 = p[i];
    p[i] = p0 - lr * ((mi * invBc1) / (Math.sqrt(si * invBc2) + eps) + weightDecay * p0);
  }
}
