import type { FloatArray } from "../types.js";

/**
 * One fused pass of torch.optim.Adam / AdamW over a parameter, given the
 * step's scalars `stepSize = lr/(1−b1^t)` and `invSqrtBc2 = 1/√(1−b2^t)`:
 * `g ← ±g (+ wd·p unless decoupled)`,
 * `p ← p(1 − lr·wd)` when decoupled, `m ← b1·m + (1−b1)g`,
 * `v ← b2·v + (1−b2)g²` (amsgrad: `v̂ ← max(v̂, v)`),
 * `p ← p − lr/(1−b1^t) · m / (√v/√(1−b2^t) + eps)`. Equals the chain built
 * by Adam / AdamW's reference path.
 */
export function adamKernel(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  vMax: FloatArray | null,
  stepSize: number,
  invSqrtBc2: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  weightDecay: number,
  decoupled: boolean,
  maximize: boolean,
): void {
  const n = p.length;
  const sign = maximize ? -1 : 1;
  const coupled = decoupled ? 0 : weightDecay;
  const shrink = decoupled ? 1 - lr * weightDecay : 1;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  if (vMax === null && coupled === 0 && !maximize) {
    // Plain Adam and AdamW, the common cases: the same loops without the unused terms.
    if (shrink === 1) {
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const mi = b1 * m[i] + c1 * gi;
        const vi = b2 * v[i] + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] -= (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const mi = b1 * m[i] + c1 * gi;
        const vi = b2 * v[i] + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i] * shrink - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
      }
    }
    return;
  }
  if (vMax === null) {
    for (let i = 0; i < n; i++) {
      const p0 = p[i];
      const gi = sign * g[i] + coupled * p0;
      const mi = b1 * m[i] + c1 * gi;
      const vi = b2 * v[i] + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = p0 * shrink - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const p0 = p[i];
    const gi = sign * g[i] + coupled * p0;
    const mi = b1 * m[i] + c1 * gi;
    const vi = b2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const vm = Math.max(vMax[i], vi);
    vMax[i] = vm;
    p[i] = p0 * shrink - (stepSize * mi) / (Math.sqrt(vm) * invSqrtBc2 + eps);
  }
}
