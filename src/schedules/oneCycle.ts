import { piecewiseInterpolate } from "./piecewiseInterpolate.js";
import type { Schedule } from "./schedule.js";
import { checkFinite, checkInRange, checkOneOf, checkOptions, checkPositive } from "./validate.js";

export interface OneCycleOptions {
  /** Length of the whole cycle, > 0; the final value is held after it. */
  transitionSteps: number;
  /** Highest value, reached at pctStart * transitionSteps. */
  peakValue: number;
  /** Fraction of the cycle spent rising, in [0, 1] (default 0.3). */
  pctStart?: number;
  /**
   * Three phases when given: back down to peakValue/divFactor at
   * pctFinal * transitionSteps, then to the final value (optax's linear one-cycle).
   */
  pctFinal?: number;
  /** Start value is peakValue / divFactor (default 25). */
  divFactor?: number;
  /** Final value is start value / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Shape of each phase (default "cos"). */
  annealStrategy?: "cos" | "linear";
}

/**
 * The one-cycle policy (Smith & Topin, "Super-Convergence", 2017) as a pure
 * schedule, matching optax's `cosine_onecycle_schedule` (two phases, the
 * default) and `linear_onecycle_schedule` (with `pctFinal`): a
 * `piecewiseInterpolate` from `peak/divFactor` up to `peak` at
 * `trunc(pctStart*T)`, then down to `peak/(divFactor*finalDivFactor)` at T
 * (three phases: down to `peak/divFactor` at `trunc(pctFinal*T)` first).
 * PyTorch's stateful equivalent is `lrScheduler.OneCycleLR`, whose phases end
 * one step earlier.
 */
export function oneCycle(options: OneCycleOptions): Schedule {
  const fn = "oneCycle";
  checkOptions(fn, options);
  const total = checkPositive(fn, "transitionSteps", options.transitionSteps);
  const peak = checkFinite(fn, "peakValue", options.peakValue);
  const pctStart = checkInRange(fn, "pctStart", options.pctStart ?? 0.3, 0, 1);
  const div = checkPositive(fn, "divFactor", options.divFactor ?? 25);
  const finalDiv = checkPositive(fn, "finalDivFactor", options.finalDivFactor ?? 1e4);
  const strategy = checkOneOf(fn, "annealStrategy", options.annealStrategy ?? "cos", ["cos", "linear"] as const);
  const interpolateType = strategy === "cos" ? "cosine" : "linear";
  let pairs: [number, number][];
  if (options.pctFinal === undefined) {
    pairs = [
      [Math.trunc(pctStart * total), div],
      [total, 1 / (div * finalDiv)],
    ];
  } else {
    const pctFinal = checkInRange(fn, "pctFinal", options.pctFinal, pctStart, 1);
    pairs = [
      [Math.trunc(pctStart * total), div],
      [Math.trunc(pctFinal * total), 1 / div],
      [total, 1 / finalDiv],
    ];
  }
  return piecewiseInterpolate({ interpolateType, initValue: peak / div, boundariesAndScales: pairs });
}

/** optax's `cosine_onecycle_schedule`: `oneCycle` with two cosine phases. */
export function cosineOnecycle(options: Omit<OneCycleOptions, "pctFinal" | "annealStrategy">): Schedule {
  checkOptions("cosineOnecycle", options);
  return oneCycle({ ...options, pctFinal: undefined, annealStrategy: "cos" });
}

/** optax's `linear_onecycle_schedule`: `oneCycle` with three linear phases (pctFinal defaults to 0.85). */
export function linearOnecycle(options: Omit<OneCycleOptions, "annealStrategy">): Schedule {
  checkOptions("linearOnecycle", options);
  return oneCycle({ ...options, pctFinal: options.pctFinal ?? 0.85, annealStrategy: "linear" });
}
