import { chain } from "../chain.js";
import type { GradientTransformation } from "../types.js";
import { checkInteger, checkNonNegative } from "../validate.js";
import { addWeightDecay } from "./addWeightDecay.js";
import { scaleByLearningRate } from "./scaleByLearningRate.js";
import { scheduleFree, scheduleFreeWarmup, type ScheduleFreeState } from "./scheduleFree.js";

/** Options of scheduleFreeSgd (the SGDScheduleFree class's, camelCased). */
export interface ScheduleFreeSgdOptions {
  /** β, the interpolation between the average and the SGD iterate, in (0, 1) (default 0.9). */
  momentum?: number;
  /** L2 penalty added to the gradient at y (default 0). */
  weightDecay?: number;
  /** Linear warmup of the learning rate over this many steps (default 0). */
  warmupSteps?: number;
  /** Polynomial weighting power of the average (default 0). */
  r?: number;
  /** Averaging weights are lr_max^weightLrPower (default 2). */
  weightLrPower?: number;
}

/**
 * Schedule-free SGD (Defazio et al. 2024; optax.contrib.schedule_free_sgd,
 * facebookresearch/schedule_free SGDScheduleFree): with γ_t the warmed-up lr,
 * `g ← ∇f(y_t) + wd·y_t`, `z_{t+1} = z_t − γ_t g`,
 * `x_{t+1} = (1−c_{t+1})x_t + c_{t+1}z_{t+1}`, `y_{t+1} = βx_{t+1} + (1−β)z_{t+1}`.
 * Evaluate at `scheduleFreeEvalParams(state, params)`.
 *
 * `scheduleFree(chain(addWeightDecay(wd), scaleByLearningRate(warmup(lr))), warmup(lr), { b1: momentum, weightLrPower, r })`
 */
export function scheduleFreeSgd(learningRate = 1, options: ScheduleFreeSgdOptions = {}): GradientTransformation<ScheduleFreeState> {
  const lr = checkNonNegative("scheduleFreeSgd", "learningRate", learningRate);
  const warmupSteps = checkInteger("scheduleFreeSgd", "warmupSteps", options.warmupSteps ?? 0, 0);
  const sched = scheduleFreeWarmup(lr, warmupSteps);
  const base = chain(addWeightDecay(options.weightDecay ?? 0), scaleByLearningRate(sched));
  return scheduleFree(base, sched, { b1: options.momentum ?? 0.9, weightLrPower: options.weightLrPower, r: options.r });
}
