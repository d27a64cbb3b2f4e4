import { checkLeaves, floatData, hyperAt, requireParams } from "../base.js";
import type { FloatArray, GradientTransformation, Hyper, Params, State, Updates } from "../types.js";
import { checkHyper, checkNonNegative, checkNumber } from "../validate.js";

/**
 * scheduleFree's state: steps taken, the interpolation β, the running sum of averaging weights,
 * the largest learning rate seen, the base optimizer's state and the z
 * sequence (the base optimizer's own iterates). The parameters themselves
 * hold y, the point where gradients are taken; x, the average to evaluate,
 * is recomputed from y and z (`scheduleFreeEvalParams`).
 */
export type ScheduleFreeState = { count: number; b1: number; weightSum: number; maxLr: number; base: State; z: FloatArray[] };

/** Options of scheduleFree. */
export interface ScheduleFreeOptions {
  /** Interpolation β between the average x and the base iterate z, in (0, 1) (default 0.9). */
  b1?: number;
  /** The averaging weight of step t is lr_max^weightLrPower (default 2). */
  weightLrPower?: number;
  /** ...times t^r: polynomial weighting of later steps (default 0). */
  r?: number;
}

/** Averaging scalars shared by the transformation and the schedule-free optimizer classes. */
export type AveragingState = { weightSum: number; lrMax: number };

/**
 * The weight c_{t+1} of the newest z in the running average x, from Defazio
 * et al. 2024 (and the reference implementation): with lr the (warmed-up)
 * learning rate of step t (from 0), `lrMax ← max(lrMax, lr)`,
 * `w ← (t+1)^r · lrMax^weightLrPower`, `weightSum ← weightSum + w`,
 * `c = w / weightSum` (0 while the sum is 0). Mutates `avg`.
 */
export function scheduleFreeWeight(avg: AveragingState, t: number, lr: number, r: number, weightLrPower: number): number {
  avg.lrMax = Math.max(avg.lrMax, lr);
  const weight = (t + 1) ** r * avg.lrMax ** weightLrPower;
  avg.weightSum += weight;
  return avg.weightSum === 0 ? 0 : weight / avg.weightSum;
}

/**
 * Schedule-free learning (Defazio et al. 2024, "The Road Less Scheduled";
 * optax.contrib.schedule_free): replaces the base optimizer's momentum and
 * learning-rate decay by interpolation and averaging. With u_t the base
 * optimizer's update (including −lr), the parameters y and the state z:
 * `x_t = (y_t − (1−β)z_t)/β`, `z_{t+1} = z_t + u_t`,
 * `x_{t+1} = (1−c_{t+1})x_t + c_{t+1}z_{t+1}`, `y_{t+1} = βx_{t+1} + (1−β)z_{t+1}`,
 * where c is `scheduleFreeWeight` of `learningRate` at this step. Give the
 * base optimizer no momentum (b1 = 0 for Adam) and the same learning rate
 * (a warmup, no decay). Evaluate the model at `scheduleFreeEvalParams`.
 * Unlike optax, a schedule is read at the step count from 0, as every
 * transformation here (optax reads it at count + 1).
 */
export function scheduleFree(
  baseOptimizer: GradientTransformation,
  learningRate: Hyper,
  options: ScheduleFreeOptions = {},
): GradientTransformation<ScheduleFreeState> {
  const name = "scheduleFree";
  checkHyper(name, "learningRate", learningRate);
  const b1 = checkNumber(name, "b1", options.b1 ?? 0.9);
  if (!(b1 > 0 && b1 < 1)) throw new RangeError(`${name}: b1 must be in (0, 1), got ${b1}`);
  const weightLrPower = checkNonNegative(name, "weightLrPower", options.weightLrPower ?? 2);
  const r = checkNonNegative(name, "r", options.r ?? 0);
  return {
    name,
    init(params: Params): ScheduleFreeState {
      const z = params.map((p, i) => floatData(name, p, i).slice());
      return { count: 0, b1, weightSum: 0, maxLr: 0, base: baseOptimizer.init(params), z };
    },
    update(updates: Updates, state: ScheduleFreeState, params?: Params): ScheduleFreeState {
      const ps = requireParams(name, params);
      checkLeaves(name, updates, state.z.length, ps);
      const lr = hyperAt(learningRate, state.count);
      checkNonNegative(name, `learningRate at step ${state.count}`, lr);
      const avg = { weightSum: state.weightSum, lrMax: state.maxLr };
      const c = scheduleFreeWeight(avg, state.count, lr, r, weightLrPower);
      state.base = baseOptimizer.update(updates, state.base, ps);
      for (let k = 0; k < updates.length; k++) {
        const u = updates[k];
        const z = state.z[k];
        const y = ps[k].data;
        for (let i = 0; i < u.length; i++) {
          const x = (y[i] - (1 - b1) * z[i]) / b1;
          const zNext = z[i] + u[i];
          const xNext = (1 - c) * x + c * zNext;
          z[i] = zNext;
          u[i] = b1 * xNext + (1 - b1) * zNext - y[i];
        }
      }
      state.weightSum = avg.weightSum;
      state.maxLr = avg.lrMax;
      state.count += 1;
      return state;
    },
  };
}

/**
 * The point to evaluate a schedule-free model at (optax's
 * schedule_free_eval_params): `x = (y − (1−β)z)/β` for the parameters y
 * and the state's z and β. Returns new buffers; the parameters are not changed.
 */
export function scheduleFreeEvalParams(state: ScheduleFreeState, params: Params): FloatArray[] {
  const b1 = state.b1;
  checkLeaves("scheduleFreeEvalParams", state.z, params.length, params);
  return params.map((p, k) => {
    const y = floatData("scheduleFreeEvalParams", p, k);
    const z = state.z[k];
    const x = y.slice();
    for (let i = 0; i < x.length; i++) x[i] = (y[i] - (1 - b1) * z[i]) / b1;
    return x;
  });
}

/**
 * The reference implementation's warmup: `lr·(t+1)/warmupSteps` for the
 * first `warmupSteps` steps (t from 0), then `lr` (no decay: schedule-free
 * needs none). A constant when warmupSteps is 0.
 */
export function scheduleFreeWarmup(lr: number, warmupSteps: number): Hyper {
  if (warmupSteps === 0) return lr;
  return (t: number) => (t < warmupSteps ? (lr * (t + 1)) / warmupSteps : lr);
}
