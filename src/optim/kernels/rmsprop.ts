import type { FloatArray } from "../types.js";

/**
 * One fused pass of torch.optim.RMSprop: `g ← ±g + wd·p`,
 * `v ← αv + (1−α)g²`, centered `ḡ ← αḡ + (1−α)g` and `a = √(v − ḡ²) + eps`,
 * else `a = √v + eps`; with momentum `buf ← μ·buf + g/a`, `p ← p − lr·buf`,
 * else `p ← p − lr·g/a`. `gradAvg` / `buf` are null when not used.
 */
export function rmspropKernel(
  p: FloatArray,
  g: FloatArray,
  squareAvg: FloatArray,
  gradAvg: FloatArray | null,
  buf: FloatArray | null,
  lr: number,
  alpha: number,
  eps: number,
  momentum: number,
  weightDecay: number,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < p.length; i++) {
    const p0 = p[i];
    const gi = sign * g[i] + weightDecay * p0;
    const vi = alpha * squareAvg[i] + (1 - alpha) * gi * gi;
    squareAvg[i] = vi;
    let s = vi;
    if (gradAvg !== null) {
      const mean = alpha * gradAvg[i] + (1 - alpha) * gi;
      gradAvg[i] = mean;
      s = vi - mean * mean;
    }
    const scaled = gi / (Math.sqrt(s) + eps);
    if (buf !== null) {
      const b = momentum * buf[i] + scaled;
      buf[i] = b;
      p[i] = p0 - lr * b;
    } else {
      p[i] = p0 - lr * scaled;
    }
  }
}
