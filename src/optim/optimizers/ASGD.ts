import type { Tensor } from "../../tensor/tensor.js";
import { asgdKernel } from "../kernels/asgd.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { polyakAverage, type PolyakAverageState } from "../transforms/polyakAverage.js";
import { scale } from "../transforms/scale.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import type { FloatArray } from "../types.js";
import { checkBoolean, checkNonNegative, checkNumber } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";

/** torch.optim.ASGD's options, camelCased. */
export type ASGDOptions = { lr: number; lambd: number; alpha: number; t0: number; weightDecay: number; maximize: boolean };

/** ASGD's per-parameter state (torch's names): eta and mu are the step size and averaging weight for the next step, in double. */
export type ASGDState = { step: number; eta: number; mu: number; ax: FloatArray };

/**
 * Averaged SGD (Polyak & Juditsky 1992), matching torch.optim.ASGD: with
 * the previous step's η (starting at lr) and μ (starting at 1),
 * `g ← ±g + wd·p`, `p ← p(1 − λη) − η·g`; `ax ← p` while μ = 1, else
 * `ax ← ax + μ(p − ax)`; then `η ← lr/(1 + λ·lr·t)^α`, `μ ← 1/max(1, t − t0)`.
 * The average is `state.get(p).ax`. Defaults: lr 1e-2, lambd 1e-4,
 * alpha 0.75, t0 1e6, weightDecay 0, maximize false.
 * Chain: `scale(-1)?, addWeightDecay(wd), addWeightDecay(λ), scaleByLearningRate(η), polyakAverage({ t0 })`.
 */
export class ASGD extends ParamwiseOptimizer<ASGDOptions, ASGDState> {
  constructor(params: ParamsInput<ASGDOptions>, options: Partial<ASGDOptions> = {}) {
    super("ASGD", params, withDefaults({ lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false }, options));
  }

  protected validateOptions(o: ASGDOptions): void {
    checkNonNegative("ASGD", "lr", o.lr);
    checkNonNegative("ASGD", "weightDecay", o.weightDecay);
    checkNumber("ASGD", "lambd", o.lambd);
    checkNumber("ASGD", "alpha", o.alpha);
    checkNumber("ASGD", "t0", o.t0);
    checkBoolean("ASGD", "maximize", o.maximize);
  }

  protected initState(param: Tensor, group: ParamGroup<ASGDOptions>): ASGDState {
    return { step: 0, eta: group.lr, mu: 1, ax: bufferLike(param.data as FloatArray) };
  }

  /** torch's η and μ for the step after step t. */
  private advance(s: ASGDState, group: ParamGroup<ASGDOptions>): void {
    s.eta = group.lr / (1 + group.lambd * group.lr * s.step) ** group.alpha;
    s.mu = 1 / Math.max(1, s.step - group.t0);
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: ASGDState, group: ParamGroup<ASGDOptions>): void {
    s.step += 1;
    asgdKernel(param.data as FloatArray, g, s.ax, s.eta, s.mu, group.lambd, group.weightDecay, group.maximize);
    this.advance(s, group);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: ASGDState, group: ParamGroup<ASGDOptions>): void {
    const average: PolyakAverageState = { count: s.step, mu: s.mu, ax: [s.ax] };
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      group.weightDecay !== 0 ? { tx: addWeightDecay(group.weightDecay) } : null,
      group.lambd !== 0 ? { tx: addWeightDecay(group.lambd) } : null,
      { tx: scaleByLearningRate(s.eta) },
      { tx: polyakAverage({ t0: group.t0 }), state: average },
    ]);
    s.step = average.count;
    this.advance(s, group);
  }
}
