import { factoredRmsStep, type FactoredDims } from "../transforms/scaleByFactoredRms.js";
import { rms } from "../transforms/scaleByParamBlockRms.js";
import type { FloatArray } from "../types.js";

let scratch = new Float64Array(0);

/**
 * One torch.optim.Adafactor step on a parameter (t = step after
 * incrementing): `ρ = min(lr, 1/√t)`, `α = max(ε₂, RMS(θ))·ρ` (θ before
 * decay), `θ ← θ(1 − lr·wd)`, second-moment update with weight `t^τ`,
 * `U = ±G/√max(V̂, ε₁²)`, `θ ← θ − α·U/max(1, RMS(U)/d)`. Equals the chain
 * of the adafactor alias (with scale(-1) first when maximizing).
 */
export function adafactorKernel(
  p: FloatArray,
  g: FloatArray,
  dims: FactoredDims,
  rowVar: FloatArray,
  colVar: FloatArray,
  variance: FloatArray,
  step: number,
  lr: number,
  beta2Decay: number,
  eps1: number,
  eps2: number,
  d: number,
  weightDecay: number,
  maximize: boolean,
): void {
  const n = p.length;
  if (n === 0) return;
  const alpha = Math.max(eps2, rms(p)) * Math.min(lr, 1 / Math.sqrt(step));
  if (weightDecay !== 0) {
    const shrink = 1 - lr * weightDecay;
    for (let i = 0; i < n; i++) p[i] *= shrink;
  }
  if (scratch.length < n) scratch = new Float64Array(n);
  const u = scratch.subarray(0, n);
  if (maximize) for (let i = 0; i < n; i++) u[i] = -g[i];
  else u.set(g);
  factoredRmsStep(u, u, dims, rowVar, colVar, variance, step ** beta2Decay, eps1);
  const scale = alpha / Math.max(1, rms(u) / d);
  for (let i = 0; i < n; i++) p[i] -= scale * u[i];
}
