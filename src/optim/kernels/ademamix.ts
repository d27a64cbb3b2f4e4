import type { FloatArray } from "../types.js";

/**
 * One fused pass of AdEMAMix (the reference PyTorch implementation) over a
 * parameter, given the step's `invBc1 = 1/(1−β₁ᵗ)`, `invSqrtBc2 = 1/√(1−β₂ᵗ)`
 * and the (scheduled) β₃ and α: `g ← ±g`, `m₁ ← β₁m₁ + (1−β₁)g`,
 * `m₂ ← β₃m₂ + (1−β₃)g`, `v ← β₂v + (1−β₂)g²`,
 * `p ← p − lr·((m₁·invBc1 + α·m₂)/(√v·invSqrtBc2 + eps) + wd·p)`.
 * Equals the chain built by AdEMAMix's reference path.
 */
export function ademamixKernel(
  p: FloatArray,
  g: FloatArray,
  m1: FloatArray,
  m2: FloatArray,
  v: FloatArray,
  invBc1: number,
  invSqrtBc2: number,
  lr: number,
  b1: number,
  b2: number,
  b3: number,
  alpha: number,
  eps: number,
  weightDecay: number,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  const shrink = 1 - lr * weightDecay;
  for (let i = 0; i < p.length; i++) {
    const gi = sign * g[i];
    const f = b1 * m1[i] + (1 - b1) * gi;
    const s = b3 * m2[i] + (1 - b3) * gi;
    const vi = b2 * v[i] + (1 - b2) * gi * gi;
    m1[i] = f;
    m2[i] = s;
    v[i] = vi;
    p[i] = p[i] * shrink - (lr * (f * invBc1 + alpha * s)) / (Math.sqrt(vi) * invSqrtBc2 + eps);
  }
}
