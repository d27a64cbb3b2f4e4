import type { FloatArray } from "../types.js";

/**
 * One fused pass of ADOPT (official implementation) over a parameter.
 * `first` (step 0): `g ← ±g + wd·p` (coupled decay) and `v ← g²` only.
 * Later steps: `p ← p(1 − lr·wd)` when decoupled (else `g ← ±g + wd·p`),
 * `n = clip(g/max(√v, eps), ±bound)`, `m ← m + (1−β₁)(n − m)`, `p ← p − lr·m`,
 * `v ← β₂v + (1−β₂)g²`. Equals the chain built by ADOPT's reference path.
 */
export function adoptKernel(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  first: boolean,
  bound: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  weightDecay: number,
  decouple: boolean,
  maximize: boolean,
): void {
  const n = p.length;
  const sign = maximize ? -1 : 1;
  const coupled = decouple ? 0 : weightDecay;
  if (first) {
    for (let i = 0; i < n; i++) {
      const gi = sign * g[i] + coupled * p[i];
      v[i] = gi * gi;
    }
    return;
  }
  const shrink = decouple ? 1 - lr * weightDecay : 1;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < n; i++) {
    const p0 = p[i];
    const gi = sign * g[i] + coupled * p0;
    const ni = Math.min(bound, Math.max(-bound, gi / Math.max(Math.sqrt(v[i]), eps)));
    const mi = m[i] + c1 * (ni - m[i]);
    m[i] = mi;
    v[i] = b2 * v[i] + c2 * gi * gi;
    p[i] = p0 * shrink - lr * mi;
  }
}
