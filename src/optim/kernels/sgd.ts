import type { FloatArray } from "../types.js";

/**
 * One fused pass of torch.optim.SGD over a parameter: `d = ±g + wd·p`;
 * with momentum `buf ← d` on the first step (`first`), else
 * `buf ← μ·buf + (1−τ)·d`, and `d ← buf` (Nesterov: `d + μ·buf`);
 * `p ← p − lr·d`. Equals chain(scale(−1)?, addWeightDecay, scaleByMomentum,
 * scaleByLearningRate). `buf` is null without momentum.
 */
export function sgdKernel(
  p: FloatArray,
  g: FloatArray,
  buf: FloatArray | null,
  first: boolean,
  lr: number,
  momentum: number,
  dampening: number,
  weightDecay: number,
  nesterov: boolean,
  maximize: boolean,
): void {
  const n = p.length;
  const sign = maximize ? -1 : 1;
  if (buf === null) {
    if (weightDecay === 0 && !maximize) {
      for (let i = 0; i < n; i++) p[i] -= lr * g[i];
    } else {
      for (let i = 0; i < n; i++) p[i] -= lr * (sign * g[i] + weightDecay * p[i]);
    }
    return;
  }
  const keep = 1 - dampening;
  const mu = first ? 0 : momentum;
  const k = first ? 1 : keep;
  const look = nesterov ? momentum : 0;
  if (!nesterov) {
    for (let i = 0; i < n; i++) {
      const pi = p[i];
      const d = sign * g[i] + weightDecay * pi;
      const b = mu * buf[i] + k * d;
      buf[i] = b;
      p[i] = pi - lr * b;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const pi = p[i];
    const d = sign * g[i] + weightDecay * pi;
    const b = mu * buf[i] + k * d;
    buf[i] = b;
    p[i] = pi - lr * (d + look * b);
  }
}
