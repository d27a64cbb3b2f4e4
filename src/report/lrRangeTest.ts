// The learning-rate range test (Smith, "Cyclical Learning Rates for Training
// Neural Networks", 2017; the fastai lr_find): train briefly while the rate
// grows exponentially, and read a good rate off the loss curve.
import { smoothEma } from "./smoothing.js";

/**
 * The rates of the test: `n` steps from `minLr` to `maxLr`, geometrically
 * spaced, `lr_k = minLr * (maxLr / minLr)^(k / (n - 1))`.
 */
export function lrRange(minLr: number, maxLr: number, n: number): number[] {
  if (!(minLr > 0 && maxLr > minLr && Number.isFinite(maxLr))) throw new RangeError(`lrRange: need 0 < minLr < maxLr, got ${minLr} and ${maxLr}`);
  if (!(Number.isInteger(n) && n >= 2)) throw new RangeError(`lrRange: need at least 2 steps, got ${n}`);
  return Array.from({ length: n }, (_, k) => minLr * Math.pow(maxLr / minLr, k / (n - 1)));
}

export interface LrRangeAnalysisOptions {
  /** Smoothing of the loss (EMA with bias correction), default 0.98 as fastai. */
  beta?: number;
  /** The run has diverged once the smoothed loss exceeds this multiple of its minimum (default 4, as fastai). */
  divergeFactor?: number;
  /** Leading points ignored when looking for the steepest descent (default 10% of the points, as the first are noisy). */
  skipStart?: number;
}

export interface LrRangeAnalysis {
  /** Smoothed loss for each recorded step. */
  smoothed: number[];
  /** Index of the first step judged diverged (smoothed loss non-finite or > divergeFactor × minimum), or null. */
  divergedAt: number | null;
  /** Index of the steepest descent of the smoothed loss against log(lr) on the way to its minimum; null if too few points. */
  steepestIndex: number | null;
  /** The suggested rate: lr at the steepest descent. */
  suggestedLr: number | null;
  /** Index of the lowest smoothed loss before divergence. */
  minIndex: number;
  /** lr at the lowest smoothed loss divided by 10 (fastai's other rule of thumb). */
  minLrDiv10: number;
}

/**
 * Reads the range test: smooths the losses, cuts the curve where it
 * diverges, and finds the steepest descent as the most negative slope
 * `d smoothed / d ln(lr)` (central differences, one-sided at the ends)
 * between `skipStart` and the lowest smoothed loss. A rate there still
 * lowers the loss fastest, with room before the rates that blow it up;
 * noise after the minimum (where larger rates already hurt) is not read.
 */
export function analyzeLrRange(lrs: readonly number[], losses: readonly number[], options: LrRangeAnalysisOptions = {}): LrRangeAnalysis {
  if (lrs.length !== losses.length) throw new RangeError(`analyzeLrRange: ${lrs.length} rates but ${losses.length} losses`);
  if (lrs.length === 0) throw new RangeError("analyzeLrRange: no steps recorded");
  const beta = options.beta ?? 0.98;
  const factor = options.divergeFactor ?? 4;
  const smoothed = smoothEma(losses, beta);
  let best = Infinity;
  let minIndex = 0;
  let divergedAt: number | null = null;
  for (let i = 0; i < smoothed.length; i++) {
    const s = smoothed[i]!;
    if (!Number.isFinite(s) || s > factor * best) {
      divergedAt = i;
      break;
    }
    if (s < best) {
      best = s;
      minIndex = i;
    }
  }
  // Look for the descent that leads to the lowest loss: rates past the minimum only make it worse.
  const end = minIndex + 1;
  const skip = Math.min(options.skipStart ?? Math.floor(end / 10), Math.max(0, end - 3));
  let steepestIndex: number | null = null;
  if (end - skip >= 3) {
    let steepest = Infinity;
    for (let i = skip; i < end; i++) {
      const lo = Math.max(skip, i - 1);
      const hi = Math.min(end - 1, i + 1);
      const slope = (smoothed[hi]! - smoothed[lo]!) / (Math.log(lrs[hi]!) - Math.log(lrs[lo]!));
      if (slope < steepest) {
        steepest = slope;
        steepestIndex = i;
      }
    }
  }
  return {
    smoothed,
    divergedAt,
    steepestIndex,
    suggestedLr: steepestIndex === null ? null : lrs[steepestIndex]!,
    minIndex,
    minLrDiv10: lrs[minIndex]! / 10,
  };
}
