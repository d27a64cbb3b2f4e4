import { trustRatio } from "../transforms/scaleByTrustRatio.js";
import type { FloatArray } from "../types.js";

/**
 * One fused update of LAMB over a parameter (one layer), given
 * `invBc1 = 1/(1−b1^t)` and `invBc2 = 1/(1−b2^t)`. The first pass updates
 * the moments (`d = ±g`, `m ← b1·m + (1−b1)d`, `v ← b2·v + (1−b2)d²`) and
 * sums ‖p‖² and ‖r‖² for `r = m·invBc1/(√v·√invBc2 + eps) + wd·p`; the
 * second recomputes r from the stored moments (no scratch buffer) and
 * applies `p ← p − lr·λ·r` with `λ = ‖p‖/‖r‖` (1 when either is 0, or when
 * `adapt` is off). Equals chain(scale(−1)?, scaleByAdam, addDecayedWeights,
 * scaleByTrustRatio, scaleByLearningRate).
 */
export function lambKernel(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  invBc1: number,
  invSqrtBc2: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  weightDecay: number,
  adapt: boolean,
  maximize: boolean,
): void {
  const n = p.length;
  const sign = maximize ? -1 : 1;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  let pp = 0;
  let rr = 0;
  for (let i = 0; i < n; i++) {
    const d = sign * g[i];
    const mi = b1 * m[i] + c1 * d;
    const vi = b2 * v[i] + c2 * d * d;
    m[i] = mi;
    v[i] = vi;
    const p0 = p[i];
    const r = (mi * invBc1) / (Math.sqrt(vi) * invSqrtBc2 + eps) + weightDecay * p0;
    pp += p0 * p0;
    rr += r * r;
  }
  const step = lr * (adapt ? trustRatio(Math.sqrt(pp), Math.sqrt(rr), 1, 0) : 1);
  for (let i = 0; i < n; i++) {
    const p0 = p[i];
    p[i] = p0 - step * ((m[i] * invBc1) / (Math.sqrt(v[i]) * invSqrtBc2 + eps) + weightDecay * p0);
  }
}
