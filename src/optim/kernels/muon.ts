import { newtonSchulz, type NewtonSchulzConfig } from "../transforms/newtonSchulz.js";
import type { FloatArray } from "../types.js";

let scratch = new Float64Array(0);

/**
 * One torch.optim.Muon step on a rows × cols parameter:
 * `B ← B + (1−μ)(g − B)`, `M ← nesterov ? g + μ(B − g) : B`,
 * `p ← p(1 − lr·wd) − lr·ratio·NS(M)` with `ratio` the adjustLrFn factor.
 * Equals the chain scaleByMuon, addDecayedWeights(wd), scaleByLearningRate(lr).
 */
export function muonKernel(
  p: FloatArray,
  g: FloatArray,
  buf: FloatArray,
  rows: number,
  cols: number,
  config: NewtonSchulzConfig,
  lr: number,
  weightDecay: number,
  momentum: number,
  nesterov: boolean,
  ratio: number,
): void {
  const n = p.length;
  if (scratch.length < n) scratch = new Float64Array(n);
  const m = scratch;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const bi = buf[i] + (1 - momentum) * (gi - buf[i]);
    buf[i] = bi;
    m[i] = nesterov ? gi + momentum * (bi - gi) : bi;
  }
  newtonSchulz(m, rows, cols, config, m);
  const shrink = 1 - lr * weightDecay;
  const step = lr * ratio;
  for (let i = 0; i < n; i++) p[i] = p[i] * shrink - step * m[i];
}

/**
 * The AdamW step Muon gives its other parameters (torch.optim.AdamW with
 * learning rate `lr`): `m ← b1·m + (1−b1)g`, `v ← b2·v + (1−b2)g²`,
 * `p ← p(1 − lr·wd) − lr/(1−b1^t) · m/(√v/√(1−b2^t) + eps)`.
 */
export function muonAdamwKernel(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  step: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  weightDecay: number,
): void {
  const stepSize = lr / (1 - b1 ** step);
  const invSqrtBc2 = 1 / Math.sqrt(1 - b2 ** step);
  const shrink = 1 - lr * weightDecay;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + (1 - b1) * gi;
    const vi = b2 * v[i] + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = p[i] * shrink - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
  }
}
