import type { Tensor } from "../../tensor/tensor.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import type { FloatArray } from "../types.js";
import { checkNumber } from "../validate.js";
import { withDefaults } from "./common.js";
import { FRESH_GROUP_STATE, lerp, ScheduleFreeOptimizer, type ScheduleFreeCommonOptions, type ScheduleFreeGroupState } from "./scheduleFreeCore.js";

/** SGDScheduleFree's options (facebookresearch/schedule_free's names, camelCased). */
export type SGDScheduleFreeOptions = ScheduleFreeCommonOptions & {
  /** β: the interpolation between the average x and the SGD iterate z, in (0, 1). */
  momentum: number;
};

/** SGDScheduleFree's per-parameter state: z, the plain SGD iterate. */
export type SGDScheduleFreeState = { z: FloatArray };

type Group = SGDScheduleFreeOptions & ScheduleFreeGroupState;

/**
 * Schedule-free SGD (Defazio et al. 2024, "The Road Less Scheduled";
 * facebookresearch/schedule_free SGDScheduleFree). With γ_t = lr·min(1, (t+1)/warmupSteps),
 * β = momentum and the parameters holding y:
 * `g = ∇f(y_t) + wd·y_t`, `z_{t+1} = z_t − γ_t g`,
 * `x_{t+1} = (1−c_{t+1})x_t + c_{t+1}z_{t+1}`, `y_{t+1} = βx_{t+1} + (1−β)z_{t+1}`,
 * with `c_{t+1} = w_t/Σw`, `w_t = (t+1)^r · max_{s≤t}γ_s^weightLrPower`. x is never
 * stored: y is updated in place as `y ← lerp(y, z_t, c) + γ(β(1−c) − 1)g`.
 * Call `eval()` before evaluating (parameters ← x) and `train()` before
 * training again (nb.fit does both). Defaults: lr 1, momentum 0.9,
 * weightDecay 0, warmupSteps 0, r 0, weightLrPower 2. No lr schedule is
 * needed. Equals `scheduleFreeSgd` through fromTransform.
 */
export class SGDScheduleFree extends ScheduleFreeOptimizer<Group, SGDScheduleFreeState> {
  constructor(params: ParamsInput<SGDScheduleFreeOptions>, options: Partial<SGDScheduleFreeOptions> = {}) {
    super(
      "SGDScheduleFree",
      params as ParamsInput<Group>,
      withDefaults<Group>({ lr: 1, momentum: 0.9, weightDecay: 0, warmupSteps: 0, r: 0, weightLrPower: 2, ...FRESH_GROUP_STATE }, options),
    );
  }

  protected validateOptions(o: Group): void {
    this.validateCommon(o);
    const m = checkNumber(this.name, "momentum", o.momentum);
    if (!(m > 0 && m < 1)) throw new RangeError(`${this.name}: momentum must be in (0, 1), got ${m}`);
  }

  protected beta(group: ParamGroup<Group>): number {
    return group.momentum;
  }

  protected initState(param: Tensor): SGDScheduleFreeState {
    return { z: (param.data as FloatArray).slice() };
  }

  protected updateParam(param: Tensor, g: FloatArray, s: SGDScheduleFreeState, group: ParamGroup<Group>, lr: number, c: number): void {
    const y = param.data as FloatArray;
    const z = s.z;
    const wd = group.weightDecay;
    const gy = lr * (group.momentum * (1 - c) - 1);
    for (let i = 0; i < y.length; i++) {
      const yi = y[i];
      const gi = g[i] + wd * yi;
      y[i] = lerp(yi, z[i], c) + gy * gi;
      z[i] -= lr * gi;
    }
  }
}
