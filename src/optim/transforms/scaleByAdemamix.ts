import { elementwise, hyperAt, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation, Hyper, Schedule } from "../types.js";
import { checkHyper, checkInRange, checkInteger, checkNonNegative } from "../validate.js";

/** AdEMAMix's state: steps taken, the fast and slow EMAs of the gradient, and the second moment. */
export type ScaleByAdemamixState = { count: number; m1: FloatArray[]; m2: FloatArray[]; nu: FloatArray[] };

/** Options of scaleByAdemamix (optax's names). */
export interface ScaleByAdemamixOptions {
  /** Decay of the fast EMA (default 0.9). */
  b1?: number;
  /** Decay of the second moment (default 0.999). */
  b2?: number;
  /** Decay of the slow EMA, or a schedule of the step count (default 0.9999; see ademamixBeta3Scheduler). */
  b3?: Hyper;
  /** Weight of the slow EMA, or a schedule (default 5, optax's; see ademamixAlphaScheduler). */
  alpha?: Hyper;
  /** Added to the bias-corrected root of the second moment (default 1e-8). */
  eps?: number;
}

/**
 * AdEMAMix's linear warmup of α (Pagliardini et al. 2024, Algorithm 1),
 * as a schedule of the step count: with t = count + 1,
 * `α(t) = (t/T)·α` for t < T, α afterwards.
 */
export function ademamixAlphaScheduler(alpha: number, warmup: number): Schedule {
  checkInteger("ademamixAlphaScheduler", "warmup", warmup, 1);
  return (count) => ademamixAlphaAt(alpha, warmup, count);
}

/** ademamixAlphaScheduler's value at `count` (no closure: for per-step use). */
export function ademamixAlphaAt(alpha: number, warmup: number, count: number): number {
  const t = count + 1;
  return t < warmup ? (t / warmup) * alpha : alpha;
}

/**
 * Half-life (in steps) of an EMA with decay β, minus one: `ln ½ / ln β − 1`
 * (the paper's f; −1 at β = 0, where the reference PyTorch code adds 1e-8
 * inside the log to avoid ln 0, which JavaScript handles).
 */
function halfLife(beta: number): number {
  return Math.log(0.5) / Math.log(beta) - 1;
}

/**
 * AdEMAMix's warmup of β₃ from β₁ (Pagliardini et al. 2024, Algorithm 1):
 * the half-life grows linearly, `β₃(t) = f⁻¹((1 − t/T)·f(β_start) + (t/T)·f(β₃))`
 * for t < T, with `f(β) = ln ½/ln β − 1`, `f⁻¹(x) = ½^{1/(x+1)}`, and
 * t = count + 1; β₃ afterwards.
 */
export function ademamixBeta3Scheduler(b3: number, bStart: number, warmup: number): Schedule {
  checkInteger("ademamixBeta3Scheduler", "warmup", warmup, 1);
  return (count) => ademamixBeta3At(b3, bStart, warmup, count);
}

/** ademamixBeta3Scheduler's value at `count` (no closure: for per-step use). */
export function ademamixBeta3At(b3: number, bStart: number, warmup: number, count: number): number {
  const t = count + 1;
  if (t >= warmup) return b3;
  const a = t / warmup;
  return 0.5 ** (1 / ((1 - a) * halfLife(bStart) + a * halfLife(b3) + 1));
}

/**
 * AdEMAMix (Pagliardini, Ablin & Grangier 2024, "Better, faster, older"):
 * Adam's numerator gains a slow EMA. With t the step after incrementing:
 * `m₁ ← β₁m₁ + (1−β₁)g`, `m₂ ← β₃m₂ + (1−β₃)g`, `v ← β₂v + (1−β₂)g²`,
 * `u ← (m₁/(1−β₁ᵗ) + α·m₂) / (√v/√(1−β₂ᵗ) + eps)`. The slow EMA is not
 * bias-corrected. β₃ and α may be schedules of the step count (the paper's
 * warmups: ademamixBeta3Scheduler, ademamixAlphaScheduler).
 */
export function scaleByAdemamix(options: ScaleByAdemamixOptions = {}): GradientTransformation<ScaleByAdemamixState> {
  const owner = "scaleByAdemamix";
  const b1 = checkInRange(owner, "b1", options.b1 ?? 0.9, 0, 1);
  const b2 = checkInRange(owner, "b2", options.b2 ?? 0.999, 0, 1);
  const b3 = options.b3 ?? 0.9999;
  const alpha = options.alpha ?? 5;
  checkHyper(owner, "b3", b3);
  checkHyper(owner, "alpha", alpha);
  if (typeof b3 === "number") checkInRange(owner, "b3", b3, 0, 1);
  if (typeof alpha === "number") checkNonNegative(owner, "alpha", alpha);
  const eps = checkNonNegative(owner, "eps", options.eps ?? 1e-8);
  let beta3 = 0;
  let a = 0;
  let invBc1 = 1;
  let invSqrtBc2 = 1;
  return elementwise(
    owner,
    (params) => ({ count: 0, m1: zerosForEach(owner, params), m2: zerosForEach(owner, params), nu: zerosForEach(owner, params) }),
    {
      leafCount: (s) => s.m1.length,
      begin(state) {
        beta3 = checkInRange(owner, "b3(count)", hyperAt(b3, state.count), 0, 1);
        a = checkNonNegative(owner, "alpha(count)", hyperAt(alpha, state.count));
        state.count += 1;
        invBc1 = 1 / (1 - b1 ** state.count);
        invSqrtBc2 = 1 / Math.sqrt(1 - b2 ** state.count);
      },
      apply(state, leaf, u, _p, lo, hi) {
        const m1 = state.m1[leaf];
        const m2 = state.m2[leaf];
        const v = state.nu[leaf];
        for (let i = lo; i < hi; i++) {
          const g = u[i];
          const f = b1 * m1[i] + (1 - b1) * g;
          const s = beta3 * m2[i] + (1 - beta3) * g;
          const vi = b2 * v[i] + (1 - b2) * g * g;
          m1[i] = f;
          m2[i] = s;
          v[i] = vi;
          u[i] = (f * invBc1 + a * s) / (Math.sqrt(vi) * invSqrtBc2 + eps);
        }
      },
    },
  );
}
