import type { Tensor } from "../../tensor/tensor.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import type { FloatArray } from "../types.js";
import { checkBetas, checkNonNegative } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";
import { FRESH_GROUP_STATE, lerp, ScheduleFreeOptimizer, type ScheduleFreeCommonOptions, type ScheduleFreeGroupState } from "./scheduleFreeCore.js";

/** AdamWScheduleFree's options (facebookresearch/schedule_free's names, camelCased). */
export type AdamWScheduleFreeOptions = ScheduleFreeCommonOptions & {
  /** [β1, β2]: β1 interpolates between the average x and the iterate z, in (0, 1); β2 decays the second moment. */
  betas: readonly [number, number];
  /** Added to the bias-corrected root of the second moment. */
  eps: number;
};

/** AdamWScheduleFree's per-parameter state: z and the second moment (no first moment: the average replaces it). */
export type AdamWScheduleFreeState = { z: FloatArray; expAvgSq: FloatArray };

type Group = AdamWScheduleFreeOptions & ScheduleFreeGroupState;

/**
 * Schedule-free AdamW (Defazio et al. 2024, "The Road Less Scheduled";
 * facebookresearch/schedule_free AdamWScheduleFree, the AlgoPerf 2024
 * self-tuning winner). With γ_t = lr·min(1, (t+1)/warmupSteps) and the
 * parameters holding y: `v ← β2·v + (1−β2)g²`,
 * `ĝ = g/(√(v/(1−β2^{t+1})) + eps) + wd·y_t`, `z_{t+1} = z_t − γ_t ĝ`,
 * `x_{t+1} = (1−c_{t+1})x_t + c_{t+1}z_{t+1}`, `y_{t+1} = β1·x_{t+1} + (1−β1)z_{t+1}`,
 * with `c_{t+1} = w_t/Σw`, `w_t = (t+1)^r · max_{s≤t}γ_s^weightLrPower`; y is
 * updated in place as `y ← lerp(y, z_t, c) + γ(β1(1−c) − 1)ĝ`. Call `eval()`
 * before evaluating and `train()` before training (nb.fit does both).
 * Defaults: lr 0.0025, betas [0.9, 0.999], eps 1e-8, weightDecay 0,
 * warmupSteps 0, r 0, weightLrPower 2. Equals `scheduleFreeAdamw` through
 * fromTransform.
 */
export class AdamWScheduleFree extends ScheduleFreeOptimizer<Group, AdamWScheduleFreeState> {
  constructor(params: ParamsInput<AdamWScheduleFreeOptions>, options: Partial<AdamWScheduleFreeOptions> = {}) {
    super(
      "AdamWScheduleFree",
      params as ParamsInput<Group>,
      withDefaults<Group>(
        { lr: 0.0025, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, warmupSteps: 0, r: 0, weightLrPower: 2, ...FRESH_GROUP_STATE },
        options,
      ),
    );
  }

  protected validateOptions(o: Group): void {
    this.validateCommon(o);
    const [b1] = checkBetas(this.name, o.betas);
    if (b1 === 0) throw new RangeError(`${this.name}: betas[0] must be in (0, 1), got 0`);
    checkNonNegative(this.name, "eps", o.eps);
  }

  protected beta(group: ParamGroup<Group>): number {
    return group.betas[0];
  }

  protected initState(param: Tensor): AdamWScheduleFreeState {
    const p = param.data as FloatArray;
    return { z: p.slice(), expAvgSq: bufferLike(p) };
  }

  protected updateParam(param: Tensor, g: FloatArray, s: AdamWScheduleFreeState, group: ParamGroup<Group>, lr: number, c: number): void {
    const y = param.data as FloatArray;
    const { z, expAvgSq: v } = s;
    const [b1, b2] = group.betas;
    const { eps, weightDecay: wd } = group;
    const bc2 = 1 - b2 ** (group.k + 1);
    const gy = lr * (b1 * (1 - c) - 1);
    for (let i = 0; i < y.length; i++) {
      const gi = g[i];
      const vi = b2 * v[i] + (1 - b2) * gi * gi;
      v[i] = vi;
      const yi = y[i];
      const gn = gi / (Math.sqrt(vi / bc2) + eps) + wd * yi;
      y[i] = lerp(yi, z[i], c) + gy * gn;
      z[i] -= lr * gn;
    }
  }
}
