import { trustRatio } from "../transforms/scaleByTrustRatio.js";
import type { FloatArray } from "../types.js";

/**
 * One fused update of LARS over a parameter (one layer). The first pass
 * sums ‖p‖² and ‖d‖² for `d = ±g + wd·p`; then
 * `λ = c·‖p‖/(‖d‖ + eps)` (1 when either norm is 0, or when `adapt` is
 * off), and the second pass applies `s = lr·λ·d`, `buf ← μ·buf + s`,
 * `p ← p − buf` (Nesterov: `p ← p − (s + μ·buf)`); without a buffer
 * (momentum 0) `p ← p − s`. Equals chain(scale(−1)?, addDecayedWeights,
 * scaleByTrustRatio, scaleByLearningRate(lr, no flip), trace, scale(−1)).
 */
export function larsKernel(
  p: FloatArray,
  g: FloatArray,
  buf: FloatArray | null,
  lr: number,
  momentum: number,
  weightDecay: number,
  trustCoefficient: number,
  eps: number,
  adapt: boolean,
  nesterov: boolean,
  maximize: boolean,
): void {
  const n = p.length;
  const sign = maximize ? -1 : 1;
  let scale = lr;
  if (adapt) {
    let pp = 0;
    let dd = 0;
    for (let i = 0; i < n; i++) {
      const p0 = p[i];
      const d = sign * g[i] + weightDecay * p0;
      pp += p0 * p0;
      dd += d * d;
    }
    scale = lr * trustRatio(Math.sqrt(pp), Math.sqrt(dd), trustCoefficient, eps);
  }
  if (buf === null) {
    for (let i = 0; i < n; i++) {
      const p0 = p[i];
      p[i] = p0 - scale * (sign * g[i] + weightDecay * p0);
    }
    return;
  }
  const look = nesterov ? momentum : 0;
  for (let i = 0; i < n; i++) {
    const p0 = p[i];
    const s = scale * (sign * g[i] + weightDecay * p0);
    const b = momentum * buf[i] + s;
    buf[i] = b;
    p[i] = p0 - (nesterov ? s + look * b : b);
  }
}
