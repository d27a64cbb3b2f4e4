// What SGDScheduleFree and AdamWScheduleFree share: the per-group averaging
// counters, the warmup, the train()/eval() switch between y and x, and step.
import type { Tensor } from "../../tensor/tensor.js";
import { Optimizer, type Closure, type ParamGroup } from "../optimizer.js";
import { scheduleFreeWeight } from "../transforms/scheduleFree.js";
import type { FloatArray } from "../types.js";
import { checkBoolean, checkInteger, checkNonNegative } from "../validate.js";

/** Options every schedule-free optimizer has (the reference's names, camelCased). */
export type ScheduleFreeCommonOptions = {
  lr: number;
  weightDecay: number;
  /** Linear warmup of the lr over this many steps (no scheduler needed). */
  warmupSteps: number;
  /** The average weights step t by t^r. */
  r: number;
  /** ...and by lr_max^weightLrPower, so that warmup steps count little. */
  weightLrPower: number;
};

/**
 * Counters a schedule-free optimizer keeps in each group, as the reference
 * does (so that stateDict carries them): steps taken `k`, the sum of
 * averaging weights, the largest lr seen, and whether the parameters hold y
 * (train mode) or x (eval mode).
 */
export type ScheduleFreeGroupState = { k: number; weightSum: number; lrMax: number; trainMode: boolean };

/** The counters a new group starts with. */
export const FRESH_GROUP_STATE: ScheduleFreeGroupState = { k: 0, weightSum: 0, lrMax: 0, trainMode: true };

/** torch's lerp: `a + w(b − a)`, or `b − (b − a)(1 − w)` when |w| ≥ ½ (exact at w = 1). */
export function lerp(a: number, b: number, w: number): number {
  return Math.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
}

/** Every element of `p` moved toward `z` by `w` (`p ← lerp(p, z, w)`). */
function lerpInto(p: FloatArray, z: FloatArray, w: number): void {
  for (let i = 0; i < p.length; i++) p[i] = lerp(p[i], z[i], w);
}

/**
 * Base of the schedule-free optimizers (Defazio et al. 2024). The
 * parameters hold y, where gradients are taken; the state holds z, the base
 * iterate; x, the running average to evaluate at, is `(y − (1−β)z)/β`.
 * `eval()` moves the parameters to x and `train()` back to y; `step()`
 * refuses to run in eval mode. Optimizers start in train mode (the
 * reference's current version starts in eval mode and so needs a `train()`
 * first; nb.fit calls train() and eval() itself). The mode is saved with
 * the groups in stateDict, so a restored optimizer knows which point its
 * parameters hold; the reference advises checkpointing in eval mode.
 */
export abstract class ScheduleFreeOptimizer<O extends ScheduleFreeCommonOptions & ScheduleFreeGroupState, S extends { z: FloatArray }> extends Optimizer<O, S> {
  /** β of a group: the interpolation between x and z. */
  protected abstract beta(group: ParamGroup<O>): number;

  /** The state of a parameter before its first step. */
  protected abstract initState(param: Tensor, group: ParamGroup<O>): S;

  /**
   * One step of `param` (y) and its state, given the step's warmed-up
   * learning rate and averaging weight c (group.k is still the old count).
   */
  protected abstract updateParam(param: Tensor, grad: FloatArray, state: S, group: ParamGroup<O>, lr: number, c: number): void;

  /** Checks the options and counters every schedule-free optimizer has. */
  protected validateCommon(o: O): void {
    checkNonNegative(this.name, "lr", o.lr);
    checkNonNegative(this.name, "weightDecay", o.weightDecay);
    checkInteger(this.name, "warmupSteps", o.warmupSteps, 0);
    checkNonNegative(this.name, "r", o.r);
    checkNonNegative(this.name, "weightLrPower", o.weightLrPower);
    checkInteger(this.name, "k", o.k, 0);
    checkNonNegative(this.name, "weightSum", o.weightSum);
    checkNonNegative(this.name, "lrMax", o.lrMax);
    checkBoolean(this.name, "trainMode", o.trainMode);
  }

  protected stateTemplate(param: Tensor, group: ParamGroup<O>): S {
    return this.initState(param, group);
  }

  /** Moves every parameter with state from x to y: `p ← lerp(x, z, 1−β)`; no-op in train mode. */
  train(): void {
    for (const group of this.paramGroups) {
      if (group.trainMode) continue;
      const w = 1 - this.beta(group);
      for (const p of group.params) {
        const s = this.state.get(p);
        if (s !== undefined) lerpInto(p.data as FloatArray, s.z, w);
      }
      group.trainMode = true;
    }
  }

  /** Moves every parameter with state from y to x: `p ← lerp(y, z, 1−1/β)`; no-op in eval mode. */
  eval(): void {
    for (const group of this.paramGroups) {
      if (!group.trainMode) continue;
      const w = 1 - 1 / this.beta(group);
      for (const p of group.params) {
        const s = this.state.get(p);
        if (s !== undefined) lerpInto(p.data as FloatArray, s.z, w);
      }
      group.trainMode = false;
    }
  }

  /**
   * One schedule-free step of every parameter with a gradient. Per group:
   * `γ = lr·min(1, (k+1)/warmupSteps)`, `c = scheduleFreeWeight(...)`, then
   * the subclass's update of y and z, and `k ← k + 1`.
   */
  step(closure?: Closure): number | undefined {
    const inEval = this.paramGroups.findIndex((g) => !g.trainMode);
    if (inEval >= 0) {
      throw new Error(
        `${this.name}.step: param group ${inEval} is in eval mode (its parameters hold the average x); call train() before stepping and eval() before evaluating`,
      );
    }
    const loss = closure === undefined ? undefined : this.evaluateClosure(closure);
    this.checkGradients();
    for (const group of this.paramGroups) {
      const k = group.k;
      const lr = k < group.warmupSteps ? (group.lr * (k + 1)) / group.warmupSteps : group.lr;
      const c = scheduleFreeWeight(group, k, lr, group.r, group.weightLrPower);
      for (const param of group.params) {
        const grad = param.grad;
        if (grad === null) continue;
        let state = this.state.get(param);
        if (state === undefined) {
          state = this.initState(param, group);
          this.state.set(param, state);
        }
        this.updateParam(param, grad.data as FloatArray, state, group, lr, c);
      }
      group.k = k + 1;
    }
    this.stepCount += 1;
    return loss;
  }
}
