import { elementwise, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { checkInRange, checkNonNegative, checkNumber } from "../validate.js";

/** ADOPT's state: steps taken, the momentum of normalised gradients, and the second moment. */
export type ScaleByAdoptState = { count: number; mu: FloatArray[]; nu: FloatArray[] };

/** The clipping bound of ADOPT's normalised gradient at a step (counted from 0), or null for no clipping. */
export type AdoptClip = ((step: number) => number) | null;

/** ADOPT's default clipping bound `step^¼` (Taniguchi et al. 2024, the official implementation's clip_lambda). */
export const adoptDefaultClip = (step: number): number => step ** 0.25;

/** Options of scaleByAdopt. */
export interface ScaleByAdoptOptions {
  /** Momentum decay β₁ (default 0.9). */
  b1?: number;
  /** Second-moment decay β₂ (default 0.9999). */
  b2?: number;
  /** Floor of √v in the normalisation (default 1e-6). */
  eps?: number;
  /** Clipping bound of the normalised gradient as a function of the step (default `step^¼`; null: none). */
  clipLambda?: AdoptClip;
}

/** Reads and checks ADOPT's options for `owner`. */
export function adoptHyper(owner: string, o: ScaleByAdoptOptions): { b1: number; b2: number; eps: number; clip: AdoptClip } {
  const clip = o.clipLambda === undefined ? adoptDefaultClip : o.clipLambda;
  if (clip !== null && typeof clip !== "function") throw new TypeError(`${owner}: clipLambda must be a function of the step or null, got ${String(clip)}`);
  return {
    b1: checkInRange(owner, "b1", o.b1 ?? 0.9, 0, 1),
    b2: checkInRange(owner, "b2", o.b2 ?? 0.9999, 0, 1),
    eps: checkNonNegative(owner, "eps", o.eps ?? 1e-6),
    clip,
  };
}

/** The clipping bound at `step`, checked (a bad clipLambda fails before any state changes). */
export function adoptClipAt(owner: string, clip: AdoptClip, step: number): number {
  if (clip === null) return Infinity;
  const c = checkNumber(owner, "clipLambda(step)", clip(step));
  if (!(c >= 0)) throw new RangeError(`${owner}: clipLambda(${step}) must be >= 0, got ${c}`);
  return c;
}

/**
 * ADOPT (Taniguchi et al. 2024, "Modified Adam can converge with any β₂"):
 * the gradient is normalised by the second moment of the *previous* steps,
 * then averaged. Step 0 only sets `v ← g²` (the update is 0); at step k ≥ 1,
 * `n ← clip(g/max(√v, eps), ±clipLambda(k))`, `m ← m + (1−β₁)(n − m)`,
 * `u ← m`, then `v ← β₂v + (1−β₂)g²`. Matches the official implementation
 * (clipped version, clip `k^¼`) and optax.contrib.scale_by_adopt.
 */
export function scaleByAdopt(options: ScaleByAdoptOptions = {}): GradientTransformation<ScaleByAdoptState> {
  const { b1, b2, eps, clip } = adoptHyper("scaleByAdopt", options);
  let first = true;
  let bound = Infinity;
  return elementwise(
    "scaleByAdopt",
    (params) => ({ count: 0, mu: zerosForEach("scaleByAdopt", params), nu: zerosForEach("scaleByAdopt", params) }),
    {
      leafCount: (s) => s.mu.length,
      begin(state) {
        first = state.count === 0;
        bound = first ? Infinity : adoptClipAt("scaleByAdopt", clip, state.count);
        state.count += 1;
      },
      apply(state, leaf, u, _p, lo, hi) {
        const m = state.mu[leaf];
        const v = state.nu[leaf];
        if (first) {
          for (let i = lo; i < hi; i++) {
            v[i] = u[i] * u[i];
            u[i] = 0;
          }
          return;
        }
        for (let i = lo; i < hi; i++) {
          const g = u[i];
          const n = Math.min(bound, Math.max(-bound, g / Math.max(Math.sqrt(v[i]), eps)));
          const mi = m[i] + (1 - b1) * (n - m[i]);
          m[i] = mi;
          v[i] = b2 * v[i] + (1 - b2) * g * g;
          u[i] = mi;
        }
      },
    },
  );
}
