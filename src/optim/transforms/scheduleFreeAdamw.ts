import { chain } from "../chain.js";
import type { GradientTransformation } from "../types.js";
import { checkInRange, checkInteger, checkNonNegative } from "../validate.js";
import { addDecayedWeights } from "./addDecayedWeights.js";
import { scaleByAdam } from "./scaleByAdam.js";
import { scaleByLearningRate } from "./scaleByLearningRate.js";
import { scheduleFree, scheduleFreeWarmup, type ScheduleFreeState } from "./scheduleFree.js";

/** Options of scheduleFreeAdamw (optax's names; `warmupSteps`, `r`, `weightLrPower` as the class). */
export interface ScheduleFreeAdamwOptions {
  /** β1: the interpolation between the average and the Adam iterate, in (0, 1) (default 0.9). */
  b1?: number;
  /** Decay of the second moment (default 0.999). */
  b2?: number;
  /** Added to the bias-corrected root of the second moment (default 1e-8). */
  eps?: number;
  /** Weight decay, taken at y and scaled by the lr (default 0). */
  weightDecay?: number;
  /** Linear warmup of the learning rate over this many steps (default 0). */
  warmupSteps?: number;
  /** Polynomial weighting power of the average (default 0). */
  r?: number;
  /** Averaging weights are lr_max^weightLrPower (default 2). */
  weightLrPower?: number;
}

/**
 * Schedule-free AdamW (Defazio et al. 2024; optax.contrib.schedule_free_adamw,
 * facebookresearch/schedule_free AdamWScheduleFree): Adam without momentum as
 * the base step, `v ← β2·v + (1−β2)g²`, `ĝ = g/(√(v/(1−β2^t)) + eps) + wd·y_t`,
 * `z_{t+1} = z_t − γ_t ĝ`, then the schedule-free average and interpolation
 * with β1. Evaluate at `scheduleFreeEvalParams(state, params)`.
 *
 * `scheduleFree(chain(scaleByAdam({ b1: 0, b2, eps }), addDecayedWeights(wd), scaleByLearningRate(warmup(lr))), warmup(lr), { b1, weightLrPower, r })`
 */
export function scheduleFreeAdamw(learningRate = 0.0025, options: ScheduleFreeAdamwOptions = {}): GradientTransformation<ScheduleFreeState> {
  const lr = checkNonNegative("scheduleFreeAdamw", "learningRate", learningRate);
  const warmupSteps = checkInteger("scheduleFreeAdamw", "warmupSteps", options.warmupSteps ?? 0, 0);
  const b2 = checkInRange("scheduleFreeAdamw", "b2", options.b2 ?? 0.999, 0, 1);
  const sched = scheduleFreeWarmup(lr, warmupSteps);
  // With b1 = 0 scaleByAdam's first moment is the gradient itself: Adam's
  // normalisation without momentum (the average supplies the momentum).
  const base = chain(scaleByAdam({ b1: 0, b2, eps: options.eps ?? 1e-8 }), addDecayedWeights(options.weightDecay ?? 0), scaleByLearningRate(sched));
  return scheduleFree(base, sched, { b1: options.b1 ?? 0.9, weightLrPower: options.weightLrPower, r: options.r });
}
