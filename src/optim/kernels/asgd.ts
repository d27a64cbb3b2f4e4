import type { FloatArray } from "../types.js";

/**
 * One fused pass of torch.optim.ASGD with the previous step's `eta` and
 * `mu`: `g ← ±g + wd·p`, `p ← p(1 − λη) − η·g`, then `ax ← p` if `mu = 1`
 * else `ax ← ax + mu(p − ax)` (with p as stored, i.e. rounded to its dtype).
 */
export function asgdKernel(
  p: FloatArray,
  g: FloatArray,
  ax: FloatArray,
  eta: number,
  mu: number,
  lambd: number,
  weightDecay: number,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  const shrink = 1 - lambd * eta;
  for (let i = 0; i < p.length; i++) {
    const p0 = p[i];
    const gi = sign * g[i] + weightDecay * p0;
    p[i] = p0 * shrink - eta * gi;
    const q = p[i];
    ax[i] = mu === 1 ? q : ax[i] + mu * (q - ax[i]);
  }
}
